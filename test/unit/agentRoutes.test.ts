// The DOCKER-USER rules between a local cluster's host network and its overlays, from code alone
// (core/local/agentRoutes): the rule words, which listed rules are ours (this project and stack
// only), what to add and remove, and the script that applies it.
import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import {
  applyScript,
  bridgeOf,
  desiredRules,
  dockerIsolates,
  presentStates,
  ourListedRules,
  planRoutes,
  routeStates,
  ruleArgs,
  shellQuote,
  stackTag,
} from "../../src/core/local/agentRoutes";

const OWNER = { project: "dcos-vnet", stack: "mixed" };
const OVERLAYS = [{ network: "dcos-mx", bridge: "d-dcos-mx" }];
const DOCKER_CHAINS = "-P FORWARD DROP\n-N DOCKER\n-N DOCKER-ISOLATION-STAGE-1\n-N DOCKER-USER\n-A FORWARD -j DOCKER-USER\n";
const ours = (from: string, to: string, stack = "mixed", net = "dcos-mx") =>
  `-A DOCKER-USER -i ${from} -o ${to} -m comment --comment "dcos-vnet:dcos-vnet:${stack}:${net}" -j ACCEPT`;

describe("routes between the host network and the overlays (DOCKER-USER rules)", function () {
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

  it("reads back only this project's and stack's rules: not another stack's, not one whose name starts like ours", function () {
    const listing = [
      DOCKER_CHAINS,
      ours("d-dcos-mx", "br-aaa"),
      ours("d-x", "br-bbb", "mixed-2"),
      ours("d-y", "br-ccc", "mix"),
      "-A DOCKER-USER -i eth0 -j DROP",
      "-A DOCKER-USER -j RETURN",
    ].join("\n");
    assert.deepEqual(ourListedRules(listing, OWNER), [
      {
        args: ["-i", "d-dcos-mx", "-o", "br-aaa", "-m", "comment", "--comment", "dcos-vnet:dcos-vnet:mixed:dcos-mx", "-j", "ACCEPT"],
        rule: { from: "d-dcos-mx", to: "br-aaa", comment: "dcos-vnet:dcos-vnet:mixed:dcos-mx" },
      },
    ]);
  });

  it("adds what is missing, keeps what is there, removes ours that are stale or doubled, and touches no other rule", function () {
    const desired = desiredRules(OWNER, "br-new", OVERLAYS);
    const listing = [
      DOCKER_CHAINS,
      ours("br-new", "d-dcos-mx"),
      ours("br-new", "d-dcos-mx"), // a duplicate
      ours("d-dcos-mx", "br-old"), // the host network was re-created: new bridge
      ours("d-gone", "br-new", "mixed", "gone"), // an overlay that left
      ours("d-z", "br-z", "other-stack"),
      "-A DOCKER-USER -j RETURN",
    ].join("\n");
    const plan = planRoutes(listing, OWNER, desired);
    assert.deepEqual(plan.add, [desired[0]]);
    assert.deepEqual(plan.remove.map((a) => a.slice(0, 4).join(" ")), ["-i br-new -o d-dcos-mx", "-i d-dcos-mx -o br-old", "-i d-gone -o br-new"]);
    assert.deepEqual(planRoutes(listing, OWNER, []).remove.length, 4, "on delete every rule of ours goes");
  });

  it("reports each overlay present only with both rules, missing otherwise, unmanaged when Docker's chains are not visible", function () {
    const desired = desiredRules(OWNER, "br-h", OVERLAYS);
    assert.deepEqual(routeStates(DOCKER_CHAINS + ours("d-dcos-mx", "br-h") + "\n" + ours("br-h", "d-dcos-mx"), OWNER, desired), { "dcos-mx": "present" });
    assert.deepEqual(routeStates(DOCKER_CHAINS + ours("d-dcos-mx", "br-h"), OWNER, desired), { "dcos-mx": "missing" });
    assert.equal(dockerIsolates("-P FORWARD ACCEPT\n"), false);
    assert.equal(dockerIsolates("-P FORWARD DROP\n-N DOCKER\n-N DOCKER-FORWARD\n-N DOCKER-USER\n"), true, "Docker 28+, no isolation chains");
    assert.equal(dockerIsolates("-P FORWARD ACCEPT\n-N DOCKER-USER\n"), false, "a DOCKER-USER chain alone is not Docker's");
    assert.deepEqual(routeStates("-P FORWARD ACCEPT\n", OWNER, desired), { "dcos-mx": "unmanaged" });
    assert.deepEqual(presentStates(OWNER, desired), routeStates(DOCKER_CHAINS + ours("d-dcos-mx", "br-h") + "\n" + ours("br-h", "d-dcos-mx"), OWNER, desired), "after an apply, as a listing would say");
  });

  it("applies a plan with a script sh runs as written: create the chain if absent, delete stale, insert unless present", function () {
    const desired = desiredRules(OWNER, "br-h", OVERLAYS);
    const script = applyScript({ add: desired.slice(0, 1), remove: [["-i", "d-old", "-o", "br-h", "-j", "ACCEPT"]] });
    assert.deepEqual(script.split("\n"), [
      "set -e",
      "iptables -w -S DOCKER-USER >/dev/null 2>&1 || iptables -w -N DOCKER-USER",
      "'iptables' '-w' '-D' 'DOCKER-USER' '-i' 'd-old' '-o' 'br-h' '-j' 'ACCEPT' || true",
      "'iptables' '-w' '-C' 'DOCKER-USER' '-i' 'd-dcos-mx' '-o' 'br-h' '-m' 'comment' '--comment' 'dcos-vnet:dcos-vnet:mixed:dcos-mx' '-j' 'ACCEPT' 2>/dev/null || " +
        "'iptables' '-w' '-I' 'DOCKER-USER' '-i' 'd-dcos-mx' '-o' 'br-h' '-m' 'comment' '--comment' 'dcos-vnet:dcos-vnet:mixed:dcos-mx' '-j' 'ACCEPT'",
    ]);
    // Quoting survives sh: a word with a quote comes back as it was.
    assert.equal(execFileSync("sh", ["-c", `printf %s ${shellQuote("it's")}`]).toString(), "it's");
  });
});
