// The foundation slice end to end: the real Pulumi CLI (Automation API) runs the stack program,
// whose dynamic provider drives the real Docker engine. Every assertion about the network is made
// by asking the engine itself.
import { strict as assert } from "assert";
import { createTestStack, opsRecorder, resourcesOfType, TestStack } from "../support/pulumi";
import { engine, networkOrUndefined, ownedObjects, requireDocker } from "../support/docker";

describe("LocalDockerNetwork through the real Pulumi CLI and dockerd", function () {
  let t: TestStack;
  let netName: string;
  const network = (subnet: string, labels: Record<string, string>) => ({
    networks: [{ name: netName, subnet, prefix: 24, labels }],
  });

  before(async function () {
    await requireDocker();
    netName = `e2e-${Math.random().toString(36).slice(2, 8)}`;
    t = await createTestStack("ldn", network("9.200.0.0/16", { team: "blue" }));
  });

  after(async function () {
    if (t) await t.dispose();
  });

  it("previews one network to create and touches nothing", async function () {
    const rec = opsRecorder();
    await t.stack.preview({ onEvent: rec.onEvent });
    assert.equal(rec.ops[`LocalDockerNetwork::${netName}`], "create");
    assert.equal(await networkOrUndefined(netName), undefined);
  });

  it("up creates the Docker network exactly as declared", async function () {
    await t.stack.up();
    const net = await networkOrUndefined(netName);
    assert.ok(net, "network exists in the engine");
    assert.equal(net.Driver, "bridge");
    assert.deepEqual(
      net.IPAM.Config.map((c: any) => [c.Subnet, c.Gateway]),
      [["9.200.0.0/16", "9.200.0.1"]],
    );
    assert.equal(net.Options["com.docker.network.bridge.name"], `d-${netName}`);
    assert.equal(net.Options["com.docker.network.bridge.enable_ip_masquerade"], "false");
    assert.equal(net.Options["com.docker.network.driver.mtu"], "1420");
    assert.equal(net.Labels.team, "blue");
    assert.equal(net.Labels["io.dcos-vnet.managed-by"], "pulumi-dcos-vnet");
    assert.equal(net.Labels["io.dcos-vnet.stack"], t.name);
  });

  it("a second up changes nothing", async function () {
    const rec = opsRecorder();
    const res = await t.stack.up({ onEvent: rec.onEvent });
    assert.equal(rec.ops[`LocalDockerNetwork::${netName}`], "same");
    assert.deepEqual(Object.keys(res.summary.resourceChanges ?? {}), ["same"]);
  });

  // Docker network labels are immutable and re-creating the network would detach its containers,
  // so the engine keeps the labels of creation and the state holds the declared ones.
  it("changing a label is an update in place: the state takes the new labels, the engine's network stays as it was", async function () {
    const before = await networkOrUndefined(netName);
    t.setConfig(network("9.200.0.0/16", { team: "green" }));
    const rec = opsRecorder();
    await t.stack.up({ onEvent: rec.onEvent });
    assert.equal(rec.ops[`LocalDockerNetwork::${netName}`], "update");
    const net = await networkOrUndefined(netName);
    assert.equal(net.Id, before.Id, "the network must not be re-created");
    assert.equal(net.Labels.team, "blue");
    assert.equal(net.IPAM.Config[0].Subnet, "9.200.0.0/16");
    const [resource] = await resourcesOfType(t.stack, "LocalDockerNetwork");
    assert.equal(resource.outputs.labels.team, "green");
    const again = opsRecorder();
    await t.stack.up({ onEvent: again.onEvent });
    assert.equal(again.ops[`LocalDockerNetwork::${netName}`], "same");
  });

  it("changing the subnet is a replace", async function () {
    t.setConfig(network("9.201.0.0/16", { team: "green" }));
    const preview = opsRecorder();
    await t.stack.preview({ onEvent: preview.onEvent });
    assert.equal(preview.ops[`LocalDockerNetwork::${netName}`], "replace");
    const rec = opsRecorder();
    await t.stack.up({ onEvent: rec.onEvent });
    assert.equal(rec.ops[`LocalDockerNetwork::${netName}`], "replace");
    const net = await networkOrUndefined(netName);
    assert.equal(net.IPAM.Config[0].Subnet, "9.201.0.0/16");
    assert.equal(net.IPAM.Config[0].Gateway, "9.201.0.1");
  });

  it("refresh notices a network deleted out of band, and up heals it", async function () {
    await engine.getNetwork(netName).remove();
    await t.stack.refresh();
    assert.equal((await resourcesOfType(t.stack, "LocalDockerNetwork")).length, 0, "gone from state");
    const rec = opsRecorder();
    await t.stack.up({ onEvent: rec.onEvent });
    assert.equal(rec.ops[`LocalDockerNetwork::${netName}`], "create");
    assert.ok(await networkOrUndefined(netName));
  });

  it("destroy removes it and leaves nothing with our labels", async function () {
    await t.stack.destroy();
    assert.equal(await networkOrUndefined(netName), undefined);
    assert.deepEqual(await ownedObjects(t.name), { networks: [], containers: [] });
  });
});
