// A preview depends on code and state only: the same stack previewed through a second, EMPTY
// private engine (a CI runner with a Docker of its own, say) shows no changes, because check and
// diff never ask the engine about existing resources. Drift is refresh's job: a refreshing preview
// through that engine reports the network and the instances as gone.
import { strict as assert } from "assert";
import { createTestStack, opsRecorder, TestStack } from "../support/pulumi";
import { requireDocker } from "../support/docker";
import { PrivateEngine, startPrivateEngine } from "../support/privateEngine";
import { ROOT } from "../support/paths";
import { stackIn } from "../support/project";

const suffix = Math.random().toString(36).slice(2, 6);
const net = `pv-${suffix}`;

describe("previews without the engine's objects (a second, empty engine)", function () {
  let t: TestStack;
  let empty: PrivateEngine;

  before(async function () {
    await requireDocker();
    empty = await startPrivateEngine("empty");
    t = await createTestStack("pvw", {
      cluster: { agents: ["agent-1", "agent-2"] },
      networks: [{ name: net, subnet: "9.243.0.0/16", prefix: 24 }],
      apps: [{ app: {
        id: `/pv-${suffix}`, cmd: "exec sleep 3600", instances: 2, cpus: 0.05, mem: 16,
        container: { type: "DOCKER", docker: { image: "busybox" } }, networks: [{ mode: "container", name: net }],
      } }],
    });
    await t.stack.up();
  });

  after(async function () {
    try {
      if (t) await t.dispose();
    } finally {
      if (empty) await empty.dispose();
    }
  });

  it("an unchanged program shows 0 changes through the empty engine", async function () {
    const elsewhere = await stackIn(ROOT, t.name, t.backendDir, { DOCKER_HOST: empty.host });
    const { ops, onEvent } = opsRecorder();
    const preview = await elsewhere.preview({ onEvent });
    const { same, ...changes } = preview.changeSummary;
    assert.deepEqual(changes, {}, JSON.stringify(ops));
    assert.equal(same, 5); // stack, component, VirtualNetwork, LocalDockerNetwork, MarathonApp
  });

  it("a refreshing preview through the empty engine reports the drift (network gone, instances missing), and changes no state", async function () {
    const elsewhere = await stackIn(ROOT, t.name, t.backendDir, { DOCKER_HOST: empty.host });
    const { ops, onEvent } = opsRecorder();
    await elsewhere.preview({ onEvent, refresh: true });
    assert.equal(ops[`LocalDockerNetwork::${net}`], "create", JSON.stringify(ops));
    assert.equal(ops[`MarathonApp::pv-${suffix}`], "update", JSON.stringify(ops));
    // The state is untouched: a plain preview through the real engine still shows nothing to do.
    const again = await t.stack.preview();
    const { same, ...changes } = again.changeSummary;
    assert.deepEqual(changes, {});
    assert.equal(same, 5);
  });

  // The one question a preview asks the engine (is another network on this address space?) is
  // for a network about to be created, never for one the state has: so a network of someone
  // else's on the same subnet, on this machine's engine, changes nothing in the preview.
  it("an unchanged program shows 0 changes through an engine holding someone else's network on the same subnet", async function () {
    await empty.client.createNetwork({ Name: `theirs-${suffix}`, Driver: "bridge", IPAM: { Config: [{ Subnet: "9.243.0.0/16" }] } });
    const elsewhere = await stackIn(ROOT, t.name, t.backendDir, { DOCKER_HOST: empty.host });
    const { ops, onEvent } = opsRecorder();
    const preview = await elsewhere.preview({ onEvent });
    const { same, ...changes } = preview.changeSummary;
    assert.deepEqual(changes, {}, JSON.stringify(ops));
    assert.equal(same, 5);
  });
});
