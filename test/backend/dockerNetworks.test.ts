// Docker networks through the backend, against the real engine: a label change never detaches,
// stops or readdresses a container, running or stopped. Every object here has a unique
// `h2-relabel-…` name and its own owner stack, and is removed afterwards.
import { strict as assert } from "assert";
import { randomBytes } from "crypto";
import { DockerNetworkSpec, Owner } from "../../src/core/local/dockerNetworkSpec";
import { NetworkOwnershipError, createNetwork, relabelNetwork } from "../../src/backends/docker/networks";
import { runContainer } from "../../src/backends/docker/containers";
import { engine, networkOrUndefined, requireDocker, removeMade } from "../support/docker";
import { freeSubnet } from "../support/backendNetwork";

const suffix = randomBytes(3).toString("hex");
const owner: Owner = { project: "dcos-vnet", stack: `h2-relabel-${suffix}` };
const IMAGE = "busybox:latest";

/** A /24 no network on the engine overlaps (the engine is shared with other tests and stacks). */
function specOf(name: string, subnet: string, labels: Record<string, string>): DockerNetworkSpec {
  const [a, b, c] = subnet.split(".");
  return { name, subnet, gateway: `${a}.${b}.${c}.1`, mtu: 1420, ipMasquerade: false, labels };
}

const endpointOf = async (container: string, network: string) =>
  ((await engine.getContainer(container).inspect()).NetworkSettings.Networks ?? {})[network];

describe("Docker network label changes on the real engine", function () {
  this.timeout(120_000);
  const created = { networks: [] as string[], containers: [] as string[] };

  before(requireDocker);
  after(() => removeMade(created));

  it("keeps the network and every container, running or stopped, attached with its address", async function () {
    const name = `h2-relabel-${suffix}`;
    const subnet = await freeSubnet(240);
    const prefix = subnet.split(".").slice(0, 3).join(".");
    const spec = specOf(name, subnet, { team: "blue" });
    created.networks.push(name);
    const network = await createNetwork(spec, owner);

    const container = (n: number, ip: string) => ({
      name: `${name}-c${n}`, image: IMAGE, cmd: ["sleep", "600"], env: {}, labels: {}, network: name, ip, aliases: [`c${n}`],
    });
    const running = await runContainer(container(1, `${prefix}.10`), owner);
    const stopped = await runContainer(container(2, `${prefix}.11`), owner);
    created.containers.push(running.id, stopped.id);
    await engine.getContainer(stopped.id).stop({ t: 0 });

    const after = await relabelNetwork(network.id, { ...spec, labels: { team: "green" } }, owner);

    assert.equal(after.id, network.id, "the network must not be re-created");
    assert.equal((await networkOrUndefined(name))?.Id, network.id);
    const up = await engine.getContainer(running.id).inspect();
    assert.equal(up.State.Running, true, "the running container keeps running");
    assert.equal(up.NetworkSettings.Networks[name]?.NetworkID, network.id);
    assert.equal(up.NetworkSettings.Networks[name]?.IPAddress, `${prefix}.10`);
    assert.deepEqual(up.NetworkSettings.Networks[name]?.Aliases?.includes("c1"), true);

    const down = await endpointOf(stopped.id, name);
    assert.equal(down?.NetworkID, network.id, "the stopped container still points at the same network");
    assert.equal(down?.IPAMConfig?.IPv4Address, `${prefix}.11`);
    await engine.getContainer(stopped.id).start();
    assert.equal((await endpointOf(stopped.id, name))?.IPAddress, `${prefix}.11`, "started again, it has its address back");

    // Docker network labels are immutable: the engine keeps the labels of creation (the declared
    // labels live in the Pulumi state), and the ownership labels stay.
    const labels = (await networkOrUndefined(name))?.Labels;
    assert.equal(labels?.team, "blue");
    assert.equal(labels?.["io.dcos-vnet.stack"], owner.stack);
  });

  it("creates the network with the new labels when it was removed behind our back", async function () {
    const name = `h2-relabel-${suffix}-gone`;
    const spec = specOf(name, await freeSubnet(240), { team: "blue" });
    created.networks.push(name);
    const first = await createNetwork(spec, owner);
    await engine.getNetwork(first.id).remove();
    const again = await relabelNetwork(first.id, { ...spec, labels: { team: "green" } }, owner);
    assert.notEqual(again.id, first.id);
    assert.equal((await networkOrUndefined(name))?.Labels?.team, "green");
  });

  it("refuses a network that is not ours, and leaves it as it was", async function () {
    const name = `h2-relabel-${suffix}-theirs`;
    const subnet = await freeSubnet(240);
    created.networks.push(name);
    const theirs = await engine.createNetwork({ Name: name, Driver: "bridge", IPAM: { Config: [{ Subnet: subnet }] }, Labels: { owner: "someone-else" } });
    await assert.rejects(relabelNetwork(theirs.id, specOf(name, subnet, { team: "green" }), owner), NetworkOwnershipError);
    assert.deepEqual((await networkOrUndefined(name))?.Labels, { owner: "someone-else" });
  });
});
