// VIP labels on pod endpoints, from code alone (core/local/podVips with podAsApp and check): a
// container-network pod's endpoint VIPs become port mappings of the pod-as-app, planned as an app's
// proxy forwarding to the endpoint's containerPort through the app's DNS name (which the holders
// carry); a host-mode pod's become labels on its port definitions, planned as a host-mode app's
// proxy to agent-ip:hostPort. Bad labels fail the check at the endpoint's own field, and a pod
// without VIP labels is the same app as before.
import { strict as assert } from "assert";
import { checkMarathonPod, podAsApp, resolvePod } from "../../src/core/marathon/podInputs";
import { planVipProxies } from "../../src/core/local/vipPlan";
import { hostVipConfig, planHostVipProxies } from "../../src/core/local/hostVipPlan";
import { normalizeApp } from "../../src/core/marathon/normalize";
import { PodDefinition } from "../../src/core/marathon/podTypes";

const NET = "pv-net";
const owner = { project: "p", stack: "s" };
const networks = {
  [NET]: { dockerNetwork: NET, subnet: "9.1.0.0/16", agentSubnets: { "agent-1": { block: "9.1.0.0/24", mesos: "9.1.0.0/25", docker: "9.1.0.128/25" } } },
};
const HOST_NETWORK = {
  dockerNetwork: "s-host",
  subnet: "172.16.0.0/24",
  agents: { "agent-1": { ip: "172.16.0.2", container: "s.agent.agent-1" }, "agent-2": { ip: "172.16.0.3", container: "s.agent.agent-2" } },
};
const box = (name: string, endpoints: unknown[]) => ({ name, resources: { cpus: 0.1, mem: 32 }, exec: { command: { shell: "sleep 1" } }, endpoints });

/** A container-network pod: main serves 8080 (VIP /pv/cart:80), the sidecar 9090 (no VIP). */
const cart = (labels: Record<string, string> = { VIP_0: "/pv/cart:80" }, sideLabels?: Record<string, string>) => ({
  id: "/pv/cart",
  scaling: { kind: "fixed", instances: 2 },
  networks: [{ mode: "container", name: NET }],
  containers: [
    box("side", [{ name: "metrics", containerPort: 9090, ...(sideLabels ? { labels: sideLabels } : {}) }]),
    box("main", [{ name: "http", containerPort: 8080, labels: { team: "shop", ...labels } }]),
  ],
});
/** A host-mode pod: the VIP on its second endpoint. */
const hostCart = (labels: Record<string, string> = { VIP_0: "/pv/hcart:81" }) => ({
  id: "/pv/hcart",
  scaling: { kind: "fixed", instances: 2 },
  networks: [{ mode: "host" }],
  containers: [box("main", [{ name: "admin", hostPort: 0 }, { name: "http", hostPort: 0, labels }])],
});

const check = (pod: unknown) => checkMarathonPod({ pod, networks, owner, target: "local" }, () => false);
const checkHost = (pod: unknown) =>
  checkMarathonPod({ pod, networks: {}, owner, target: "local", hostAgents: ["agent-1", "agent-2"], hostNetwork: HOST_NETWORK, hostSubnet: "172.16.0.0/24" }, () => false);

describe("VIP labels on pod endpoints (planning)", function () {
  it("leaves a pod without VIP labels the same app as before (no port mappings, no labels)", function () {
    const plain = cart();
    delete (plain.containers[1].endpoints[0] as any).labels;
    assert.equal(podAsApp(plain as PodDefinition).container, undefined);
    const withTeamOnly = cart({});
    assert.equal(podAsApp(withTeamOnly as PodDefinition).container, undefined, "a label that is no VIP adds nothing");
    const host = hostCart({});
    assert.deepEqual(podAsApp(host as PodDefinition).portDefinitions, [{ port: 0, name: "admin", protocol: "tcp" }, { port: 0, name: "http", protocol: "tcp" }]);
  });

  it("plans a container-network pod's VIP as an app's: a proxy forwarding VIP port 80 to containerPort 8080 of the instances found by the pod's DNS name", function () {
    const { inputs, failures } = check(cart());
    assert.deepEqual(failures, []);
    const app = resolvePod(inputs);
    assert.deepEqual(app.canonical.container?.portMappings.map((m) => [m.containerPort, m.name, m.labels]), [[8080, "http", { VIP_0: "/pv/cart:80" }]]);
    const [proxy, ...more] = planVipProxies(app.canonical, "s");
    assert.deepEqual(more, []);
    assert.equal(proxy.hostname, "pvcart.marathon.l4lb.thisdcos.directory");
    assert.deepEqual(proxy.routes, [{ vipPort: 80, containerPort: 8080 }]);
    assert.equal(proxy.container, "s.pv.cart.vip-pvcart");
    // The holders carry the name the proxy resolves (they run with the app's aliases).
    assert.ok(app.aliases.includes(proxy.backendName), `${proxy.backendName} in ${app.aliases}`);
    assert.match(proxy.config, /server-template task 64 cart\.pv\.marathon\.mesos:8080/);
  });

  it("plans a host-mode pod's VIP as a host-mode app's: agent-ip and the endpoint's host port", function () {
    const { inputs, failures } = checkHost(hostCart());
    assert.deepEqual(failures, []);
    const app = resolvePod(inputs);
    const [proxy] = planHostVipProxies(app.canonical, "s");
    assert.deepEqual([proxy.hostname, proxy.routes], ["pvhcart.marathon.l4lb.thisdcos.directory", [{ vipPort: 81, portIndex: 1 }]]);
    const config = hostVipConfig(proxy.routes, [{ ip: "172.16.0.2", ports: [1025, 1026] }, { ip: "172.16.0.3", ports: [1025, 1026] }]);
    assert.match(config, /server task-0 172\.16\.0\.2:1026\n  server task-1 172\.16\.0\.3:1026\n/);
    // The VIP label does not change the host-port plan.
    assert.deepEqual(inputs.hostPlan, checkHost(hostCart({})).inputs.hostPlan);
  });

  it("refuses a bad VIP label at preview, naming the endpoint's label", function () {
    const failures = check(cart({ VIP_0: "/pv/cart:http" })).failures;
    assert.deepEqual(failures.map((f) => f.property), ["pod.containers[1].endpoints[0].labels.VIP_0"]);
    assert.match(failures[0].reason, /VIP "\/pv\/cart:http" has port "http"; it must be an integer from 1 to 65535/);
    const host = checkHost(hostCart({ VIP_0: "no-port" })).failures;
    assert.deepEqual(host.map((f) => f.property), ["pod.containers[0].endpoints[1].labels.VIP_0"]);
  });

  it("refuses one VIP port on two endpoints with different ports", function () {
    const failures = check(cart({ VIP_0: "/pv/cart:80" }, { VIP_0: "/pv/cart:80" })).failures;
    assert.deepEqual(failures.map((f) => f.property), ["pod.containers[1].endpoints[0].labels.VIP_0"]);
    assert.match(failures[0].reason, /forwards to containerPort 9090 and 8080; one VIP port goes to one container port/);
    const host = checkHost({ ...hostCart(), containers: [box("main", [{ name: "a", hostPort: 0, labels: { VIP_0: "/x:80" } }, { name: "b", hostPort: 0, labels: { VIP_1: "/x:80" } }])] }).failures;
    assert.deepEqual(host.map((f) => f.property), ["pod.containers[0].endpoints[1].labels.VIP_1"]);
    assert.match(host[0].reason, /one VIP port goes to one port of the app/);
  });

  it("places an IP VIP on the pod's network outside every agent's block, naming the label", function () {
    assert.deepEqual(check(cart({ VIP_0: "9.1.255.250:80" })).failures, []);
    const inBlock = check(cart({ VIP_0: "9.1.0.5:80" })).failures;
    assert.deepEqual(inBlock.map((f) => f.property), ["pod.containers[1].endpoints[0].labels.VIP_0"]);
    assert.match(inBlock[0].reason, /9\.1\.0\.5 lies in agent-1's block 9\.1\.0\.0\/24/);
    const outside = checkHost(hostCart({ VIP_0: "10.0.0.1:80" })).failures;
    assert.deepEqual(outside.map((f) => f.property), ["pod.containers[0].endpoints[1].labels.VIP_0"]);
    assert.match(outside[0].reason, /10\.0\.0\.1 is outside 172\.16\.0\.0\/24/);
  });

  it("plans a container-network pod's VIP with endpoint hostPorts on its overlay (containerIP:containerPort), its host ports planned as without the label", function () {
    const published = (labels?: Record<string, string>) => {
      const pod = cart(labels);
      (pod.containers[1].endpoints[0] as any).hostPort = 7500;
      if (!labels) delete (pod.containers[1].endpoints[0] as any).labels;
      return pod;
    };
    // Both agents have a block in the pod's network, so each can publish one instance on the fixed port.
    const both = { [NET]: { ...networks[NET], agentSubnets: { ...networks[NET].agentSubnets, "agent-2": { block: "9.1.1.0/24", mesos: "9.1.1.0/25", docker: "9.1.1.128/25" } } } };
    const checkPublished = (pod: unknown) =>
      checkMarathonPod({ pod, networks: both, owner, target: "local", hostAgents: ["agent-1", "agent-2"], hostNetwork: HOST_NETWORK, hostSubnet: "172.16.0.0/24" }, () => false);
    const { inputs, failures } = checkPublished(published({ VIP_0: "/pv/cart:80" }));
    assert.deepEqual(failures, []);
    // Published at agent-ip:7500 (one instance per agent: the port is fixed), exactly as without the VIP.
    assert.deepEqual(inputs.hostPlan?.map((s) => [s.agent, s.ports]), [["agent-1", [7500]], ["agent-2", [7500]]]);
    assert.deepEqual(inputs.hostPlan, checkPublished(published()).inputs.hostPlan);
    const app = resolvePod(inputs);
    // The VIP's proxy is the overlay's: VIP port 80 to containerPort 8080 of the holders found by the pod's DNS name.
    const [proxy, ...more] = planVipProxies(app.canonical, "s");
    assert.deepEqual(more, []);
    assert.deepEqual([proxy.hostname, proxy.routes, proxy.container], ["pvcart.marathon.l4lb.thisdcos.directory", [{ vipPort: 80, containerPort: 8080 }], "s.pv.cart.vip-pvcart"]);
    assert.ok(app.aliases.includes(proxy.backendName), `${proxy.backendName} in ${app.aliases}`);
    assert.match(proxy.config, /server-template task 64 cart\.pv\.marathon\.mesos:8080/);
    assert.deepEqual(planHostVipProxies(app.canonical, "s"), [], "no proxy on the host network");
    // The VIP's port mapping is no host port of the pod's: the host ports are its endpoints' alone.
    assert.equal(app.canonical.container?.portMappings[0].hostPort, undefined);
  });

  it("normalizes the pod-as-app with its VIP port mappings (Mesos container, as Marathon gives it)", function () {
    const canonical = normalizeApp(podAsApp(cart() as PodDefinition));
    assert.equal(canonical.container?.type, "MESOS");
    assert.equal(canonical.container?.portMappings[0].hostPort, undefined, "no host port: the VIP is served on the overlay");
  });
});
