// VirtualNetwork end to end: DC/OS's rules stop a bad config at `pulumi preview` with nothing
// touched; the planned allocation shows in `preview --diff`; adding agents is an update that
// keeps every existing block; the Docker network is exactly the spec.
import { strict as assert } from "assert";
import { createTestStack, opsRecorder, TestStack } from "../support/pulumi";
import { engine, networkOrUndefined, ownedObjects, requireDocker } from "../support/docker";

async function engineSnapshot(): Promise<string[]> {
  const nets = await engine.listNetworks();
  const containers = await engine.listContainers({ all: true });
  return [...nets.map((n) => `net:${n.Id}`), ...containers.map((c) => `ctr:${c.Id}`)].sort();
}

describe("VirtualNetwork through the real Pulumi CLI and dockerd", function () {
  let t: TestStack;
  const suffix = Math.random().toString(36).slice(2, 6);
  const a = `vn-a-${suffix}`;
  const b = `vn-b-${suffix}`;

  before(async function () {
    await requireDocker();
    t = await createTestStack("vn", {
      cluster: { agents: ["agent-1", "agent-2"] },
      networks: [{ name: a, subnet: "9.210.0.0/16", prefix: 24 }],
    });
  });

  after(async function () {
    if (t) await t.dispose();
  });

  it("refuses overlapping networks at preview, naming both, and touches nothing", async function () {
    t.setConfig({
      networks: [
        { name: a, subnet: "9.210.0.0/16", prefix: 24 },
        { name: b, subnet: "9.210.128.0/17", prefix: 24 },
      ],
    });
    const before = await engineSnapshot();
    await assert.rejects(t.stack.preview(), (err: Error) => {
      assert.match(err.message, new RegExp(`dcos-vnet:networks\\[1\\]\\.subnet: Incorrect address space for the overlay network '${b}': Found overlapping address spaces \\("9.210.128.0/17" overlaps '${a}'`));
      return true;
    });
    assert.deepEqual(await engineSnapshot(), before);
  });

  it("refuses a bad prefix and a reserved name at preview with the config key and DC/OS's wording", async function () {
    t.setConfig({ networks: [{ name: "host", subnet: "9.210.0.0/16", prefix: 16 }] });
    const before = await engineSnapshot();
    await assert.rejects(t.stack.preview(), (err: Error) => {
      assert.match(err.message, /dcos-vnet:networks\[0\]\.name: Overlay network name: host is a reserved network name/);
      assert.match(err.message, /dcos-vnet:networks\[0\]\.prefix: prefix \/16 must be longer than the subnet's \/16/);
      return true;
    });
    assert.deepEqual(await engineSnapshot(), before);
  });

  it("refuses an exhausted overlay in the resource's check with DC/OS's message and the numbers", async function () {
    t.setConfig({
      cluster: { agents: ["agent-1", "agent-2", "agent-3"] },
      networks: [{ name: a, subnet: "9.210.0.0/23", prefix: 24 }],
    });
    await assert.rejects(t.stack.preview(), /No free subnets available in the vn-a-\w+ overlay: 3 agents need a block, the subnet holds 2/);
    assert.equal(await networkOrUndefined(a), undefined);
  });

  it("up creates the Docker network exactly as the spec says, and outputs the agent blocks", async function () {
    t.setConfig({
      cluster: { agents: ["agent-1", "agent-2"] },
      networks: [{ name: a, subnet: "9.210.0.0/16", prefix: 24, labels: { env: "test" } }],
    });
    const res = await t.stack.up();
    const net = await networkOrUndefined(a);
    assert.ok(net);
    assert.deepEqual(net.IPAM.Config, [{ Subnet: "9.210.0.0/16", Gateway: "9.210.0.1" }]);
    assert.deepEqual(net.Options, {
      "com.docker.network.bridge.enable_ip_masquerade": "false",
      "com.docker.network.bridge.name": `d-${a}`,
      "com.docker.network.driver.mtu": "1420",
    });
    assert.deepEqual(net.Labels, {
      env: "test",
      "io.dcos-vnet.virtual-network": a,
      "io.dcos-vnet.managed-by": "pulumi-dcos-vnet",
      "io.dcos-vnet.project": "dcos-vnet",
      "io.dcos-vnet.stack": t.name,
    });
    assert.deepEqual(res.outputs.virtualNetworks.value[a].agentSubnets, {
      "agent-1": { block: "9.210.0.0/24", mesos: "9.210.0.0/25", docker: "9.210.0.128/25" },
      "agent-2": { block: "9.210.1.0/24", mesos: "9.210.1.0/25", docker: "9.210.1.128/25" },
    });
  });

  it("adding an agent is an update that keeps existing blocks, and preview --diff shows the new block", async function () {
    t.setConfig({
      cluster: { agents: ["agent-1", "agent-2", "agent-3"] },
      networks: [{ name: a, subnet: "9.210.0.0/16", prefix: 24, labels: { env: "test" } }],
    });
    const preview = await t.stack.preview({ diff: true });
    assert.match(preview.stdout, /\+\s+agent-3\s*:\s*\{/);
    assert.match(preview.stdout, /block\s*:\s*"9\.210\.2\.0\/24"/);
    const rec = opsRecorder();
    const res = await t.stack.up({ onEvent: rec.onEvent });
    assert.equal(rec.ops[`VirtualNetwork::${a}`], "update");
    assert.equal(rec.ops[`LocalDockerNetwork::${a}`], "same", "the Docker network is untouched");
    const subnets = res.outputs.virtualNetworks.value[a].agentSubnets;
    assert.equal(subnets["agent-1"].block, "9.210.0.0/24");
    assert.equal(subnets["agent-2"].block, "9.210.1.0/24");
    assert.equal(subnets["agent-3"].block, "9.210.2.0/24");
  });

  it("removing an agent frees its block for the next newcomer", async function () {
    t.setConfig({
      cluster: { agents: ["agent-1", "agent-3", "agent-4"] },
      networks: [{ name: a, subnet: "9.210.0.0/16", prefix: 24, labels: { env: "test" } }],
    });
    const res = await t.stack.up();
    const subnets = res.outputs.virtualNetworks.value[a].agentSubnets;
    assert.deepEqual(
      Object.fromEntries(Object.entries(subnets).map(([k, v]: [string, any]) => [k, v.block])),
      { "agent-1": "9.210.0.0/24", "agent-3": "9.210.2.0/24", "agent-4": "9.210.1.0/24" },
    );
  });

  it("destroy leaves nothing with our labels", async function () {
    await t.stack.destroy();
    assert.deepEqual(await ownedObjects(t.name), { networks: [], containers: [] });
  });
});
