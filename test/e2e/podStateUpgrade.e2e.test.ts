// Pods' state from the package before host-mode pods (BEFORE_HOST_PODS) is taken over by this
// version with no change at all: a container-network pod, in a stack that also has agents (a
// host-mode app), is neither replaced nor updated, and its holder and containers keep their ids.
// A pod whose endpoint had a VIP label (accepted and ignored then) is updated in place: it keeps its
// instances and gains its VIP proxy.
// The old package is built from that commit (`git archive`, this checkout untouched) into a
// project of its own whose node_modules links to this checkout's, except for the package itself.
import { strict as assert } from "assert";
import { Stack } from "@pulumi/pulumi/automation";
import { ROOT } from "../support/paths";
import { engine, ownedObjects, requireAgentImage, requireDocker } from "../support/docker";
import { opsRecorder } from "../support/pulumi";
import { disposeUpgrade, oldRelease, stackIn, tempDir, writeStackConfig } from "../support/project";

/** main just before host-mode pods and published pod endpoints. */
const BEFORE_HOST_PODS = "fc0ce26";

const suffix = Math.random().toString(36).slice(2, 6);
const net = `pu-${suffix}`;
const CONFIG = {
  cluster: { agents: ["agent-1", "agent-2"] },
  networks: [{ name: net, subnet: "9.243.0.0/16", prefix: 24 }],
  apps: [{ app: { id: "/pu/host", cmd: "exec sleep 3600", instances: 1, cpus: 0.05, mem: 16, networks: [{ mode: "host" }], portDefinitions: [{ port: 0 }] } }],
  pods: [{
    pod: {
      id: "/pu/cart", scaling: { kind: "fixed", instances: 2 }, networks: [{ mode: "container", name: net }],
      containers: [
        { name: "main", resources: { cpus: 0.05, mem: 16 }, exec: { command: { shell: "exec sleep 3600" } }, endpoints: [{ name: "http", containerPort: 8080 }] },
        { name: "side", resources: { cpus: 0.05, mem: 16 }, exec: { command: { shell: "exec sleep 3600" } } },
      ],
    },
  }, {
    pod: {
      id: "/pu/vip", scaling: { kind: "fixed", instances: 1 }, networks: [{ mode: "container", name: net }],
      containers: [
        { name: "main", resources: { cpus: 0.05, mem: 16 }, exec: { command: { shell: "exec sleep 3600" } }, endpoints: [{ name: "http", containerPort: 8080, labels: { VIP_0: "/pu/vip:80" } }] },
      ],
    },
  }],
};

async function containerIds(stack: string): Promise<Record<string, string>> {
  const list = await engine.listContainers({ all: true, filters: { label: [`io.dcos-vnet.stack=${stack}`] } });
  return Object.fromEntries(list.map((c) => [c.Names[0].slice(1), c.Id]));
}

describe(`pods' state from before host-mode pods (${BEFORE_HOST_PODS}) kept on upgrade`, function () {
  const name = `t-podup-${suffix}`;
  let old: string, backend: string;
  let initial: Record<string, string>;
  let current: Stack | undefined;

  before(async function () {
    await requireDocker();
    await requireAgentImage();
    old = oldRelease(BEFORE_HOST_PODS, "before-host-pods");
    backend = tempDir("podup-state");
    writeStackConfig(old, name, CONFIG);
    writeStackConfig(ROOT, name, CONFIG);
  });

  after(async function () {
    await disposeUpgrade(current, name, [old, backend]);
  });

  it("the old package brings the stack up (a pod on a virtual network beside a host-mode app)", async function () {
    await (await stackIn(old, name, backend)).up();
    initial = await containerIds(name);
    assert.equal(Object.keys(initial).filter((c) => c.startsWith(`${name}.pu.cart.`)).length, 2 * 3, JSON.stringify(initial));
  });

  it("this version's preview changes no app and no pod but the VIP one's (an update), and its up keeps every container and adds the VIP's proxy", async function () {
    current = await stackIn(ROOT, name, backend);
    const { ops, onEvent } = opsRecorder();
    await current.preview({ onEvent });
    const changed = Object.entries(ops).filter(([, op]) => op !== "same");
    // Since fc0ce26 the stack's overlays and its agents reach each other (LocalAgents' overlays
    // input, core/local/agentRoutes): an in-place update of the agents, never a replace.
    // The pod with an endpoint VIP label: its state has no `vips`, so an update makes the proxy.
    assert.deepEqual(changed.sort(), [["LocalAgents::agents", "update"], ["MarathonPod::pod.pu.vip", "update"]], JSON.stringify(ops));
    await current.up();
    const after = await containerIds(name);
    assert.deepEqual(Object.fromEntries(Object.keys(initial).map((c) => [c, after[c]])), initial, "every container kept");
    const added = Object.keys(after).filter((c) => !(c in initial));
    assert.equal(added.length, 1, JSON.stringify(added));
    assert.match(added[0], /vip/, "the one new container is the VIP's proxy");
  });

  it("destroy leaves nothing", async function () {
    await current!.destroy();
    current = undefined;
    assert.deepEqual(await ownedObjects(name), { networks: [], containers: [] });
  });
});
