// No regular expression in src/ can be made to backtrack super-linearly (ReDoS): every one the
// TypeScript parser finds there (test/support/sourceRegexes.ts) goes through recheck's analysis
// (its pure-JavaScript backend, with step limits instead of time limits, so the verdict does not
// depend on the machine). One image name once hung `pulumi preview` this way (core/local/imageRef).
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { checkSync, Diagnostics, Parameters } from "recheck";
import { FoundRegex, regexesIn, tsFiles, UnresolvedRegex } from "../support/sourceRegexes";
import { ROOT } from "../support/paths";

/**
 * `new RegExp(x)` whose pattern is not in the source. Each says why it cannot backtrack on long
 * input; an unresolved construction not listed here fails the test.
 */
const EXPLAINED: { file: string; expression: string; why: string }[] = [
  {
    file: "src/core/marathon/validateScheduling.ts",
    expression: "value",
    why: "a LIKE/UNLIKE constraint's user regex, compiled to see that it is one and never run",
  },
  {
    file: "src/core/local/likePattern.ts",
    expression: "`^(?:${atom})$`",
    why: "one character class or escape of a LIKE pattern, with no quantifier, tested on one character at a time",
  },
];

// Step limits only (the analysis's time limits default to a few seconds of wall clock).
const PARAMS: Parameters = { timeout: null, attackTimeout: null, incubationTimeout: null, seedingTimeout: null };

function analyse(source: string, flags: string): Diagnostics {
  // The pure-JavaScript backend: no JVM and no native binary, the same verdicts.
  const saved = process.env.RECHECK_SYNC_BACKEND;
  process.env.RECHECK_SYNC_BACKEND = "pure";
  try {
    return checkSync(source, flags, PARAMS);
  } finally {
    if (saved === undefined) delete process.env.RECHECK_SYNC_BACKEND;
    else process.env.RECHECK_SYNC_BACKEND = saved;
  }
}

const where = (r: { file: string; line: number }) => `${r.file}:${r.line}`;

describe("ReDoS: every regular expression in src/ reads its input in linear time", function () {
  const scanned = tsFiles(path.join(ROOT, "src")).map((f) => regexesIn(f, ROOT));
  const found: FoundRegex[] = scanned.flatMap((s) => s.found);
  const unresolved: UnresolvedRegex[] = scanned.flatMap((s) => s.unresolved);

  it("finds the regexes (literals and constructions from the file's constants)", function () {
    assert.ok(found.length >= 100, `expected the sources' regexes, found ${found.length}`);
    const imageRef = found.filter((r) => r.file === path.join("src", "core", "local", "imageRef.ts"));
    assert.ok(imageRef.some((r) => r.source.startsWith("^[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*(?:/")), JSON.stringify(imageRef));
  });

  it("reads each way a regex is written: literals, RegExp of constants and templates, strings given to match", function () {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dvt-redos-"));
    try {
      const file = path.join(dir, "sample.ts");
      fs.writeFileSync(file, [
        'const PART = "[a-z]+";',
        "const RE = /^x$/g;",
        "const a = new RegExp(`^${PART}(?:-${PART})*$`, \"i\");",
        'const b = RegExp(PART + "\\\\d", RE.flags);',
        "const c = new RegExp(`${RE.source}|y`);",
        "function d(user: string) { return new RegExp(user); }",
        'const e = "s".match("a+b") ?? "s".search(RE) ?? "s".match(user);',
      ].join("\n"));
      const { found, unresolved } = regexesIn(file, dir);
      assert.deepEqual(found.map((r) => [r.line, r.source, r.flags]), [
        [2, "^x$", "g"], [3, "^[a-z]+(?:-[a-z]+)*$", "i"], [4, "[a-z]+\\d", "g"], [5, "^x$|y", ""], [7, "a+b", ""],
      ]);
      assert.deepEqual(unresolved.map((u) => [u.line, u.expression]), [[6, "user"], [7, "user"]]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("flags the pattern that once hung image names (the check is not vacuous)", function () {
    const old = "^[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*)*$";
    const d = analyse(old, "");
    assert.equal(d.status, "vulnerable");
    assert.equal(d.status === "vulnerable" && d.complexity.type, "exponential");
  });

  it("every construction it cannot read is accounted for", function () {
    const unexplained = unresolved.filter((u) => !EXPLAINED.some((e) => e.file === u.file && e.expression === u.expression));
    assert.deepEqual(unexplained.map((u) => `${where(u)}: new RegExp(${u.expression})`), []);
    const stale = EXPLAINED.filter((e) => !unresolved.some((u) => e.file === u.file && e.expression === u.expression));
    assert.deepEqual(stale, [], "explanations for constructions that are gone");
  });

  it("no regex backtracks super-linearly", function () {
    const verdicts = new Map<string, Diagnostics>();
    const problems: string[] = [];
    for (const r of found) {
      const key = `/${r.source}/${r.flags}`;
      if (!verdicts.has(key)) verdicts.set(key, analyse(r.source, r.flags));
      const d = verdicts.get(key)!;
      if (d.status === "safe") continue;
      problems.push(
        d.status === "vulnerable"
          ? `${where(r)}: ${key} is ${d.complexity.summary}; attack: ${d.attack.pattern}`
          : `${where(r)}: ${key} could not be analysed (${d.error.kind}${"message" in d.error ? `: ${d.error.message}` : ""})`,
      );
    }
    assert.deepEqual(problems, []);
  });
});
