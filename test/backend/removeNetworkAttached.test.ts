// Removing a network of ours with a container still attached, on the real engine: a container the
// stack does not own (no ownership labels, or another stack's) is named as a container, by name and
// id, as not this stack's, with what to do; it is left exactly as it was, running or stopped, and
// so is the network. Nothing of the kind is ever disconnected or removed by the backend.
import { strict as assert } from "assert";
import { randomBytes } from "crypto";
import { Owner, ownerLabels } from "../../src/core/local/dockerNetworkSpec";
import { removeNetwork } from "../../src/backends/docker/networks";
import { APP_LABELS } from "../../src/backends/docker/containers";
import { engine, networkOrUndefined, requireDocker, run, removeMade } from "../support/docker";
import { createTestNetwork } from "../support/backendNetwork";

const suffix = randomBytes(3).toString("hex");
const owner: Owner = { project: "dcos-vnet", stack: `attached-${suffix}` };
const other: Owner = { project: "dcos-vnet", stack: `attached-other-${suffix}` };
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** What must not change about a container we refuse to touch. */
async function fingerprint(name: string) {
  const info = await engine.getContainer(name).inspect();
  return { id: info.Id, running: info.State.Running, startedAt: info.State.StartedAt, networks: Object.keys(info.NetworkSettings.Networks ?? {}).sort() };
}

describe("removing a network with containers attached that are not the stack's, on the real engine", function () {
  this.timeout(120_000);
  const made = { networks: [] as string[], containers: [] as string[] };

  before(requireDocker);
  after(() => removeMade(made));

  /** A network of this stack's with a container of the given labels on it; resolves to the network's id. */
  async function networkWith(name: string, container: string, labels: Record<string, string>, stopped = false): Promise<string> {
    await createTestNetwork(name, owner, 235);
    made.networks.push(name);
    const label = Object.entries(labels).flatMap(([k, v]) => ["--label", `${k}=${v}`]);
    await run("docker", ["run", "-d", "--name", container, "--network", name, ...label, "busybox:latest", "sleep", "600"]);
    made.containers.push(container);
    if (stopped) await engine.getContainer(container).stop({ t: 0 });
    return (await engine.getNetwork(name).inspect()).Id;
  }

  it("a container without ownership labels: named by name and id as not this stack's, with the commands; it and the network are left as they were", async function () {
    const name = `attached-${suffix}-a`;
    const squatter = `squatter-${suffix}`;
    const id = await networkWith(name, squatter, { owner: "someone-else" });
    const before = await fingerprint(squatter);

    const err: Error = await removeNetwork(id, name, owner).then(() => assert.fail("the network was removed"), (e) => e);
    assert.match(err.message, new RegExp(`^Docker network "${escape(name)}" was not removed: 1 container is still attached to it, and it was left as it is\\.`));
    assert.match(err.message, new RegExp(`Container "${escape(squatter)}" \\(id ${before.id.slice(0, 12)}, running\\) is not managed by this stack \\(it has no pulumi-dcos-vnet ownership labels\\)`));
    assert.match(err.message, new RegExp(`disconnect it \\(docker network disconnect ${escape(name)} ${escape(squatter)}\\), or remove it \\(docker rm -f ${escape(squatter)}\\) if it is yours to remove\\. Then run the same pulumi command again\\.$`));
    assert.doesNotMatch(err.message, /apps? on it/, "it is a container, not an app");

    assert.deepEqual(await fingerprint(squatter), before, "the container still runs, attached, untouched");
    assert.equal((await networkOrUndefined(name))?.Id, id, "the network is still there");

    // What the message says to do works: disconnected, the network goes.
    await run("docker", ["network", "disconnect", name, squatter]);
    await removeNetwork(id, name, owner);
    assert.equal(await networkOrUndefined(name), undefined);
    assert.equal((await fingerprint(squatter)).running, true);
  });

  it("a stopped container without ownership labels is named too, and can still start on the network afterwards", async function () {
    const name = `attached-${suffix}-s`;
    const parked = `parked-${suffix}`;
    const id = await networkWith(name, parked, {}, true);

    await assert.rejects(removeNetwork(id, name, owner), new RegExp(`Container "${escape(parked)}" \\(id [0-9a-f]{12}, exited\\) is not managed by this stack`));
    assert.equal((await networkOrUndefined(name))?.Id, id, "the network is still there");
    await engine.getContainer(parked).start();
    assert.deepEqual((await fingerprint(parked)).networks, [name], "it starts again, on the network");
  });

  it("another stack's container: that stack and its app named, not this stack's; left running", async function () {
    const name = `attached-${suffix}-o`;
    const theirs = `theirs-${suffix}`;
    const id = await networkWith(name, theirs, { ...ownerLabels(other), [APP_LABELS.app]: "/from-b" });
    const before = await fingerprint(theirs);

    await assert.rejects(
      removeNetwork(id, name, owner),
      new RegExp(`Container "${escape(theirs)}" \\(id ${before.id.slice(0, 12)}, running\\) belongs to project "dcos-vnet" stack "${escape(other.stack)}" \\(app /from-b\\), not to this stack: disconnect it \\(docker network disconnect ${escape(name)} ${escape(theirs)}\\), or remove it from stack "${escape(other.stack)}"\\.`),
    );
    assert.deepEqual(await fingerprint(theirs), before);
    assert.equal((await networkOrUndefined(name))?.Id, id);
  });

  it("this stack's own container that no resource holds: named with its app, as the stack's", async function () {
    const name = `attached-${suffix}-m`;
    const left = `left-${suffix}`;
    const id = await networkWith(name, left, { ...ownerLabels(owner), [APP_LABELS.app]: "/web" });

    await assert.rejects(
      removeNetwork(id, name, owner),
      new RegExp(`Container "${escape(left)}" \\(id [0-9a-f]{12}, running\\) is this stack's \\(app /web\\), but no resource in the stack's state holds it any more \\(left by an interrupted run\\): remove it \\(docker rm -f ${escape(left)}\\)\\.`),
    );
    assert.equal((await fingerprint(left)).running, true);
    assert.equal((await networkOrUndefined(name))?.Id, id);
  });
});
