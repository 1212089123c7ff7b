// No two stacks' networks overlap unless one declares the other's network external
// (dcos-no-cross-stack-overlap): the comparison, and the policy with the other stacks given to it.
// Reading them from a real backend is tested through the CLI (test/e2e/policyPack.e2e.test.ts).
import { strict as assert } from "assert";
import { runStackPolicy } from "../../policy/testing";
import { noCrossStackOverlap, overlaps } from "../../policy/rules/noCrossStackOverlap";
import { StackResources } from "../../policy/otherStacks";
import { fromPolicyResource } from "../../policy/resources";
import { policyResource, TestResource } from "../../policy/testing";
import { app, dockerNet, owned, vnet } from "./resources";

const declared = (rs: TestResource[]) => rs.map((r) => fromPolicyResource(policyResource(r)));
const stack = (name: string, rs: TestResource[]): StackResources => ({ stack: name, resources: declared(rs) });

describe("policy dcos-no-cross-stack-overlap", function () {
  it("finds an owned network overlapping another stack's, with DC/OS's own wording", function () {
    const found = overlaps(declared(owned("web-net", "9.10.0.0/16")), [stack("dev", owned("dcos-1", "9.10.4.0/24"))]);
    assert.deepEqual(found.map((o) => [o.network.name, o.field, o.message]), [
      ["web-net", "subnet", `Incorrect address space for the overlay network 'web-net': Found overlapping address spaces ("9.10.0.0/16" overlaps 'dev/dcos-1' "9.10.4.0/24")`],
    ]);
  });

  it("allows one network shared through external, in either stack", function () {
    const dev = stack("dev", owned("dcos-1", "9.10.0.0/16"));
    assert.deepEqual(overlaps(declared([vnet("dcos-1", "9.10.0.0/16"), app("/web", "dcos-1")]), [dev]), [], "this stack declares it external");
    const sharing = stack("dev", [vnet("dcos-1", "9.10.0.0/16")]);
    assert.deepEqual(overlaps(declared(owned("dcos-1", "9.10.0.0/16")), [sharing]), [], "the other stack declares it external");
  });

  it("refuses the same network owned by both stacks, and external under another name", function () {
    assert.equal(overlaps(declared(owned("dcos-1", "9.10.0.0/16")), [stack("dev", owned("dcos-1", "9.10.0.0/16"))]).length, 1);
    assert.equal(overlaps(declared([vnet("mine", "9.10.0.0/16")]), [stack("dev", owned("dcos-1", "9.10.0.0/16"))]).length, 1);
  });

  it("compares IPv6 spaces too, and passes disjoint networks", function () {
    // IPv6-only networks, each with its Docker network.
    const v6 = (name: string, subnet6: string): TestResource[] => [
      { ...vnet(name, ""), props: { name, subnet6, prefix6: 80, agents: ["agent-1"] } },
      dockerNet(name, ""),
    ];
    const found = overlaps(declared(v6("a", "fd01:b::/64")), [stack("dev", v6("b", "fd01:b::/48"))]);
    assert.deepEqual(found.map((o) => o.field), ["subnet6"]);
    assert.deepEqual(overlaps(declared(owned("a", "9.10.0.0/16")), [stack("dev", owned("b", "9.11.0.0/16"))]), []);
  });

  it("reports on the network's URN what to do, reading the stacks the config names", async function () {
    let asked: unknown[] = [];
    const policy = noCrossStackOverlap(() => ({ name: "live", project: "dcos-vnet" }), async (project, current, names) => {
      asked = [project, current, names];
      return [stack("organization/dcos-vnet/dev", owned("dcos-1", "9.10.0.0/16"))];
    });
    const v = await runStackPolicy(policy, owned("web-net", "9.10.0.0/24"), { config: { stacks: ["dev"] } });
    assert.deepEqual(asked, ["dcos-vnet", "live", ["dev"]]);
    assert.deepEqual(v, [{
      message:
        "VirtualNetwork web-net (subnet): Incorrect address space for the overlay network 'web-net': Found overlapping address spaces " +
        `("9.10.0.0/24" overlaps 'dev/dcos-1' "9.10.0.0/16"). Networks of two stacks may overlap only when they are one network that one of the stacks ` +
        "declares external (dcos-vnet:networks[].external: true); otherwise give this one an address space of its own",
      urn: "urn:pulumi:test::dcos-vnet::pulumi-nodejs:dynamic/dcos:VirtualNetwork::web-net",
    }]);
  });

  it("reports, rather than passes, when the other stacks cannot be read", async function () {
    const policy = noCrossStackOverlap(() => ({ name: "live", project: "dcos-vnet" }), async () => {
      throw new Error("pulumi stack ls --project dcos-vnet --json: the pulumi CLI is not on PATH");
    });
    const v = await runStackPolicy(policy, owned("web-net", "9.10.0.0/24"));
    assert.deepEqual(v.map((x) => x.message), [
      "cannot read the other stacks of project dcos-vnet to compare networks: pulumi stack ls --project dcos-vnet --json: the pulumi CLI is not on PATH",
    ]);
  });
});
