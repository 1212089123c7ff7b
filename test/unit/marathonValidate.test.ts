// validateApp: one failure per bad field, at the JSON path the user wrote, in Marathon's wording.
import { strict as assert } from "assert";
import { validateApp, ValidateOptions } from "../../src/core/marathon";

// Small valid apps that each case spoils in exactly one place.
const cmdApp = (extra: object = {}) => ({ id: "/web", cmd: "sleep 1000", ...extra });
const dockerApp = (docker: object = {}, extra: object = {}) => ({ id: "/web", container: { type: "DOCKER", docker: { image: "busybox", ...docker } }, ...extra });
const mesosApp = (container: object = {}, extra: object = {}) => ({ id: "/web", cmd: "sleep 1", container: { type: "MESOS", ...container }, ...extra });
/** A Docker app on container network `a` with these container.portMappings. */
const mappedApp = (portMappings: object[], networks: object[] = [{ name: "a" }]) =>
  ({ id: "/web", container: { type: "MESOS", portMappings }, cmd: "x", networks });
const constrained = (...constraints: unknown[]) => cmdApp({ constraints });

interface BadCase {
  name: string;
  app: unknown;
  property: string;
  reason: string;
  opts?: ValidateOptions;
}

const BAD: BadCase[] = [
  // resources and types
  { name: "cpus of the wrong JSON type", app: cmdApp({ cpus: "two" }), property: "cpus", reason: 'must be a number, got string "two"' },
  { name: "cpus null", app: cmdApp({ cpus: null }), property: "cpus", reason: "must be a number, got null" },
  { name: "cpus 0", app: cmdApp({ cpus: 0 }), property: "cpus", reason: "must be greater than 0" },
  { name: "negative mem", app: cmdApp({ mem: -1 }), property: "mem", reason: "must be at least 0" },
  { name: "negative disk", app: cmdApp({ disk: -5 }), property: "disk", reason: "must be at least 0" },
  { name: "fractional instances", app: cmdApp({ instances: 1.5 }), property: "instances", reason: "must be an integer" },
  { name: "negative instances", app: cmdApp({ instances: -1 }), property: "instances", reason: "must be at least 0" },
  { name: "negative gpus", app: cmdApp({ gpus: -1 }), property: "gpus", reason: "must be at least 0" },
  { name: "backoffFactor below 1", app: cmdApp({ backoffFactor: 0.5 }), property: "backoffFactor", reason: "must be at least 1" },
  { name: "negative backoffSeconds", app: cmdApp({ backoffSeconds: -1 }), property: "backoffSeconds", reason: "must be at least 0" },
  { name: "negative maxLaunchDelaySeconds", app: cmdApp({ maxLaunchDelaySeconds: -1 }), property: "maxLaunchDelaySeconds", reason: "must be at least 0" },
  { name: "not an object at all", app: [], property: "", reason: "must be a JSON object" },
  { name: "unknown field, case typo", app: cmdApp({ CPUs: 1 }), property: "CPUs", reason: "did you mean cpus?" },
  // id
  { name: "missing id", app: { cmd: "x" }, property: "id", reason: "is required" },
  { name: "root id", app: cmdApp({ id: "/" }), property: "id", reason: "must not be root" },
  { name: "id ending in a reserved word", app: cmdApp({ id: "/a/restart" }), property: "id", reason: "must not end with any of the following reserved keywords: restart, tasks, versions" },
  { name: "id with uppercase and underscore", app: cmdApp({ id: "/My_App" }), property: "id", reason: "must fully match regular expression" },
  { name: "id segment starting with '-'", app: cmdApp({ id: "/-a" }), property: "id", reason: 'path segment "-a"' },
  { name: "id ending in ..", app: cmdApp({ id: "/a/.." }), property: "id", reason: 'relative segment ".."' },
  // command
  { name: "neither cmd, args nor container", app: { id: "/web" }, property: "cmd", reason: "AppDefinition must either contain one of 'cmd' or 'args', and/or a 'container'." },
  { name: "both cmd and args", app: cmdApp({ args: ["x"] }), property: "args", reason: "AppDefinition must either contain one of 'cmd' or 'args', and/or a 'container'." },
  { name: "empty cmd", app: cmdApp({ cmd: "" }), property: "cmd", reason: "must not be an empty string" },
  { name: "non-string args", app: { id: "/a", args: [1] }, property: "args[0]", reason: "must be a string, got number 1" },
  // container
  { name: "DOCKER without docker", app: cmdApp({ container: { type: "DOCKER" } }), property: "container.docker", reason: "is required for a DOCKER container" },
  { name: "empty docker image", app: dockerApp({ image: "" }), property: "container.docker.image", reason: "must not be an empty string" },
  { name: "unknown container type", app: dockerApp({}, { container: { type: "RKT", docker: { image: "i" } } }), property: "container.type", reason: "must be one of DOCKER, MESOS" },
  { name: "gpus with the Docker containerizer", app: dockerApp({}, { gpus: 1 }), property: "gpus", reason: "GPU resources only work with the Mesos containerizer" },
  { name: "docker parameter with empty key", app: dockerApp({ parameters: [{ key: "", value: "x" }] }), property: "container.docker.parameters[0].key", reason: "must not be an empty string" },
  { name: "docker parameters on a Mesos container", app: mesosApp({ docker: { image: "i", parameters: [{ key: "a", value: "b" }] } }), property: "container.docker.parameters", reason: "must be empty when container.type is MESOS" },
  { name: "docker credential", app: dockerApp({ credential: { principal: "p" } }), property: "container.docker.credential", reason: "must be empty" },
  { name: "pullConfig with the Docker containerizer", app: dockerApp({ pullConfig: { secret: "s" } }), property: "container.docker.pullConfig", reason: "pullConfig is not supported with Docker containerizer" },
  { name: "volume without containerPath", app: mesosApp({ volumes: [{ hostPath: "/x", mode: "RO" }] }), property: "container.volumes[0].containerPath", reason: "is required" },
  { name: "privileged not a boolean", app: dockerApp({ privileged: "yes" }), property: "container.docker.privileged", reason: "must be true or false" },
  // network API mix and legacy
  { name: "docker.network plus networks", app: dockerApp({ network: "USER" }, { networks: [{ name: "a" }] }), property: "container.docker.network", reason: "must not specify both container.docker.network and networks" },
  { name: "ipAddress plus networks", app: cmdApp({ ipAddress: { networkName: "a" }, networks: [{ name: "a" }] }), property: "ipAddress", reason: "must not specify both networks and ipAddress" },
  { name: "ipAddress plus networks is mixing APIs", app: cmdApp({ ipAddress: {}, networks: [{ mode: "host" }] }), property: "ipAddress", reason: "cannot mix deprecated and canonical network APIs" },
  { name: "unknown docker network type", app: dockerApp({ network: "OVERLAY" }), property: "container.docker.network", reason: "must be one of BRIDGE, HOST, NONE, USER" },
  { name: "docker network NONE", app: dockerApp({ network: "NONE" }), property: "container.docker.network", reason: "unsupported docker network type NONE" },
  { name: "docker.network on a Mesos container", app: mesosApp({ docker: { image: "i", network: "USER" } }), property: "container.docker.network", reason: "must be empty when container.type is MESOS" },
  { name: "bad ipAddress.networkName", app: dockerApp({ network: "USER" }, { ipAddress: { networkName: "Blue" } }), property: "ipAddress.networkName", reason: '"Blue" must match' },
  { name: "ipAddress with port definitions", app: cmdApp({ ipAddress: { networkName: "a" }, portDefinitions: [{ port: 0 }] }), property: "portDefinitions", reason: "cannot specify both an IP address and port" },
  { name: "ports differ from portDefinitions", app: cmdApp({ ports: [80], portDefinitions: [{ port: 81 }] }), property: "ports", reason: "cannot specify both ports and port definitions" },
  { name: "discovery with a Docker container", app: dockerApp({ network: "USER" }, { ipAddress: { networkName: "a", discovery: { ports: [{ number: 80, name: "http" }] } } }), property: "ipAddress.discovery", reason: "ipAddress/discovery is not allowed for Docker containers" },
  { name: "discovery ports and container.portMappings", app: mesosApp({ portMappings: [{ containerPort: 1 }] }, { ipAddress: { networkName: "a", discovery: { ports: [{ number: 80, name: "http" }] } } }), property: "ipAddress.discovery.ports", reason: "container.portMappings and ipAddress.discovery.ports must not both be set" },
  { name: "discovery port without name", app: cmdApp({ ipAddress: { networkName: "a", discovery: { ports: [{ number: 80 }] } } }), property: "ipAddress.discovery.ports[0].name", reason: "is required" },
  // canonical networks
  { name: "networks not an array", app: cmdApp({ networks: "dcos" }), property: "networks", reason: "must be an array" },
  { name: "unknown network mode", app: cmdApp({ networks: [{ mode: "overlay" }] }), property: "networks[0].mode", reason: "must be one of container, container/bridge, host" },
  { name: "invalid network name", app: cmdApp({ networks: [{ name: "Bad_Name" }] }), property: "networks[0].name", reason: '"Bad_Name" must match' },
  { name: "network name of 64 characters", app: cmdApp({ networks: [{ name: "a".repeat(64) }] }), property: "networks[0].name", reason: "longer than 63 characters" },
  { name: "named host network", app: cmdApp({ networks: [{ mode: "host", name: "h" }] }), property: "networks[0].name", reason: "Host networks may not have names or labels" },
  { name: "labelled host network", app: cmdApp({ networks: [{ mode: "host", labels: { a: "b" } }] }), property: "networks[0].labels", reason: "Host networks may not have names or labels" },
  { name: "named bridge network", app: cmdApp({ networks: [{ mode: "container/bridge", name: "b" }] }), property: "networks[0].name", reason: "Bridge networks may not have names" },
  { name: "the same network twice", app: mesosApp({}, { networks: [{ name: "a" }, { name: "a" }] }), property: "networks[1].name", reason: "Duplicate networks are not allowed" },
  { name: "unnamed network and the default network", app: mesosApp({}, { networks: [{ mode: "container" }, { name: "dcos" }] }), property: "networks[1].name", reason: "Duplicate networks are not allowed" },
  { name: "host plus container network", app: cmdApp({ networks: [{ mode: "host" }, { name: "a" }] }), property: "networks", reason: "May specify a single host network, single bridge network, or else 1-to-n container networks" },
  { name: "two bridge networks", app: cmdApp({ networks: [{ mode: "container/bridge" }, { mode: "container/bridge" }] }), property: "networks", reason: "May specify a single host network, single bridge network, or else 1-to-n container networks" },
  { name: "two container networks with Docker", app: dockerApp({}, { networks: [{ name: "a" }, { name: "b" }] }), property: "networks", reason: "may only specify a single container network when using the Docker container engine" },
  { name: "unnamed container network without a default", app: mesosApp({}, { networks: [{ mode: "container" }] }), opts: { defaultNetworkName: null }, property: "networks[0].name", reason: "Network name must be specified when container network is selected." },
  { name: "docker USER network without a default name", app: dockerApp({ network: "USER" }), opts: { defaultNetworkName: null }, property: "container.docker.network", reason: "Network name must be specified when container network is selected." },
  // ports against networks
  { name: "portMappings with host networking", app: { id: "/a", container: { docker: { image: "i" }, portMappings: [{ containerPort: 80 }] }, networks: [{ mode: "host" }] }, property: "container.portMappings", reason: "portMappings are not allowed with host-networking" },
  { name: "docker.portMappings with the default (host) networking", app: dockerApp({ portMappings: [{ containerPort: 80 }] }), property: "container.docker.portMappings", reason: "portMappings are not allowed with host-networking" },
  { name: "portDefinitions on a container network", app: cmdApp({ networks: [{ name: "a" }], portDefinitions: [{ port: 0 }] }), property: "portDefinitions", reason: "portDefinitions are only allowed with host-networking" },
  { name: "both portMappings and docker.portMappings", app: { id: "/a", container: { docker: { image: "i", network: "USER", portMappings: [{ containerPort: 1 }] }, portMappings: [{ containerPort: 2 }] }, ipAddress: { networkName: "a" } }, property: "container.docker.portMappings", reason: "cannot specify both portMappings and docker.portMappings" },
  { name: "hostPort on two container networks without networkNames", app: mappedApp([{ containerPort: 80, hostPort: 80 }], [{ name: "a" }, { name: "b" }]), property: "container.portMappings[0].networkNames", reason: "networkNames must be a single item list when hostPort is specified" },
  { name: "networkNames naming an undeclared network", app: mappedApp([{ containerPort: 80, networkNames: ["b"] }]), property: "container.portMappings[0].networkNames[0]", reason: "is not one of the app's container networks (a)" },
  // port fields
  { name: "duplicate port mapping names", app: mappedApp([{ containerPort: 1, name: "web" }, { containerPort: 2, name: "web" }]), property: "container.portMappings[1].name", reason: "Port names must be unique." },
  { name: "uppercase port name", app: mappedApp([{ containerPort: 1, name: "Foo" }]), property: "container.portMappings[0].name", reason: '"Foo" must match' },
  { name: "containerPort above 65535", app: mappedApp([{ containerPort: 70000 }]), property: "container.portMappings[0].containerPort", reason: "must be between 0 and 65535" },
  { name: "negative hostPort", app: mappedApp([{ hostPort: -1 }]), property: "container.portMappings[0].hostPort", reason: "must be between 0 and 65535" },
  { name: "fractional servicePort", app: mappedApp([{ servicePort: 1.5 }]), property: "container.portMappings[0].servicePort", reason: "must be an integer" },
  { name: "unknown protocol", app: mappedApp([{ containerPort: 1, protocol: "sctp" }]), property: "container.portMappings[0].protocol", reason: "must be one of tcp, udp, udp,tcp" },
  { name: "misspelt port mapping field", app: mappedApp([{ contanerPort: 1 }]), property: "container.portMappings[0].contanerPort", reason: "is not a field of a port mapping" },
  { name: "duplicate port definition ports", app: cmdApp({ portDefinitions: [{ port: 80 }, { port: 80 }] }), property: "portDefinitions[1].port", reason: "Ports must be unique." },
  { name: "duplicate legacy ports", app: cmdApp({ ports: [80, 80] }), property: "ports[1]", reason: "ports must be unique" },
  { name: "duplicate port definition names", app: cmdApp({ portDefinitions: [{ name: "a" }, { name: "a" }] }), property: "portDefinitions[1].name", reason: "Port names must be unique." },
  // constraints
  { name: "UNIQUE with a value", app: constrained(["hostname", "UNIQUE"], ["rack", "CLUSTER", "r1"], ["hostname", "UNIQUE", "x"]), property: "constraints[2]", reason: "UNIQUE does not accept a value" },
  { name: "MAX_PER with a word", app: constrained(["rack", "MAX_PER", "two"]), property: "constraints[0]", reason: "MAX_PER requires an integer value" },
  { name: "MAX_PER without value", app: constrained(["rack", "MAX_PER"]), property: "constraints[0]", reason: "MAX_PER requires an integer value" },
  { name: "GROUP_BY with a word", app: constrained(["rack", "GROUP_BY", "abc"]), property: "constraints[0]", reason: "GROUP_BY may either have no value or an integer value" },
  { name: "LIKE with a broken regex", app: constrained(["rack", "LIKE", "rack-["]), property: "constraints[0]", reason: "'rack-[' is not a valid regular expression" },
  { name: "UNLIKE without a regex", app: constrained(["rack", "UNLIKE"]), property: "constraints[0]", reason: "A regular expression value must be provided" },
  { name: "CLUSTER without value", app: constrained(["rack", "CLUSTER"]), property: "constraints[0]", reason: "CLUSTER requires a value" },
  { name: "unknown operator", app: constrained(["rack", "NEAR", "x"]), property: "constraints[0]", reason: 'unknown constraint operator "NEAR"' },
  { name: "constraint with one field", app: constrained(["hostname"]), property: "constraints[0]", reason: "Each constraint must have either 2 or 3 fields" },
  { name: "constraint written as a string", app: constrained("hostname:UNIQUE"), property: "constraints[0]", reason: "must be an array [field, OPERATOR, value?]" },
  // upgrade strategy
  { name: "minimumHealthCapacity above 1", app: cmdApp({ upgradeStrategy: { minimumHealthCapacity: 1.5 } }), property: "upgradeStrategy.minimumHealthCapacity", reason: "must be between 0 and 1" },
  { name: "negative maximumOverCapacity", app: cmdApp({ upgradeStrategy: { maximumOverCapacity: -0.1 } }), property: "upgradeStrategy.maximumOverCapacity", reason: "must be between 0 and 1" },
  // env, secrets, labels
  { name: "numeric env value", app: cmdApp({ env: { FOO: 1 } }), property: "env.FOO", reason: 'must be a string or {"secret": "<name>"}' },
  { name: "env secret not declared", app: cmdApp({ env: { DB: { secret: "db" } } }), property: "env.DB.secret", reason: 'references an undefined secret "db"' },
  { name: "secret without source", app: cmdApp({ secrets: { db: {} } }), property: "secrets.db.source", reason: "is required" },
  { name: "numeric label", app: cmdApp({ labels: { team: 5 } }), property: "labels.team", reason: "must be a string" },
  { name: "label key that is not an identifier", app: cmdApp({ labels: { "com.acme/team": true } }), property: 'labels["com.acme/team"]', reason: "must be a string" },
  // health checks
  { name: "health check port index past the ports", app: cmdApp({ portDefinitions: [{ port: 0 }], healthChecks: [{ protocol: "HTTP", portIndex: 1 }] }), property: "healthChecks[0].portIndex", reason: "Health check port indices must address an element of the ports array or container port mappings." },
  { name: "unknown health check protocol", app: cmdApp({ healthChecks: [{ protocol: "GRPC" }] }), property: "healthChecks[0].protocol", reason: "must be one of HTTP" },
];

describe("marathon validateApp", function () {
  it("has a table of at least 35 bad definitions", function () {
    assert.ok(BAD.length >= 35, `only ${BAD.length} cases`);
  });

  describe("rejects each bad definition with one failure at the field", function () {
    for (const c of BAD) {
      it(`${c.name} → ${c.property || "(the app)"}`, function () {
        const failures = validateApp(c.app, c.opts);
        assert.deepStrictEqual(failures.map((f) => f.property), [c.property], JSON.stringify(failures, null, 1));
        assert.ok(failures[0].reason.includes(c.reason), `reason ${JSON.stringify(failures[0].reason)} should contain ${JSON.stringify(c.reason)}`);
      });
    }
  });

  describe("accepts valid definitions", function () {
    const GOOD: [string, unknown, ValidateOptions?][] = [
      ["a command on the host", cmdApp()],
      ["a relative id", { id: "my-app", cmd: "x" }],
      ["an id with dotted segments", { id: "/prod.eu/web.v2", cmd: "x" }],
      ["args instead of cmd", { id: "/a", args: ["sleep", "1"] }],
      ["a Docker image without cmd", dockerApp()],
      ["three container networks on Mesos, hostPort pinned to one", mappedApp([{ containerPort: 80, hostPort: 0, networkNames: ["b"] }, { containerPort: 81 }], [{ name: "a" }, { name: "b" }, { name: "c", labels: { x: "y" } }])],
      ["bridge with host ports", { id: "/a", container: { docker: { image: "i", network: "BRIDGE", portMappings: [{ containerPort: 80, hostPort: 0, protocol: "udp,tcp" }] } } }],
      ["host with port definitions and a health check", cmdApp({ portDefinitions: [{ port: 0, name: "http" }, { port: 0 }], healthChecks: [{ protocol: "HTTP", portIndex: 1, path: "/" }] })],
      ["ports equal to portDefinitions", cmdApp({ ports: [80], portDefinitions: [{ port: 80 }] })],
      ["ipAddress with an empty networks list", dockerApp({ network: "USER" }, { ipAddress: { networkName: "a" }, networks: [] })],
      ["every constraint operator", constrained(["hostname", "UNIQUE"], ["rack", "CLUSTER", "r1"], ["rack", "GROUP_BY"], ["rack", "GROUP_BY", "3"], ["rack", "LIKE", "rack-[0-9]"], ["rack", "UNLIKE", "x.*"], ["rack", "MAX_PER", "2"], ["os", "IS", "linux"])],
      ["env with a declared secret", cmdApp({ env: { A: "1", DB: { secret: "db" } }, secrets: { db: { source: "/db/pw" } } })],
      ["upgradeStrategy bounds", cmdApp({ upgradeStrategy: { minimumHealthCapacity: 0, maximumOverCapacity: 1 } })],
      ["a Mesos app with discovery ports", cmdApp({ ipAddress: { networkName: "a", discovery: { ports: [{ number: 80, name: "http", protocol: "tcp" }] } } })],
      ["an unnamed container network with a named default", mesosApp({}, { networks: [{}] }), { defaultNetworkName: "dcos-1" }],
      ["pass-through Marathon fields", cmdApp({ user: "nobody", fetch: [{ uri: "http://x" }], requirePorts: false })],
    ];
    for (const [name, app, opts] of GOOD) {
      it(name, function () {
        assert.deepStrictEqual(validateApp(app, opts), []);
      });
    }
  });

  it("reports every bad field of one app, not just the first", function () {
    const failures = validateApp({ id: "/A", cpus: -1, mem: "x", constraints: [["a", "UNIQUE", "b"]] });
    assert.deepStrictEqual(failures.map((f) => f.property).sort(), ["cmd", "constraints[0]", "cpus", "id", "mem"]);
  });

  it("skips port rules (rather than guessing) when the networks are broken", function () {
    const failures = validateApp(mappedApp([{ containerPort: 80, networkNames: ["zzz"] }], [{ name: "BAD" }]));
    assert.deepStrictEqual(failures.map((f) => f.property), ["networks[0].name"]);
  });
});
