// The toolchain's Go tests (tools/pulumi-cli: our Node.js language host, the dynamic-provider
// launcher and how both start node), run with `go test` and counted one mocha test per Go test, so that `npm test`'s
// "N passed, N failed" includes them. They need Go (setup builds the toolchain with it) and the
// repository's node_modules and policy/node_modules (npm run setup); without them they fail.
import { strict as assert } from "assert";
import { execFile, execFileSync } from "child_process";
import * as path from "path";
import { ROOT } from "../support/paths";

const MODULE = path.join(ROOT, "tools", "pulumi-cli");
const PACKAGES = ["./language-nodejs", "./dynamic-provider", "./internal/nodestart"];
const GO_ENV = { ...process.env, GOFLAGS: "-buildvcs=false", CGO_ENABLED: "0" };

interface GoTest {
  pkg: string;
  name: string;
}

/** The Go tests, by package (`go test -list`): known when mocha loads this file. */
function listGoTests(): { tests: GoTest[]; error?: string } {
  let out: string;
  try {
    out = execFileSync("go", ["test", "-list", ".", ...PACKAGES], { cwd: MODULE, env: GO_ENV, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (err) {
    const e = err as { code?: string; stderr?: string; message: string };
    return { tests: [], error: e.code === "ENOENT" ? "Go is not on PATH (install it, then npm run setup)" : (e.stderr || e.message) };
  }
  const tests: GoTest[] = [];
  let pending: string[] = [];
  for (const line of out.split("\n")) {
    const done = line.match(/^ok\s+(\S+)/);
    if (/^Test\w+$/.test(line)) pending.push(line);
    else if (done) {
      tests.push(...pending.map((name) => ({ pkg: done[1], name })));
      pending = [];
    }
  }
  return { tests };
}

interface GoEvent {
  Action: string;
  Package?: string;
  Test?: string;
  Output?: string;
}

describe("Go tests of the toolchain (tools/pulumi-cli)", function () {
  const { tests, error } = listGoTests();
  const results = new Map<string, { action: string; output: string[] }>();
  let runError = "";

  before(async function () {
    this.timeout(15 * 60_000);
    if (error) return;
    const stdout = await new Promise<string>((resolve) => {
      execFile("go", ["test", "-json", "-count=1", ...PACKAGES], { cwd: MODULE, env: GO_ENV, maxBuffer: 256 * 2 ** 20 }, (err, out, stderr) => {
        if (err && !out) runError = stderr || err.message;
        resolve(out);
      });
    });
    for (const line of stdout.split("\n")) {
      let e: GoEvent;
      try {
        e = JSON.parse(line);
      } catch {
        continue;
      }
      if (!e.Test || !e.Package) continue;
      const key = `${e.Package} ${e.Test}`;
      const r = results.get(key) ?? { action: "run", output: [] };
      if (e.Action === "output" && e.Output) r.output.push(e.Output);
      if (["pass", "fail", "skip"].includes(e.Action)) r.action = e.Action;
      results.set(key, r);
    }
  });

  if (error) {
    it("lists the Go tests", function () {
      assert.fail(`go test -list failed: ${error}`);
    });
  }
  for (const t of tests) {
    it(`${t.pkg.split("/").pop()}: ${t.name}`, function () {
      const r = results.get(`${t.pkg} ${t.name}`);
      assert.ok(r, `go test reported nothing for ${t.name}${runError ? `: ${runError}` : ""}`);
      assert.equal(r.action, "pass", `${t.name} ${r.action}:\n${r.output.join("")}`);
    });
  }
});
