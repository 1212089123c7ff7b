// Marathon's pod rules (validatePod) and MarathonPod's check (checkMarathonPod): each bad pod is
// refused with the JSON path and Marathon's wording; a good pod passes; what the local cluster does
// not run is refused at preview with the reason; network and capacity checks are the app's,
// pointed at the pod's own fields.
import { strict as assert } from "assert";
import { validatePod } from "../../src/core/marathon/validatePod";
import { checkMarathonPod, podAsApp, podDefinitionOf } from "../../src/core/marathon/podInputs";
import { Failure } from "../../src/core/common/failure";

const NET = "pods-net";
const container = (name: string, extra: Record<string, unknown> = {}) => ({
  name, resources: { cpus: 0.1, mem: 32 }, exec: { command: { shell: "sleep 1" } }, ...extra,
});
const good = () => ({
  id: "/shop/cart",
  scaling: { kind: "fixed", instances: 2 },
  networks: [{ mode: "container", name: NET }],
  containers: [
    container("main", { endpoints: [{ name: "http", containerPort: 8080, protocol: ["tcp"] }] }),
    container("sidecar", { image: { kind: "DOCKER", id: "busybox" }, endpoints: [{ name: "side", containerPort: 9090 }] }),
  ],
});
const withContainers = (...containers: unknown[]) => ({ ...good(), containers });
const has = (failures: Failure[], property: string, reason: string | RegExp) =>
  assert.ok(
    failures.some((f) => f.property === property && (typeof reason === "string" ? f.reason.includes(reason) : reason.test(f.reason))),
    `expected ${property}: ${reason}\ngot ${JSON.stringify(failures, null, 1)}`,
  );

describe("pod validation (Marathon's PodsValidation rules)", function () {
  it("accepts a good pod", function () {
    assert.deepEqual(validatePod(good()), []);
  });

  it("accepts a good health check", function () {
    assert.deepEqual(validatePod(withContainers(container("a", { endpoints: [{ name: "x", containerPort: 80 }], healthCheck: { http: { endpoint: "x", path: "/" }, intervalSeconds: 10, timeoutSeconds: 5 } }))), []);
  });

  const cases: [string, unknown, string, string | RegExp][] = [
    ["root id", { ...good(), id: "/" }, "id", "must not be root"],
    ["bad id segment", { ...good(), id: "/Shop/cart" }, "id", /path segment "Shop" must fully match/],
    ["no containers", { ...good(), containers: [] }, "containers", "must not be empty"],
    ["containers missing", { id: "/a", networks: [{ mode: "container", name: NET }] }, "containers", "is required"],
    ["container names unique", withContainers(container("main"), container("main")), "containers[1].name", "container names are unique"],
    ["container name pattern", withContainers(container("Main")), "containers[0].name", /must match/],
    ["negative cpus", withContainers({ ...container("a"), resources: { cpus: -1, mem: 32 } }), "containers[0].resources.cpus", "must be at least 0"],
    ["mem missing", withContainers({ ...container("a"), resources: { cpus: 1 } }), "containers[0].resources.mem", "is required"],
    ["nothing to run", withContainers({ name: "a", resources: { cpus: 1, mem: 1 } }), "containers[0].exec", "needs a command (exec) or an image"],
    ["shell and argv", withContainers(container("a", { exec: { command: { shell: "x", argv: ["y"] } } })), "containers[0].exec.command", "exactly one of shell"],
    ["image kind", withContainers(container("a", { image: { kind: "OCI", id: "x" } })), "containers[0].image.kind", "must be one of DOCKER, APPC"],
    [
      "endpoint names unique across the pod",
      withContainers(container("a", { endpoints: [{ name: "http", containerPort: 80 }] }), container("b", { endpoints: [{ name: "http", containerPort: 81 }] })),
      "containers[1].endpoints[0].name", "Endpoint names are unique",
    ],
    [
      "container ports unique across the pod",
      withContainers(container("a", { endpoints: [{ name: "x", containerPort: 80 }] }), container("b", { endpoints: [{ name: "y", containerPort: 80 }] })),
      "containers[1].endpoints[0].containerPort", "Container ports are unique",
    ],
    [
      "host ports unique (0 may repeat)",
      { ...good(), networks: [{ mode: "host" }], containers: [container("a", { endpoints: [{ name: "x", hostPort: 0 }, { name: "y", hostPort: 0 }, { name: "z", hostPort: 80 }] }), container("b", { endpoints: [{ name: "w", hostPort: 80 }] })] },
      "containers[1].endpoints[0].hostPort", "Host ports are unique",
    ],
    ["containerPort required on container networks", withContainers(container("a", { endpoints: [{ name: "x" }] })), "containers[0].endpoints[0].containerPort", "is required when using container-mode networking"],
    [
      "containerPort not allowed on host networks",
      { ...good(), networks: [{ mode: "host" }], containers: [container("a", { endpoints: [{ name: "x", containerPort: 80, hostPort: 0 }] })] },
      "containers[0].endpoints[0].containerPort", "is not allowed when using host-mode networking",
    ],
    [
      "hostPort required on host networks (the default)",
      { id: "/a", containers: [container("a", { endpoints: [{ name: "x" }] })] },
      "containers[0].endpoints[0].hostPort", "is required when using host-mode networking",
    ],
    ["containerPort range", withContainers(container("a", { endpoints: [{ name: "x", containerPort: 70000 }] })), "containers[0].endpoints[0].containerPort", "between 1 and 65535"],
    ["duplicate protocols", withContainers(container("a", { endpoints: [{ name: "x", containerPort: 80, protocol: ["tcp", "tcp"] }] })), "containers[0].endpoints[0].protocol", "Duplicate protocols within the same endpoint are not allowed"],
    ["scaling kind", { ...good(), scaling: { kind: "auto", instances: 1 } }, "scaling.kind", "Not a fixed scaling policy"],
    ["negative instances", { ...good(), scaling: { kind: "fixed", instances: -1 } }, "scaling.instances", "must be at least 0"],
    ["container network needs a name", { ...good(), networks: [{ mode: "container" }] }, "networks[0].name", "Network name must be specified when container network is selected."],
    ["host network named", { ...good(), networks: [{ mode: "host", name: "x" }] }, "networks[0]", "Host networks may not have names or labels"],
    ["host mixed with container", { ...good(), networks: [{ mode: "host" }, { mode: "container", name: NET }] }, "networks", "May specify a single host network, single bridge network, or else 1-to-n container networks"],
    ["duplicate networks", { ...good(), networks: [{ mode: "container", name: NET }, { mode: "container", name: NET }] }, "networks", "Duplicate networks are not allowed"],
    ["upgrade strategy bounds", { ...good(), scheduling: { upgrade: { minimumHealthCapacity: 2 } } }, "scheduling.upgrade.minimumHealthCapacity", "between 0 and 1"],
    ["unknown constraint operator", { ...good(), scheduling: { placement: { constraints: [{ fieldName: "hostname", operator: "NEAR" }] } } }, "scheduling.placement.constraints[0].operator", "must be one of UNIQUE"],
    ["unreferenced volume", { ...good(), volumes: [{ name: "data" }] }, "volumes[0]", "volume must be referenced by at least one container"],
    ["mount of a missing volume", withContainers(container("a", { volumeMounts: [{ name: "data", mountPath: "/d" }] })), "containers[0].volumeMounts[0].name", "Referenced Volume in VolumeMount should exist"],
    ["health check of two kinds", withContainers(container("a", { endpoints: [{ name: "x", containerPort: 80 }], healthCheck: { http: { endpoint: "x" }, tcp: { endpoint: "x" } } })), "containers[0].healthCheck", "Only one of http, tcp, or command may be specified"],
    ["health check on an unknown endpoint", withContainers(container("a", { endpoints: [{ name: "x", containerPort: 80 }], healthCheck: { http: { endpoint: "y", path: "/" } } })), "containers[0].healthCheck.http.endpoint", "must be contained in the container endpoints (x)"],
    ["health check timeout not below its interval", withContainers(container("a", { healthCheck: { exec: { command: { shell: "true" } }, intervalSeconds: 5, timeoutSeconds: 5 } })), "containers[0].healthCheck.timeoutSeconds", "must be less than intervalSeconds"],
    ["health check interval beyond Marathon's int32", withContainers(container("a", { healthCheck: { exec: { command: { shell: "true" } }, intervalSeconds: 2 ** 31 } })), "containers[0].healthCheck.intervalSeconds", "must be between 0 and 2147483647, got 2147483648"],
    ["health check failures beyond Marathon's int32", withContainers(container("a", { healthCheck: { exec: { command: { shell: "true" } }, maxConsecutiveFailures: 1e12 } })), "containers[0].healthCheck.maxConsecutiveFailures", "must be between 0 and 2147483647, got 1000000000000"],
    ["unknown field (a typo)", { ...good(), contaners: [] }, "contaners", "is not a field of a pod"],
  ];
  for (const [what, pod, property, reason] of cases) {
    it(`refuses: ${what}`, function () {
      has(validatePod(pod), property, reason);
    });
  }
});

describe("MarathonPod check (checkMarathonPod)", function () {
  const owner = { project: "p", stack: "s" };
  const networks = { [NET]: { dockerNetwork: NET, agentSubnets: { "agent-1": { block: "9.1.0.0/24", mesos: "9.1.0.0/25", docker: "9.1.0.128/25" } } } };
  const check = (pod: unknown, extra: Record<string, unknown> = {}) => checkMarathonPod({ pod, networks, owner, ...extra }, () => false);

  it("keeps the pod as written, the networks it joins (Mesos half only) and its first network", function () {
    const { inputs, failures } = check(good());
    assert.deepEqual(failures, []);
    assert.equal(inputs.network, NET);
    assert.deepEqual(inputs.networks, { [NET]: { dockerNetwork: NET, agentSubnets: { "agent-1": { mesos: "9.1.0.0/25" } } } });
    assert.deepEqual(inputs.pod, good());
  });

  it("puts Marathon's failures under pod.", function () {
    has(check({ ...good(), id: "/" }).failures, "pod.id", "must not be root");
  });

  it("names a network that is not the stack's at the pod's own field", function () {
    has(check({ ...good(), networks: [{ mode: "container", name: NET }, { mode: "container", name: "other" }] }).failures, "pod.networks[1].name", "network other is not a virtual network of this stack (known: pods-net)");
  });

  it("says when an agent's half has no room for the instances, at pod.scaling.instances", function () {
    has(check({ ...good(), scaling: { kind: "fixed", instances: 200 } }).failures, "pod.scaling.instances", /No free container addresses in agent-1's Mesos half of the pods-net overlay 9\.1\.0\.0\/25: asked for 200, 125 available/);
  });

  it("points an unsatisfiable constraint at the pod's placement", function () {
    has(check({ ...good(), scheduling: { placement: { constraints: [{ fieldName: "hostname", operator: "CLUSTER", value: "agent-9" }] } } }).failures, "pod.scheduling.placement.constraints", /agent-9/);
  });

  it("runs host-mode pods (also Marathon's default, no networks) on the cluster's agents: without them the check says so", function () {
    has(check({ ...good(), networks: [{ mode: "host" }], containers: [container("a", { endpoints: [{ name: "x", hostPort: 0 }] })] }).failures, "pod.networks", "a host-mode pod runs on the local cluster's agents: give hostAgents and hostNetwork");
    has(check({ ...good(), networks: undefined, containers: [container("a")] }).failures, "pod.networks", "a host-mode pod runs on the local cluster's agents");
  });

  it("publishes a container-network pod's hostPort at its agent's address: without agents the check says so", function () {
    has(check(withContainers(container("a", { endpoints: [{ name: "x", containerPort: 80, hostPort: 0 }] }))).failures, "pod.networks", "a pod with endpoint hostPorts runs on the local cluster's agents: give hostAgents and hostNetwork");
  });

  it("lets a host-mode pod through on the Marathon target (Marathon runs it)", function () {
    const { failures } = check({ ...good(), networks: [{ mode: "host" }], containers: [container("a", { endpoints: [{ name: "x", hostPort: 0 }] })] }, { target: "marathon" });
    assert.deepEqual(failures, []);
  });

  it("runs as an app with the pod's id, count, networks, placement and upgrade strategy", function () {
    const app = podAsApp({ ...good(), scheduling: { placement: { constraints: [{ fieldName: "hostname", operator: "UNIQUE" }] }, upgrade: { minimumHealthCapacity: 0.5, maximumOverCapacity: 0 } } } as any);
    assert.equal(app.id, "/shop/cart");
    assert.equal(app.instances, 2);
    assert.deepEqual(app.networks, [{ mode: "container", name: NET }]);
    assert.deepEqual(app.constraints, [["hostname", "UNIQUE"]]);
    assert.deepEqual(app.upgradeStrategy, { minimumHealthCapacity: 0.5, maximumOverCapacity: 0 });
  });

  it("a change of instances alone is no change of definition (scale, not roll); a container's change is", function () {
    const base = good() as any;
    assert.equal(podDefinitionOf({ ...base, scaling: { kind: "fixed", instances: 5 } }), podDefinitionOf(base));
    assert.notEqual(podDefinitionOf(withContainers(container("main", { exec: { command: { shell: "sleep 2" } } })) as any), podDefinitionOf(withContainers(container("main")) as any));
  });
});
