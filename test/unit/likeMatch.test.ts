// LIKE/UNLIKE constraints on a local cluster: the app author's pattern is matched against agent
// names without backtracking (core/local/likeMatch), agreeing with JavaScript's RegExp on the
// patterns it runs, refusing at preview the ones only backtracking can run, and returning at once
// on patterns that take RegExp hours. (No timing here: a hang is caught by mocha's timeout.)
import { strict as assert } from "assert";
import fc from "fast-check";
import { likeMatcher, MAX_LIKE_STATES } from "../../src/core/local/likeMatch";
import { placeInstances } from "../../src/core/local/placement";
import { APP_STACK, checkApp, NET } from "../support/badApps";

const matches = (pattern: string, text: string): boolean => {
  const m = likeMatcher(pattern);
  assert.ok(m.ok, `${pattern}: ${!m.ok && m.reason}`);
  return m.matches(text);
};
const native = (pattern: string, text: string) => new RegExp(`^(?:${pattern})$`).test(text);

/** Backtracks through 32^7 ways of reading "agent-1" before giving up: half an hour in RegExp. */
const SLOW_ON_AGENT_NAMES = `(?:${Array(32).fill(".").join("|")})*x`;

describe("LIKE patterns, matched without backtracking", function () {
  const names = ["agent-1", "agent-12", "agent-x", "private-agent-3", "a", "", "AGENT-1", "agent_1", "agent.1", "x{2}"];
  const patterns = [
    "agent-[0-9]+", "agent-\\d{1,2}", "(private-)?agent-[13]", "agent-.*", ".*-1", "agent-(1|12)", "[^-]+", "a|agent-1",
    "agent\\W\\d", "\\w+\\.\\d", "(?:agent|AGENT)-1", "(?<kind>private-)?agent-\\d", "x{2}", "x\\{2}", "agent-1?2?", "\\bagent\\b.*",
    "a\\B.*", "[a-z]+[-_.][0-9]", "agent-[^\\d]", "^agent-1$", "(a|)*gent-1", "(){5}agent-1", "[]|a", "[^]*", "\\x61gent-\\u0031",
  ];
  for (const p of patterns) {
    it(`${p} agrees with RegExp on every agent name`, function () {
      assert.deepEqual(names.map((n) => matches(p, n)), names.map((n) => native(p, n)));
    });
  }

  it("agrees with RegExp on random patterns and names", function () {
    const atom = fc.constantFrom("a", "b", "-", ".", "\\.", "[ab]", "[^a]", "\\d", "\\w", "\\W", "1", "\\b", "^", "$", "[a-]");
    const pattern: fc.Arbitrary<string> = fc.letrec<{ p: string }>((tie) => ({
      p: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        atom,
        fc.tuple(tie("p"), tie("p")).map(([x, y]) => x + y),
        fc.tuple(tie("p"), tie("p")).map(([x, y]) => `(?:${x}|${y})`),
        fc.tuple(tie("p"), fc.constantFrom("*", "+", "?", "{2}", "{0,2}", "{1,}", "*?")).map(([x, q]) => `(${x})${q}`),
      ),
    })).p;
    const text = fc.string({ unit: fc.constantFrom("a", "b", "-", ".", "1", "_"), maxLength: 8 });
    fc.assert(fc.property(pattern, fc.array(text, { maxLength: 6 }), (p, texts) => {
      assert.deepEqual(texts.map((t) => matches(p, t)), texts.map((t) => native(p, t)), p);
    }), { numRuns: 2000 });
  });

  it("returns at once on patterns that backtrack exponentially, on long names", function () {
    const long = "a".repeat(10_000);
    for (const p of ["(a|a)*b", "(a+)+b", "(a*)*b", "(.*)*b", "(a|aa)*b", "(?:a?){30}a{30}b", SLOW_ON_AGENT_NAMES]) {
      assert.equal(matches(p, long), false, p);
      assert.equal(matches(p, "agent-1"), false, p);
    }
    assert.equal(matches("(a|a)*", long), true);
  });

  it("refuses what needs backtracking or an unbounded matcher, saying why", function () {
    const reasons: Record<string, string> = {
      "(agent)-\\1": "a backreference (\\1…) needs backtracking",
      "(?<n>a)\\k<n>": "a backreference (\\k…) needs backtracking",
      "(?!agent-2)agent-.*": "a lookaround, (?!…), needs backtracking",
      "(?<=a)b": "a lookaround, (?<=…), needs backtracking",
      [`a{${MAX_LIKE_STATES}}`]: `its counted repeats need more than ${MAX_LIKE_STATES} matcher states`,
      "((a{100}){100}){100}": `its counted repeats need more than ${MAX_LIKE_STATES} matcher states`,
      [`${"(".repeat(101)}a${")".repeat(101)}`]: "its groups are nested more than 100 deep",
      "\\01": "an octal escape (\\0 followed by a digit); write \\x.. instead",
    };
    for (const [p, reason] of Object.entries(reasons)) {
      new RegExp(p); // each is a valid JavaScript regex, which validateScheduling accepts
      assert.deepEqual(likeMatcher(p), { ok: false, reason }, p);
    }
  });
});

describe("placement and MarathonApp's check with a LIKE constraint", function () {
  it("place on the agents the pattern matches, and return at once when RegExp would take hours", function () {
    const agents = ["agent-1", "agent-2", "a".repeat(60)];
    const placed = placeInstances(agents, [["hostname", "LIKE", "agent-[12]"]], [], 2, 0);
    assert.deepEqual(placed, { ok: true, placed: [{ index: 0, agent: "agent-1" }, { index: 1, agent: "agent-2" }] });
    const unlike = placeInstances(agents, [["hostname", "UNLIKE", "(a|a)*"]], [], 1, 0);
    assert.deepEqual(unlike, { ok: true, placed: [{ index: 0, agent: "agent-1" }] });
    const none = placeInstances(agents, [["hostname", "LIKE", SLOW_ON_AGENT_NAMES]], [], 1, 0);
    assert.equal(none.ok, false);
  });

  it("a LIKE pattern that RegExp would backtrack on for half an hour is checked at once", function () {
    const app = { id: "/web", cmd: "sleep 1", networks: [{ mode: "container", name: NET }], constraints: [["hostname", "LIKE", SLOW_ON_AGENT_NAMES]] };
    assert.deepEqual(checkApp(app).failures, [{
      property: "app.constraints",
      reason: `constraints (LIKE ${SLOW_ON_AGENT_NAMES}) allow at most 0 instances on agents [], asked for 1`,
    }]);
    assert.deepEqual(APP_STACK.cluster.agents, ["agent-1", "agent-2"]);
  });

  it("a LIKE pattern only backtracking can run is refused at preview, naming the constraint", function () {
    const app = { id: "/web", cmd: "sleep 1", networks: [{ mode: "container", name: NET }], constraints: [["hostname", "LIKE", "(agent)-\\1"]] };
    assert.deepEqual(checkApp(app).failures, [{
      property: "app.constraints",
      reason: 'constraint [hostname, LIKE, "(agent)-\\\\1"]: the local cluster matches LIKE patterns without backtracking and cannot run this one: a backreference (\\1…) needs backtracking',
    }]);
  });
});
