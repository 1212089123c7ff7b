// A pod's state as MarathonPod's diff compares it with the inputs (from code alone):
// - a state written when endpoint VIP labels were accepted and ignored (no `vips`) is updated once,
//   never replaced, so the next `up` makes the proxies and keeps the instances; a state with its
//   proxies is unchanged;
// - a pod that starts or stops running on the agents (endpoint hostPorts added to or removed from a
//   container-network pod) is replaced: its old holders go by the path that published them;
// - a host-mode pod's IP VIP is checked against the cluster's hostSubnet while its host network is unknown, and hostSubnet is not stored.
import { strict as assert } from "assert";
import { checkMarathonPod, resolvePod } from "../../src/core/marathon/podInputs";
import { localPodTarget } from "../../src/resources/providers/marathonPodLocal";
import { allocationDigest } from "../../src/resources/providers/marathonAppLocal";

const NET = "ps-net";
const owner = { project: "p", stack: "s" };
const networks = {
  [NET]: { dockerNetwork: NET, subnet: "9.1.0.0/16", agentSubnets: { "agent-1": { block: "9.1.0.0/24", mesos: "9.1.0.0/25", docker: "9.1.0.128/25" } } },
};
const HOST_NETWORK = { dockerNetwork: "s-host", subnet: "172.16.0.0/24", agents: { "agent-1": { ip: "172.16.0.2", container: "s.agent.agent-1" } } };
const box = (endpoints: unknown[]) => ({ name: "main", resources: { cpus: 0.1, mem: 32 }, exec: { command: { shell: "sleep 1" } }, endpoints });
const cart = (endpoint: Record<string, unknown>) => ({
  id: "/ps/cart", scaling: { kind: "fixed", instances: 1 }, networks: [{ mode: "container", name: NET }], containers: [box([{ name: "http", containerPort: 8080, ...endpoint }])],
});
const hostCart = (labels: Record<string, string>) => ({
  id: "/ps/hcart", scaling: { kind: "fixed", instances: 1 }, networks: [{ mode: "host" }], containers: [box([{ name: "http", hostPort: 0, labels }])],
});

function checked(pod: unknown) {
  const { inputs, failures } = checkMarathonPod({ pod, networks, owner, target: "local", hostAgents: ["agent-1"], hostNetwork: HOST_NETWORK, hostPortsTaken: {} }, () => false);
  assert.deepEqual(failures, []);
  return inputs;
}

/** What an `up` of the pod wrote: the inputs (networks as their Docker networks), one running instance, the VIP proxies given. */
function state(pod: unknown, vips?: unknown[]) {
  const { networks: joined, ...rest } = checked(pod);
  return {
    ...rest,
    dockerNetworks: Object.fromEntries(Object.keys(joined).map((n) => [n, n])),
    allocation: allocationDigest(resolvePod(checked(pod))),
    instances: [{ index: 0, agent: "agent-1", ip: "9.1.0.2", container: "s.ps.cart.0", containerId: "c0", half: "mesos", state: "running" }],
    nextIndex: 1,
    podId: (pod as { id: string }).id,
    ...(vips ? { vips } : {}),
  };
}

const proxy = { address: "pscart.marathon.l4lb.thisdcos.directory", ports: [80], container: "s.ps.cart.vip", containerId: "p0", ip: "9.1.0.130", state: "running" };
const diff = (olds: object, news: object) => localPodTarget.diff("id", olds, news);
const UPDATE = { changes: true, replaces: [], deleteBeforeReplace: false };
const NONE = { changes: false, replaces: [], deleteBeforeReplace: false };
const REPLACE = { changes: true, replaces: ["pod.containers.endpoints.hostPort"], deleteBeforeReplace: true };

describe("a pod's state in MarathonPod's diff", function () {
  const vip = { labels: { VIP_0: "/ps/cart:80" } };

  it("endpoint VIPs of a state written before they had proxies: an update (no replace); with the proxies: no changes", async function () {
    assert.deepEqual(await diff(state(cart(vip)), checked(cart(vip))), UPDATE, "container-network pod");
    assert.deepEqual(await diff(state(cart(vip), [proxy]), checked(cart(vip))), NONE);
    const hostVip = { VIP_0: "/ps/hcart:81" };
    assert.deepEqual(await diff(state(hostCart(hostVip)), checked(hostCart(hostVip))), UPDATE, "host-mode pod");
    assert.deepEqual(await diff(state(hostCart(hostVip), [proxy]), checked(hostCart(hostVip))), NONE);
  });

  it("a pod without VIPs stays unchanged", async function () {
    assert.deepEqual(await diff(state(cart({})), checked(cart({}))), NONE);
    assert.deepEqual(await diff(state(hostCart({})), checked(hostCart({}))), NONE);
    assert.deepEqual(await diff(state(cart({ hostPort: 0 })), checked(cart({ hostPort: 0 }))), NONE);
  });

  it("endpoint hostPorts removed from or added to a container-network pod: a replace", async function () {
    assert.deepEqual(await diff(state(cart({ hostPort: 0 })), checked(cart({}))), REPLACE);
    assert.deepEqual(await diff(state(cart({})), checked(cart({ hostPort: 0 }))), REPLACE);
  });
});

describe("a host-mode pod's IP VIP checked against cluster.hostSubnet (MarathonPod's hostSubnet)", function () {
  const UNKNOWN = Symbol("unknown");
  const ipVip = hostCart({ VIP_0: "10.1.2.3:81" });
  const news = (extra: object) => ({ pod: ipVip, networks: {}, owner, target: "local", hostAgents: ["agent-1"], hostNetwork: UNKNOWN, hostPortsTaken: {}, ...extra });

  it("refuses an IP outside it while the host network is still unknown, naming the label; hostSubnet is not kept in the inputs", function () {
    const isUnknown = (v: unknown) => v === UNKNOWN;
    assert.deepEqual(checkMarathonPod(news({}), isUnknown).failures, [], "without hostSubnet nothing knows the subnet yet");
    const { inputs, failures } = checkMarathonPod(news({ hostSubnet: "172.16.14.0/24" }), isUnknown);
    assert.deepEqual(failures.map((f) => f.property), ["pod.containers[0].endpoints[0].labels.VIP_0"]);
    assert.match(failures[0].reason, /10\.1\.2\.3 is outside 172\.16\.14\.0\/24/);
    assert.equal("hostSubnet" in inputs, false, "the state stays as it was");
  });
});
