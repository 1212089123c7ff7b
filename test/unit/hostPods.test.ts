// Host-mode pods on the local cluster, planned from code alone (core/local/hostPods with
// core/local/hostPorts): each endpoint is a host port on the instance's agent (0 assigned, others
// fixed), pods' fixed ports and host-mode apps' compete per agent, a clash fails the check naming
// the endpoint's field and the holder, and the containers get Marathon's ENDPOINT_<NAME> and HOST.
import { strict as assert } from "assert";
import { checkMarathonPod, podAsApp } from "../../src/core/marathon/podInputs";
import { hostPodEnv, hostPodPorts, publishedPorts } from "../../src/core/local/hostPods";
import { planHostPorts, withSlots } from "../../src/core/local/hostPorts";
import { normalizeApp } from "../../src/core/marathon/normalize";
import { AppDefinition } from "../../src/core/marathon/types";
import { PodDefinition } from "../../src/core/marathon/podTypes";

const AGENTS = ["agent-1", "agent-2"];
const HOST_NETWORK = {
  dockerNetwork: "s-host",
  subnet: "172.16.0.0/24",
  agents: { "agent-1": { ip: "172.16.0.2", container: "s.agent.agent-1" }, "agent-2": { ip: "172.16.0.3", container: "s.agent.agent-2" } },
};
const container = (name: string, endpoints: unknown[]) => ({ name, resources: { cpus: 0.1, mem: 32 }, exec: { command: { shell: "sleep 1" } }, endpoints });
const hostPod = (instances: number, extra: Record<string, unknown> = {}) => ({
  id: "/shop/cart",
  scaling: { kind: "fixed", instances },
  networks: [{ mode: "host" }],
  containers: [container("main", [{ name: "http", hostPort: 0 }]), container("side-car", [{ name: "side-car", hostPort: 7200, protocol: ["tcp", "udp"] }])],
  ...extra,
});
const check = (pod: unknown, taken: Record<string, Record<string, string>> = {}, agents = AGENTS) =>
  checkMarathonPod({ pod, networks: {}, owner: { project: "p", stack: "s" }, target: "local", hostAgents: agents, hostNetwork: HOST_NETWORK, hostPortsTaken: taken }, () => false);

describe("host-mode pods on the local cluster (planning)", function () {
  it("sees each endpoint as a port definition in container order: fixed hostPorts required, 0 assigned", function () {
    assert.deepEqual(hostPodPorts(hostPod(1) as PodDefinition), {
      portDefinitions: [{ port: 0, name: "http", protocol: "tcp" }, { port: 7200, name: "side-car", protocol: "udp,tcp" }],
      requirePorts: true,
    });
    const app = podAsApp(hostPod(1) as PodDefinition);
    assert.deepEqual(app.networks, [{ mode: "host" }]);
    // Marathon's default (no networks) is host mode too.
    assert.deepEqual(podAsApp(hostPod(1, { networks: undefined }) as PodDefinition).networks, [{ mode: "host" }]);
  });

  it("plans each instance on an agent with its host ports: a fixed one puts 2 instances on 2 agents", function () {
    const { inputs, failures } = check(hostPod(2));
    assert.deepEqual(failures, []);
    assert.equal(inputs.network, "host");
    assert.deepEqual(inputs.hostPlan, [{ agent: "agent-1", ports: [1025, 7200] }, { agent: "agent-2", ports: [1025, 7200] }]);
    assert.deepEqual(inputs.hostNetwork, HOST_NETWORK);
    assert.equal((inputs as any).hostPortsTaken, undefined, "other apps' ports are not kept in the pod's state");
  });

  it("refuses a third instance when the fixed hostPort is held on both agents, naming the endpoint's field", function () {
    const { failures } = check(hostPod(3));
    assert.deepEqual(failures, [{
      property: "pod.containers[1].endpoints[0].hostPort",
      reason: "no agent can hold instance 3 of 3 of /shop/cart: it needs host ports [0, 7200] on one agent (agent-1: port 7200 is held by another instance of /shop/cart; agent-2: port 7200 is held by another instance of /shop/cart)",
    }]);
  });

  it("an app and a pod cannot both hold a fixed port on one agent: the pod, planned after the app, is refused naming the app", function () {
    // What DcosCluster does (clusterAgents): the apps' plans first, then each pod given the ports they hold.
    const app = normalizeApp({ id: "/web", cmd: "sleep 1", networks: [{ mode: "host" }], requirePorts: true, portDefinitions: [{ port: 7200 }] } as unknown as AppDefinition);
    const planned = planHostPorts(app, ["agent-1"]);
    assert.ok(planned.ok);
    const taken = withSlots({}, app.id, planned.slots);
    const { failures } = check(hostPod(1), taken, ["agent-1"]);
    assert.deepEqual(failures, [{
      property: "pod.containers[1].endpoints[0].hostPort",
      reason: "no agent can hold instance 1 of 1 of /shop/cart: it needs host ports [0, 7200] on one agent (agent-1: port 7200 is held by /web)",
    }]);
    // With a second agent the pod goes there instead, and its assigned port avoids nothing it need not.
    assert.deepEqual(check(hostPod(1), taken).inputs.hostPlan, [{ agent: "agent-2", ports: [1025, 7200] }]);
    // A port the app was assigned (not fixed) is held too: the pod's assigned port is the next one.
    const assigned = normalizeApp({ id: "/any", cmd: "sleep 1", networks: [{ mode: "host" }], portDefinitions: [{ port: 0 }] } as unknown as AppDefinition);
    const anyPlan = planHostPorts(assigned, ["agent-1"]);
    assert.ok(anyPlan.ok);
    assert.deepEqual(check(hostPod(1), withSlots({}, assigned.id, anyPlan.slots), ["agent-1"]).inputs.hostPlan, [{ agent: "agent-1", ports: [1026, 7200] }]);
  });

  it("gives the containers ENDPOINT_<NAME> (the host port) and HOST (the agent's address)", function () {
    assert.deepEqual(hostPodEnv(hostPod(1) as PodDefinition, { agent: "agent-2", ports: [1025, 7200] }, "172.16.0.3"), {
      HOST: "172.16.0.3",
      ENDPOINT_HTTP: "1025",
      ENDPOINT_SIDE_CAR: "7200",
    });
  });

  it("a container-network pod's app is as before (its state from earlier versions compares the same)", function () {
    const pod = { id: "/p", containers: [container("a", [{ name: "x", containerPort: 80 }])], networks: [{ mode: "container", name: "n1" }] };
    const app = podAsApp(pod as PodDefinition) as unknown as Record<string, unknown>;
    assert.deepEqual(app.networks, [{ mode: "container", name: "n1" }]);
    assert.equal(app.portDefinitions, undefined);
    assert.equal(app.requirePorts, undefined);
  });

  it("plans a container-network pod's endpoint hostPorts on the agents with a block in each of its networks", function () {
    const block = { block: "9.1.0.0/24", mesos: "9.1.0.0/25", docker: "9.1.0.128/25" };
    const pod = (instances: number) => ({
      id: "/pub", scaling: { kind: "fixed", instances }, networks: [{ mode: "container", name: "n1" }],
      containers: [container("web", [{ name: "http", containerPort: 80, hostPort: 0 }, { name: "inner", containerPort: 81 }, { name: "admin", containerPort: 82, hostPort: 7300, protocol: ["udp"] }])],
    });
    const news = (instances: number) => ({
      pod: pod(instances), owner: { project: "p", stack: "s" }, target: "local", hostAgents: AGENTS, hostNetwork: HOST_NETWORK, hostPortsTaken: {},
      networks: { n1: { dockerNetwork: "n1", agentSubnets: { "agent-1": block } } }, // agent-2 has no block in n1
    });
    const one = checkMarathonPod(news(1), () => false);
    assert.deepEqual(one.failures, []);
    assert.equal(one.inputs.network, "n1", "the pod's own address stays on its network");
    assert.deepEqual(one.inputs.hostAgents, ["agent-1"]);
    assert.deepEqual(one.inputs.hostPlan, [{ agent: "agent-1", ports: [1025, 7300] }]);
    assert.deepEqual(one.inputs.hostNetwork, HOST_NETWORK);
    // Only endpoints with a hostPort hold one, and a failure names the endpoint's own field (the third, not the second).
    assert.deepEqual(checkMarathonPod(news(2), () => false).failures, [{
      property: "pod.containers[0].endpoints[2].hostPort",
      reason: "no agent can hold instance 2 of 2 of /pub: it needs host ports [0, 7300] on one agent (agent-1: port 7300 is held by another instance of /pub)",
    }]);
    assert.deepEqual(publishedPorts(pod(1) as PodDefinition, { agent: "agent-1", ports: [1025, 7300] }), [
      { hostPort: 1025, containerPort: 80, protocol: "tcp" },
      { hostPort: 7300, containerPort: 82, protocol: "udp" },
    ]);
  });

  it("a container-network pod without hostPorts plans no host ports (its state stays as it was)", function () {
    const block = { block: "9.1.0.0/24", mesos: "9.1.0.0/25", docker: "9.1.0.128/25" };
    const pod = { id: "/p", networks: [{ mode: "container", name: "n1" }], containers: [container("a", [{ name: "x", containerPort: 80 }])] };
    const { inputs, failures } = checkMarathonPod({ pod, owner: { project: "p", stack: "s" }, target: "local", networks: { n1: { dockerNetwork: "n1", agentSubnets: { "agent-1": block } } } }, () => false);
    assert.deepEqual(failures, []);
    assert.deepEqual(Object.keys(inputs).sort(), ["network", "networks", "owner", "pod", "target"]);
  });
});
