// Each agent half keeps headroom (dcos-network-headroom): instances planned as the local cluster
// places them, Docker apps in the Docker half, others in the Mesos half.
import { strict as assert } from "assert";
import { runStackPolicy } from "../../policy/testing";
import { networkHeadroom } from "../../policy/rules/networkHeadroom";
import { app, owned } from "./resources";

// A /28 block per agent: halves of 8 addresses, 5 for containers (network, broadcast, bridge excluded).
const SMALL = { prefix: 28 };
const MESOS = { container: { type: "MESOS" } };

describe("policy dcos-network-headroom", function () {
  it("warns about a half the planned instances fill beyond the headroom, with the numbers and the apps", async function () {
    // 15 instances over 3 agents: 5 in each Docker half of 5.
    const resources = [...owned("tiny", "9.50.0.0/24", SMALL), app("/web", "tiny", { instances: 15 })];
    const v = await runStackPolicy(networkHeadroom, resources);
    assert.equal(v.length, 3, JSON.stringify(v));
    assert.deepEqual(v[0], {
      message:
        "VirtualNetwork tiny: agent-1's Docker half would hold 5 of its 5 container addresses (0% free) with /web; " +
        "keep at least 20% of each half free (policy config minHeadroomPercent): a shorter prefix gives each agent a bigger block (prefix), or move apps to another network",
      urn: "urn:pulumi:test::dcos-vnet::pulumi-nodejs:dynamic/dcos:VirtualNetwork::tiny",
    });
  });

  it("passes a half at the headroom or above, and follows minHeadroomPercent", async function () {
    const resources = [...owned("tiny", "9.50.0.0/24", SMALL), app("/web", "tiny", { instances: 12 })];
    assert.deepEqual(await runStackPolicy(networkHeadroom, resources), []); // 4 of 5: exactly 20% free
    const v = await runStackPolicy(networkHeadroom, resources, { config: { minHeadroomPercent: 50 } });
    assert.equal(v.length, 3);
    assert.match(v[0].message, /4 of its 5 container addresses \(20% free\) with \/web; keep at least 50% of each half free/);
  });

  it("adds up the apps sharing a half, and keeps Docker and Mesos halves apart", async function () {
    const resources = [
      ...owned("tiny", "9.50.0.0/24", { ...SMALL, agents: ["agent-1"] }),
      app("/web", "tiny", { instances: 2 }),
      app("/api", "tiny", { instances: 3 }),
      app("/batch", "tiny", { instances: 3, ...MESOS }),
    ];
    const v = await runStackPolicy(networkHeadroom, resources);
    assert.deepEqual(v.map((x) => x.message.split(";")[0]), [
      "VirtualNetwork tiny: agent-1's Docker half would hold 5 of its 5 container addresses (0% free) with /api, /web",
    ]);
  });

  it("places as the provider does: hostname constraints pile instances onto the agents they allow", async function () {
    const resources = [...owned("tiny", "9.50.0.0/24", SMALL), app("/db", "tiny", { instances: 5, constraints: [["hostname", "CLUSTER", "agent-2"]] })];
    const v = await runStackPolicy(networkHeadroom, resources);
    assert.deepEqual(v.map((x) => x.message.split(";")[0]), [
      "VirtualNetwork tiny: agent-2's Docker half would hold 5 of its 5 container addresses (0% free) with /db",
    ]);
  });

  it("leaves apps deployed to a real DC/OS cluster to Marathon's placement", async function () {
    const resources = [...owned("tiny", "9.50.0.0/24", SMALL), app("/web", "tiny", { instances: 15 }, "marathon")];
    assert.deepEqual(await runStackPolicy(networkHeadroom, resources), []);
  });
});
