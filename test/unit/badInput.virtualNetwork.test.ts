// Every rule about one network alone is also VirtualNetwork's check (checkVirtualNetwork), with the
// same failures relative to the network; and what only the check can see — more agents than the
// subnet has blocks — is refused there with DC/OS's exhaustion wording and the numbers.
import { strict as assert } from "assert";
import { checkVirtualNetwork } from "../../src/core/overlay/virtualNetwork";
import { Failure } from "../../src/core/common/failure";
import { BAD_NETWORKS, EXHAUSTED_NETWORKS } from "../support/badNetworks";

const known = () => false;
const PREFIX = "dcos-vnet:networks[0].";

/** The stack's failure as the resource names it: `dcos-vnet:networks[0].agents[1]` → `agents[1]`. */
function relative(f: Failure): Failure {
  assert.ok(f.property.startsWith(PREFIX), `${f.property} is not a field of networks[0]`);
  return { property: f.property.slice(PREFIX.length), reason: f.reason };
}

describe("bad input, unit level: VirtualNetwork check (checkVirtualNetwork)", function () {
  describe("rules about one network, the same as in the stack config", function () {
    for (const c of BAD_NETWORKS.filter((x) => x.ownRule)) {
      it(c.what, function () {
        const network = (c.networks as Record<string, unknown>[])[0];
        const { failures } = checkVirtualNetwork({}, network, known);
        assert.deepEqual(failures, c.failures.map(relative));
      });
    }
  });

  describe("what only the check sees", function () {
    for (const c of EXHAUSTED_NETWORKS) {
      it(c.what, function () {
        const { failures, inputs } = checkVirtualNetwork({}, c.network, known);
        assert.deepEqual(failures, c.failures);
        assert.deepEqual(inputs.agentSubnets, {}, "nothing is allocated when the plan fails");
      });
    }

    it("an agent that already holds a block keeps it; only the newcomer finds none", function () {
      const first = checkVirtualNetwork({}, { name: "small", subnet: "9.0.0.0/23", prefix: 24, agents: ["a1", "a2"] }, known);
      assert.deepEqual(first.failures, []);
      const olds = { ...first.inputs };
      const { failures } = checkVirtualNetwork(olds, { ...olds, agents: ["a2", "a3", "a1"] }, known);
      assert.deepEqual(failures, [{ property: "agents", reason: "No free subnets available in the small overlay: 3 agents need a block, the subnet holds 2" }]);
    });

    it("a disabled network allocates nothing, so its agents cannot exhaust it", function () {
      const { failures, inputs } = checkVirtualNetwork({}, { name: "small", subnet: "9.0.0.0/23", prefix: 24, enabled: false, agents: ["a1", "a2", "a3"] }, known);
      assert.deepEqual(failures, []);
      assert.deepEqual(inputs.agentSubnets, {});
    });
  });
});
