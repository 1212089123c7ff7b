// The rules between a local cluster's host network and its overlays, from code alone
// (core/local/agentRoutes): the rule words, which listed rules are ours (this project and stack
// only), our DCOS-VNET chain and the one jump to it from DOCKER-USER (placed below the admin's
// rules, above Docker's closing RETURN), what to add and remove (rules of a release before the
// chain moved out of DOCKER-USER), when the chain goes, and the script that applies it.
import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import {
  applyScript,
  bridgeOf,
  desiredRules,
  dockerIsolates,
  presentStates,
  ourListedRules,
  planIsEmpty,
  planRoutes,
  routeStates,
  ruleArgs,
  shellQuote,
  stackTag,
} from "../../src/core/local/agentRoutes";

const OWNER = { project: "dcos-vnet", stack: "mixed" };
const OVERLAYS = [{ network: "dcos-mx", bridge: "d-dcos-mx" }];
/** Docker 20.10's filter table: DOCKER-USER ends with RETURN. */
const DOCKER_CHAINS = "-P FORWARD DROP\n-N DOCKER\n-N DOCKER-ISOLATION-STAGE-1\n-N DOCKER-USER\n-A FORWARD -j DOCKER-USER\n";
const RETURN = "-A DOCKER-USER -j RETURN";
const CHAIN = "-N DCOS-VNET";
const JUMP = "-A DOCKER-USER -j DCOS-VNET";
const rule = (chain: string, from: string, to: string, stack = "mixed", net = "dcos-mx") =>
  `-A ${chain} -i ${from} -o ${to} -m comment --comment "dcos-vnet:dcos-vnet:${stack}:${net}" -j ACCEPT`;
/** A rule of ours in our chain. */
const ours = (from: string, to: string, stack?: string, net?: string) => rule("DCOS-VNET", from, to, stack, net);
/** A rule of ours where releases before the chain wrote it: in DOCKER-USER. */
const legacy = (from: string, to: string, stack?: string, net?: string) => rule("DOCKER-USER", from, to, stack, net);
const lines = (...l: string[]) => [DOCKER_CHAINS, ...l].join("\n");
const words = (r: { chain: string; args: string[] }) => `${r.chain} ${r.args.slice(0, 4).join(" ")}`;

describe("routes between the host network and the overlays (our DCOS-VNET chain, one jump from DOCKER-USER)", function () {
  it("names a network's bridge from its bridge.name option, else br- and 12 hex digits of its id", function () {
    assert.equal(bridgeOf({ id: "0123456789abcdef0123", bridgeName: "d-dcos-1" }), "d-dcos-1");
    assert.equal(bridgeOf({ id: "0123456789abcdef0123" }), "br-0123456789ab");
  });

  it("opens each overlay both ways with the host bridge, each rule tagged with project, stack and network", function () {
    const rules = desiredRules(OWNER, "br-0123456789ab", [...OVERLAYS, { network: "other", bridge: "d-other" }]);
    assert.deepEqual(rules.map(ruleArgs), [
      ["-i", "d-dcos-mx", "-o", "br-0123456789ab", "-m", "comment", "--comment", "dcos-vnet:dcos-vnet:mixed:dcos-mx", "-j", "ACCEPT"],
      ["-i", "br-0123456789ab", "-o", "d-dcos-mx", "-m", "comment", "--comment", "dcos-vnet:dcos-vnet:mixed:dcos-mx", "-j", "ACCEPT"],
      ["-i", "d-other", "-o", "br-0123456789ab", "-m", "comment", "--comment", "dcos-vnet:dcos-vnet:mixed:other", "-j", "ACCEPT"],
      ["-i", "br-0123456789ab", "-o", "d-other", "-m", "comment", "--comment", "dcos-vnet:dcos-vnet:mixed:other", "-j", "ACCEPT"],
    ]);
  });

  it("refuses names that cannot go into a rule as one word", function () {
    assert.throws(() => stackTag({ project: "p", stack: "a b" }), /stack "a b": only letters, digits/);
    assert.throws(() => desiredRules(OWNER, "br-x", [{ network: "n;rm", bridge: "d-n" }]), /network "n;rm"/);
  });

  it("reads back only this project's and stack's rules, in our chain and in DOCKER-USER (before the chain): not another stack's, not one whose name starts like ours", function () {
    const listing = lines(CHAIN, ours("d-dcos-mx", "br-aaa"), ours("d-x", "br-bbb", "mixed-2"), legacy("br-aaa", "d-dcos-mx"), legacy("d-y", "br-ccc", "mix"), "-A DOCKER-USER -i eth0 -j DROP", JUMP, RETURN);
    assert.deepEqual(ourListedRules(listing, OWNER), [
      {
        chain: "DCOS-VNET",
        args: ["-i", "d-dcos-mx", "-o", "br-aaa", "-m", "comment", "--comment", "dcos-vnet:dcos-vnet:mixed:dcos-mx", "-j", "ACCEPT"],
        rule: { from: "d-dcos-mx", to: "br-aaa", comment: "dcos-vnet:dcos-vnet:mixed:dcos-mx" },
      },
      {
        chain: "DOCKER-USER",
        args: ["-i", "br-aaa", "-o", "d-dcos-mx", "-m", "comment", "--comment", "dcos-vnet:dcos-vnet:mixed:dcos-mx", "-j", "ACCEPT"],
        rule: { from: "br-aaa", to: "d-dcos-mx", comment: "dcos-vnet:dcos-vnet:mixed:dcos-mx" },
      },
    ]);
  });

  it("on a fresh engine puts the rules in our chain and the jump just above Docker's closing RETURN, below the admin's own rules", function () {
    const desired = desiredRules(OWNER, "br-h", OVERLAYS);
    const admin = "-A DOCKER-USER -s 9.120.200.10/32 -j DROP";
    const plan = planRoutes(lines(admin, RETURN), OWNER, desired);
    assert.deepEqual(plan, { add: desired, jump: { position: 2 }, remove: [] }, "DROP is rule 1, RETURN rule 2: the jump goes in at 2, between them");
    assert.deepEqual(planRoutes(lines(RETURN), OWNER, desired).jump, { position: 1 });
  });

  it("appends the jump, below every admin rule, where DOCKER-USER has no closing RETURN (Docker 28 and later)", function () {
    const docker28 = "-P FORWARD DROP\n-N DOCKER\n-N DOCKER-FORWARD\n-N DOCKER-USER\n-A DOCKER-USER -s 9.1.2.3/32 -j DROP";
    assert.deepEqual(planRoutes(docker28, OWNER, desiredRules(OWNER, "br-h", OVERLAYS)).jump, {});
  });

  it("changes nothing when the rules and the jump are in place, wherever the admin put their rules since", function () {
    const desired = desiredRules(OWNER, "br-h", OVERLAYS);
    const listing = lines(CHAIN, ours("d-dcos-mx", "br-h"), ours("br-h", "d-dcos-mx"), "-A DOCKER-USER -s 9.9.9.9/32 -j DROP", JUMP, RETURN);
    const plan = planRoutes(listing, OWNER, desired);
    assert.ok(planIsEmpty(plan), JSON.stringify(plan));
  });

  it("moves the rules of a release before the chain out of DOCKER-USER into our chain", function () {
    const desired = desiredRules(OWNER, "br-h", OVERLAYS);
    const plan = planRoutes(lines(legacy("d-dcos-mx", "br-h"), legacy("br-h", "d-dcos-mx"), RETURN), OWNER, desired);
    assert.deepEqual(plan.add, desired);
    assert.deepEqual(plan.jump, { position: 3 }, "above RETURN, counted before the old rules go");
    assert.deepEqual(plan.remove.map(words), ["DOCKER-USER -i d-dcos-mx -o br-h", "DOCKER-USER -i br-h -o d-dcos-mx"]);
    assert.equal(plan.drop, undefined);
  });

  it("adds what is missing, keeps what is there, removes ours that are stale or doubled, and touches no other stack's rule", function () {
    const desired = desiredRules(OWNER, "br-new", OVERLAYS);
    const listing = lines(
      CHAIN,
      ours("br-new", "d-dcos-mx"),
      ours("br-new", "d-dcos-mx"), // a duplicate
      ours("d-dcos-mx", "br-old"), // the host network was re-created: new bridge
      ours("d-gone", "br-new", "mixed", "gone"), // an overlay that left
      ours("d-z", "br-z", "other-stack"),
      JUMP,
      RETURN,
    );
    const plan = planRoutes(listing, OWNER, desired);
    assert.deepEqual(plan.add, [desired[0]]);
    assert.equal(plan.jump, undefined, "the jump is there");
    assert.deepEqual(plan.remove.map(words), ["DCOS-VNET -i br-new -o d-dcos-mx", "DCOS-VNET -i d-dcos-mx -o br-old", "DCOS-VNET -i d-gone -o br-new"]);
  });

  it("on destroy removes this stack's rules and keeps the chain and its jump while another stack has rules in it", function () {
    const listing = lines(CHAIN, ours("d-dcos-mx", "br-h"), ours("br-h", "d-dcos-mx"), ours("d-z", "br-z", "prod"), JUMP, RETURN);
    const plan = planRoutes(listing, OWNER, []);
    assert.equal(plan.remove.length, 2);
    assert.equal(plan.drop, undefined);
    assert.equal(plan.jump, undefined);
  });

  it("drops the jump and the chain with the last stack's rules, and an empty chain left behind", function () {
    const last = planRoutes(lines(CHAIN, ours("d-dcos-mx", "br-h"), ours("br-h", "d-dcos-mx"), JUMP, RETURN), OWNER, []);
    assert.equal(last.remove.length, 2);
    assert.deepEqual(last.drop, { jump: true });
    assert.deepEqual(planRoutes(lines(CHAIN, RETURN), OWNER, []), { add: [], remove: [], drop: { jump: false } }, "an empty chain without its jump");
    assert.ok(planIsEmpty(planRoutes(lines(RETURN), OWNER, [])), "nothing of ours: nothing to do");
  });

  it("removes a second jump (two stacks' first `up`s at one moment)", function () {
    const listing = lines(CHAIN, ours("d-dcos-mx", "br-h"), ours("br-h", "d-dcos-mx"), JUMP, JUMP, RETURN);
    assert.deepEqual(planRoutes(listing, OWNER, desiredRules(OWNER, "br-h", OVERLAYS)).remove, [{ chain: "DOCKER-USER", args: ["-j", "DCOS-VNET"] }]);
  });

  it("reports an overlay present only with both rules in force: in our chain with the jump, or in DOCKER-USER from before the chain", function () {
    const desired = desiredRules(OWNER, "br-h", OVERLAYS);
    const both = [ours("d-dcos-mx", "br-h"), ours("br-h", "d-dcos-mx")];
    assert.deepEqual(routeStates(lines(CHAIN, ...both, JUMP, RETURN), OWNER, desired), { "dcos-mx": "present" });
    assert.deepEqual(routeStates(lines(CHAIN, ...both, RETURN), OWNER, desired), { "dcos-mx": "missing" }, "no jump: the chain is never reached");
    assert.deepEqual(routeStates(lines(CHAIN, both[0], JUMP, RETURN), OWNER, desired), { "dcos-mx": "missing" });
    assert.deepEqual(routeStates(lines(legacy("d-dcos-mx", "br-h"), legacy("br-h", "d-dcos-mx"), RETURN), OWNER, desired), { "dcos-mx": "present" }, "a release before the chain");
    assert.deepEqual(presentStates(OWNER, desired), routeStates(lines(CHAIN, ...both, JUMP, RETURN), OWNER, desired), "after an apply, as a listing would say");
  });

  it("reports overlays unmanaged when Docker's chains are not visible", function () {
    const desired = desiredRules(OWNER, "br-h", OVERLAYS);
    assert.equal(dockerIsolates("-P FORWARD ACCEPT\n"), false);
    assert.equal(dockerIsolates("-P FORWARD DROP\n-N DOCKER\n-N DOCKER-FORWARD\n-N DOCKER-USER\n"), true, "Docker 28+, no isolation chains");
    assert.equal(dockerIsolates("-P FORWARD ACCEPT\n-N DOCKER-USER\n"), false, "a DOCKER-USER chain alone is not Docker's");
    assert.deepEqual(routeStates("-P FORWARD ACCEPT\n", OWNER, desired), { "dcos-mx": "unmanaged" });
  });

  it("applies a plan with a script sh runs as written: new rules and the jump first, then the removals", function () {
    const desired = desiredRules(OWNER, "br-h", OVERLAYS);
    const script = applyScript({ add: desired.slice(0, 1), jump: { position: 2 }, remove: [{ chain: "DOCKER-USER", args: ["-i", "d-old", "-o", "br-h", "-j", "ACCEPT"] }] });
    assert.deepEqual(script.split("\n"), [
      "set -e",
      "iptables -w -S DOCKER-USER >/dev/null 2>&1 || iptables -w -N DOCKER-USER",
      "iptables -w -S DCOS-VNET >/dev/null 2>&1 || iptables -w -N DCOS-VNET",
      "'iptables' '-w' '-C' 'DCOS-VNET' '-i' 'd-dcos-mx' '-o' 'br-h' '-m' 'comment' '--comment' 'dcos-vnet:dcos-vnet:mixed:dcos-mx' '-j' 'ACCEPT' 2>/dev/null || " +
        "'iptables' '-w' '-A' 'DCOS-VNET' '-i' 'd-dcos-mx' '-o' 'br-h' '-m' 'comment' '--comment' 'dcos-vnet:dcos-vnet:mixed:dcos-mx' '-j' 'ACCEPT'",
      "'iptables' '-w' '-C' 'DOCKER-USER' '-j' 'DCOS-VNET' 2>/dev/null || 'iptables' '-w' '-I' 'DOCKER-USER' '2' '-j' 'DCOS-VNET'",
      "'iptables' '-w' '-D' 'DOCKER-USER' '-i' 'd-old' '-o' 'br-h' '-j' 'ACCEPT' || true",
    ]);
    assert.match(applyScript({ add: desired, jump: {}, remove: [] }), /'-C' 'DOCKER-USER' '-j' 'DCOS-VNET' 2>\/dev\/null \|\| 'iptables' '-w' '-A' 'DOCKER-USER' '-j' 'DCOS-VNET'$/);
    // Quoting survives sh: a word with a quote comes back as it was.
    assert.equal(execFileSync("sh", ["-c", `printf %s ${shellQuote("it's")}`]).toString(), "it's");
  });

  it("drops the jump and the chain in one iptables-restore transaction (refused whole while a rule is in the chain)", function () {
    const script = applyScript({ add: [], remove: [], drop: { jump: true } });
    const last = script.split("\n").pop()!;
    assert.match(last, /^printf '.*' \| iptables-restore -w --noflush 2>\/dev\/null \|\| true$/);
    // What iptables-restore reads, as sh's printf writes it.
    const batch = execFileSync("sh", ["-c", last.replace(/ \| iptables-restore.*$/, "")]).toString();
    assert.equal(batch, "*filter\n-D DOCKER-USER -j DCOS-VNET\n-X DCOS-VNET\nCOMMIT\n");
    const withoutJump = applyScript({ add: [], remove: [], drop: { jump: false } }).split("\n").pop()!;
    assert.equal(execFileSync("sh", ["-c", withoutJump.replace(/ \| iptables-restore.*$/, "")]).toString(), "*filter\n-X DCOS-VNET\nCOMMIT\n");
  });
});
