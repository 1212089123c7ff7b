// Bad Marathon app definitions, each with every failure MarathonApp's check must report: the JSON
// path under `app.` and the reason in Marathon's wording where Marathon has one (REFERENCE.md), or
// ours where the local cluster adds a rule. The app is checked the way the stack program declares
// it: on the stack below, with its virtual network planned by VirtualNetwork's own check.
import { Failure } from "../../src/core/common/failure";
import { checkMarathonApp, JoinableNetwork, MarathonAppInputs } from "../../src/core/marathon/appInputs";
import { checkVirtualNetwork } from "../../src/core/overlay/virtualNetwork";

export interface BadAppCase {
  what: string;
  app: unknown;
  opts: AppCheckOptions;
  /** Every failure the check must report, in order. */
  failures: Failure[];
  /**
   * A rule of this project (the stack around the app, or what the local cluster can run), not one of
   * Marathon's: validateApp alone accepts the definition.
   */
  ours?: true;
}

/** The stack every app case runs on: two agents, one virtual network. */
export const APP_STACK = {
  cluster: { agents: ["agent-1", "agent-2"] },
  network: { name: "apps-net", subnet: "9.251.0.0/16", prefix: 24 },
};
export const NET = APP_STACK.network.name;

function planned(): Record<string, JoinableNetwork> {
  const { inputs, failures } = checkVirtualNetwork({}, { ...APP_STACK.network, agents: APP_STACK.cluster.agents }, () => false);
  if (failures.length > 0) throw new Error(`the app stack's network is itself refused: ${JSON.stringify(failures)}`);
  return { [NET]: { dockerNetwork: NET, agentSubnets: inputs.agentSubnets } };
}

export interface AppCheckOptions {
  /** cluster.target of the stack (default local). */
  target?: string;
  /** The stack's secret values (`dcos-vnet:secrets`), by source. */
  secretEnv?: Record<string, string>;
  /** The file the definition was read from. */
  appFile?: string;
  /** The cluster allows privileged containers (dcos-vnet:cluster.allowPrivileged). */
  allowPrivileged?: boolean;
}

/**
 * MarathonApp's check, given what the stack program gives an app. The ONE place that builds the
 * resource's inputs: when the program changes what an app receives (only the networks it joins,
 * only the secrets it references), change it here.
 */
export function checkApp(app: unknown, opts: AppCheckOptions = {}): { inputs: MarathonAppInputs; failures: Failure[] } {
  return checkMarathonApp(
    {
      app,
      ...(opts.appFile !== undefined ? { appFile: opts.appFile } : {}),
      networks: planned(),
      secretEnv: opts.secretEnv ?? {},
      owner: { project: "dcos-vnet", stack: "unit" },
      target: opts.target ?? "local",
      ...(opts.allowPrivileged !== undefined ? { allowPrivileged: opts.allowPrivileged } : {}),
    },
    () => false,
  );
}

const net = NET;
const ok = { id: "/bad", cmd: "sleep 1", networks: [{ mode: "container", name: net }] };
const docker = (extra: Record<string, unknown> = {}) => ({ type: "DOCKER", docker: { image: "busybox", ...extra } });
const mesos = (extra: Record<string, unknown> = {}) => ({ type: "MESOS", docker: { image: "busybox", ...extra } });
/** A Docker app on the stack's network with these port mappings. */
const web = (mappings: unknown[]) => ({ ...ok, container: { ...docker(), portMappings: mappings } });
const f = (property: string, reason: string): Failure => ({ property, reason });
const bad = (what: string, app: unknown, ...failures: Failure[]): BadAppCase => ({ what, app, opts: {}, failures });
const ours = (c: BadAppCase): BadAppCase => ({ ...c, ours: true });
const badWith = (what: string, app: unknown, opts: AppCheckOptions, ...failures: Failure[]): BadAppCase => ({ what, app, opts, failures });

export const BAD_APPS: BadAppCase[] = [
  // Resources and backoff (Marathon's minimums).
  bad("negative cpus", { ...ok, cpus: -1 },
    f("app.cpus", "must be greater than 0, got -1")),
  bad("zero cpus", { ...ok, cpus: 0 },
    f("app.cpus", "must be greater than 0, got 0")),
  bad("cpus as text", { ...ok, cpus: "two" },
    f("app.cpus", "must be a number, got string \"two\"")),
  bad("negative mem", { ...ok, mem: -5 },
    f("app.mem", "must be at least 0, got -5")),
  bad("negative disk", { ...ok, disk: -1 },
    f("app.disk", "must be at least 0, got -1")),
  bad("fractional gpus", { ...ok, gpus: 0.5 },
    f("app.gpus", "must be an integer, got 0.5")),
  bad("gpus with the Docker containerizer", { ...ok, gpus: 1, container: docker() },
    f("app.gpus", "GPU resources only work with the Mesos containerizer")),
  bad("fractional instances", { ...ok, instances: 1.5 },
    f("app.instances", "must be an integer, got 1.5")),
  bad("negative instances", { ...ok, instances: -1 },
    f("app.instances", "must be at least 0, got -1")),
  bad("backoffFactor below 1", { ...ok, backoffFactor: 0.5 },
    f("app.backoffFactor", "must be at least 1, got 0.5")),
  bad("fractional backoffSeconds", { ...ok, backoffSeconds: 1.5 },
    f("app.backoffSeconds", "must be an integer, got 1.5")),
  bad("negative maxLaunchDelaySeconds", { ...ok, maxLaunchDelaySeconds: -1 },
    f("app.maxLaunchDelaySeconds", "must be at least 0, got -1")),

  // What to run.
  bad("no cmd, args or container", { id: "/bad", networks: [{ mode: "container", name: net }] },
    f("app.cmd", "AppDefinition must either contain one of 'cmd' or 'args', and/or a 'container'.")),
  bad("cmd and args", { ...ok, args: ["sleep", "1"] },
    f("app.args", "AppDefinition must either contain one of 'cmd' or 'args', and/or a 'container'. (cmd and args exclude each other)")),
  bad("empty cmd", { ...ok, cmd: "" },
    f("app.cmd", "must not be an empty string")),
  bad("args not strings", { id: "/bad", args: ["sleep", 1], networks: ok.networks },
    f("app.args[1]", "must be a string, got number 1")),

  // The app id (Marathon's PathId rules).
  bad("missing id", { cmd: "sleep 1", networks: ok.networks },
    f("app.id", "is required (the app's path, e.g. /group/app)")),
  bad("id not a string", { ...ok, id: 7 },
    f("app.id", "must be a string, got number 7")),
  bad("uppercase id", { ...ok, id: "/Bad" },
    f("app.id", "path segment \"Bad\" must fully match regular expression '^(([a-z0-9]|[a-z0-9][a-z0-9-]*[a-z0-9])\\.)*([a-z0-9]|[a-z0-9][a-z0-9-]*[a-z0-9])$' (lowercase letters, digits, '-' and '.', not starting or ending with '-')")),
  bad("id segment ending with a dash", { ...ok, id: "/shop/web-" },
    f("app.id", "path segment \"web-\" must fully match regular expression '^(([a-z0-9]|[a-z0-9][a-z0-9-]*[a-z0-9])\\.)*([a-z0-9]|[a-z0-9][a-z0-9-]*[a-z0-9])$' (lowercase letters, digits, '-' and '.', not starting or ending with '-')")),
  bad("relative segment in id", { ...ok, id: "/shop/../web" },
    f("app.id", "must not contain the relative segment \"..\"; write the absolute path")),
  bad("reserved id ending tasks", { ...ok, id: "/bad/tasks" },
    f("app.id", "must not end with any of the following reserved keywords: restart, tasks, versions (it ends with \"tasks\")")),
  bad("reserved id ending restart", { ...ok, id: "/bad/restart" },
    f("app.id", "must not end with any of the following reserved keywords: restart, tasks, versions (it ends with \"restart\")")),
  bad("root id", { ...ok, id: "/" },
    f("app.id", "must not be root: \"/\" names the root group, not an app")),
  bad("only slashes id", { ...ok, id: "//" },
    f("app.id", "must not be root: \"//\" names the root group, not an app")),

  // Fields Marathon's schema does not have.
  bad("unknown field", { ...ok, instancez: 2 },
    f("app.instancez", "is not a field of a Marathon app definition")),
  bad("field with wrong case", { ...ok, Instances: 2 },
    f("app.Instances", "is not a field of a Marathon app definition (did you mean instances?)")),

  // Environment, secrets, labels.
  bad("env value not a string", { ...ok, env: { A: 1 } },
    f("app.env.A", "must be a string or {\"secret\": \"<name>\"}, got number 1")),
  bad("env name with =", { ...ok, env: { "A=B": "x" } },
    f("app.env[\"A=B\"]", "environment variable name \"A=B\" must be non-empty and contain no '='")),
  bad("env secret undeclared", { ...ok, env: { A: { secret: "db" } } },
    f("app.env.A.secret", "references an undefined secret \"db\" (declare it under secrets)")),
  bad("env secret object with extra key", { ...ok, env: { A: { secret: "db", x: 1 } } },
    f("app.env.A", "must be a string or {\"secret\": \"<name>\"}, got object {\"secret\":\"db\",\"x\":1}")),
  bad("secret declaration without source", { ...ok, secrets: { db: {} }, env: { A: { secret: "db" } } },
    f("app.secrets.db.source", "is required: must be a string")),
  bad("secret declaration unknown field", { ...ok, secrets: { db: { source: "db/pw", sorce: "x" } } },
    f("app.secrets.db.sorce", "is not a field of a secret declaration")),
  ours(bad("secret source not in stack", { ...ok, secrets: { db: { source: "db/pw" } }, env: { A: { secret: "db" } } },
    f("app.env.A", "secret source db/pw is not among the stack's secrets (dcos-vnet:secrets)"))),
  bad("labels value not a string", { ...ok, labels: { team: 1 } },
    f("app.labels.team", "must be a string (label values are strings), got number 1")),

  // Networks (Marathon's NetworkValidation and NetworkTranslation).
  bad("legacy and canonical networks mixed", { ...ok, ipAddress: { networkName: net } },
    f("app.ipAddress", "must not specify both networks and ipAddress (cannot mix deprecated and canonical network APIs)")),
  bad("docker.network and networks", { ...ok, container: docker({ network: "USER" }) },
    f("app.container.docker.network", "must not specify both container.docker.network and networks (cannot mix deprecated and canonical network APIs)")),
  bad("docker.network NONE", { id: "/bad", cmd: "sleep 1", container: docker({ network: "NONE" }) },
    f("app.container.docker.network", "unsupported docker network type NONE (Marathon cannot translate it; declare networks instead)")),
  bad("docker.network in a MESOS container", { id: "/bad", cmd: "sleep 1", container: mesos({ network: "USER" }), ipAddress: { networkName: net } },
    f("app.container.docker.network", "must be empty when container.type is MESOS (declare networks instead)")),
  bad("unknown network mode", { ...ok, networks: [{ mode: "overlay", name: net }] },
    f("app.networks[0].mode", "must be one of container, container/bridge, host, got \"overlay\"")),
  bad("network name not a DNS label", { ...ok, networks: [{ mode: "container", name: "Apps_Net" }] },
    f("app.networks[0].name", "\"Apps_Net\" must match ^[a-z0-9]([-a-z0-9_]*[a-z0-9])?$ (lowercase letters, digits, '-' and '_')")),
  bad("host network with a name", { ...ok, networks: [{ mode: "host", name: "x" }] },
    f("app.networks[0].name", "Host networks may not have names or labels")),
  bad("bridge network with a name", { ...ok, networks: [{ mode: "container/bridge", name: "x" }] },
    f("app.networks[0].name", "Bridge networks may not have names")),
  bad("duplicate networks", { ...ok, networks: [{ mode: "container", name: net }, { mode: "container", name: net }] },
    f("app.networks[1].name", "Duplicate networks are not allowed: \"apps-net\" is declared twice")),
  bad("host mixed with container", { ...ok, networks: [{ mode: "container", name: net }, { mode: "host" }] },
    f("app.networks", "May specify a single host network, single bridge network, or else 1-to-n container networks")),
  bad("docker app on two container networks", { ...ok, container: docker(), networks: [{ mode: "container", name: net }, { mode: "container", name: "other" }] },
    f("app.networks", "may only specify a single container network when using the Docker container engine")),
  ours(bad("unnamed container network joins DC/OS's default, absent here", { ...ok, networks: [{ mode: "container" }] },
    f("app.networks[0].name", "network dcos is not a virtual network of this stack (known: apps-net)"))),

  // Host and bridge networking run on the local cluster's agents, which a MarathonApp alone is not given.
  ours(bad("host networking without the cluster's agents", { ...ok, networks: [{ mode: "host" }] },
    f("app.networks", "a host-mode app runs on the local cluster's agents: give hostAgents and hostNetwork (DcosCluster does)"))),
  ours(bad("bridge networking without the cluster's agents", { ...ok, networks: [{ mode: "container/bridge" }] },
    f("app.networks", "a bridge-mode app runs on the local cluster's agents: give hostAgents and hostNetwork (DcosCluster does)"))),
  ours(bad("Mesos app on two container networks, the second not in the stack", { ...ok, container: mesos(), networks: [{ mode: "container", name: net }, { mode: "container", name: "other" }] },
    f("app.networks[1].name", "network other is not a virtual network of this stack (known: apps-net)"))),

  // Ports.
  bad("portMappings with host networking", { ...ok, networks: [{ mode: "host" }], container: { ...docker(), portMappings: [{ containerPort: 80 }] } },
    f("app.container.portMappings", "portMappings are not allowed with host-networking (host networking uses portDefinitions)")),
  bad("portDefinitions without host networking", { ...ok, portDefinitions: [{ port: 80 }] },
    f("app.portDefinitions", "portDefinitions are only allowed with host-networking (use container.portMappings)")),
  bad("portMappings and docker.portMappings", { ...ok, container: { ...docker({ portMappings: [{ containerPort: 1 }] }), portMappings: [{ containerPort: 2 }] } },
    f("app.container.docker.portMappings", "cannot specify both portMappings and docker.portMappings")),
  bad("docker.portMappings in a MESOS container", { ...ok, container: mesos({ portMappings: [{ containerPort: 1 }] }) },
    f("app.container.docker.portMappings", "must be empty when container.type is MESOS (use container.portMappings)")),
  bad("duplicate port names", web([{ containerPort: 80, name: "web" }, { containerPort: 81, name: "web" }]),
    f("app.container.portMappings[1].name", "Port names must be unique. \"web\" is used twice")),
  bad("port out of range", web([{ containerPort: 70000 }]),
    f("app.container.portMappings[0].containerPort", "must be between 0 and 65535, got 70000")),
  bad("negative hostPort", web([{ containerPort: 80, hostPort: -1 }]),
    f("app.container.portMappings[0].hostPort", "must be between 0 and 65535, got -1")),
  bad("servicePort out of range", web([{ containerPort: 80, servicePort: 65536 }]),
    f("app.container.portMappings[0].servicePort", "must be between 0 and 65535, got 65536")),
  bad("bad port name", web([{ containerPort: 80, name: "Web_1" }]),
    f("app.container.portMappings[0].name", "\"Web_1\" must match ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$ (lowercase letters, digits and '-', not starting or ending with '-')")),
  bad("bad protocol", web([{ containerPort: 80, protocol: "sctp" }]),
    f("app.container.portMappings[0].protocol", "must be one of tcp, udp, udp,tcp, got \"sctp\"")),
  bad("misspelt port mapping field", web([{ contanerPort: 80 }]),
    f("app.container.portMappings[0].contanerPort", "is not a field of a port mapping")),
  bad("port mapping names a network the app is not on", web([{ containerPort: 80, networkNames: ["other"] }]),
    f("app.container.portMappings[0].networkNames[0]", "\"other\" is not one of the app's container networks (apps-net)")),
  bad("port mapping label not a string", web([{ containerPort: 80, labels: { VIP_0: 80 } }]),
    f("app.container.portMappings[0].labels.VIP_0", "must be a string (label values are strings), got number 80")),

  bad("hostPort on two container networks without networkNames", { ...ok, container: { ...mesos(), portMappings: [{ containerPort: 80, hostPort: 0 }] }, networks: [{ mode: "container", name: net }, { mode: "container", name: "other" }] },
    f("app.container.portMappings[0].networkNames", "networkNames must be a single item list when hostPort is specified and more than 1 container network is defined")),
  bad("duplicate port definitions", { ...ok, networks: [{ mode: "host" }], portDefinitions: [{ port: 8080 }, { port: 8080 }] },
    f("app.portDefinitions[1].port", "Ports must be unique. 8080 is used twice in portDefinitions")),
  bad("ports and portDefinitions disagree", { ...ok, networks: [{ mode: "host" }], ports: [8080], portDefinitions: [{ port: 8081 }] },
    f("app.ports", "cannot specify both ports and port definitions (ports is the deprecated form of portDefinitions)")),
  bad("ipAddress with ports", { id: "/bad", cmd: "sleep 1", ipAddress: { networkName: net }, ports: [80] },
    f("app.ports", "cannot specify both an IP address and port (an ipAddress app uses port mappings)")),
  bad("ipAddress discovery with Docker", { id: "/bad", cmd: "sleep 1", container: docker({ network: "USER" }), ipAddress: { networkName: net, discovery: { ports: [{ number: 80, name: "web" }] } } },
    f("app.ipAddress.discovery", "ipAddress/discovery is not allowed for Docker containers")),
  bad("discovery port without name", { id: "/bad", cmd: "sleep 1", container: mesos(), ipAddress: { networkName: net, discovery: { ports: [{ number: 80 }] } } },
    f("app.ipAddress.discovery.ports[0].name", "is required")),

  // VIP labels (DC/OS l4lb).
  ours(bad("VIP without a port", web([{ containerPort: 80, labels: { VIP_0: "/shop/web" } }]),
    f("app.container.portMappings[0].labels.VIP_0", "VIP \"/shop/web\" must be NAME:PORT or IP:PORT (e.g. /mygroup/myapp:80)"))),
  ours(bad("VIP port zero", web([{ containerPort: 80, labels: { VIP_0: "/shop/web:0" } }]),
    f("app.container.portMappings[0].labels.VIP_0", "VIP \"/shop/web:0\" has port \"0\"; it must be an integer from 1 to 65535"))),
  ours(bad("VIP name with a space", web([{ containerPort: 80, labels: { VIP_0: "shop web:80" } }]),
    f("app.container.portMappings[0].labels.VIP_0", "VIP \"shop web:80\" must name the VIP with letters, digits, '-', '_', '.' and '/' before the ':'"))),

  // Constraints.
  bad("UNIQUE with a value", { ...ok, constraints: [["hostname", "UNIQUE", "x"]] },
    f("app.constraints[0]", "UNIQUE does not accept a value, got \"x\"")),
  bad("MAX_PER without an integer", { ...ok, constraints: [["hostname", "MAX_PER", "many"]] },
    f("app.constraints[0]", "MAX_PER requires an integer value, got \"many\"")),
  bad("GROUP_BY with words", { ...ok, constraints: [["hostname", "GROUP_BY", "two"]] },
    f("app.constraints[0]", "GROUP_BY may either have no value or an integer value, got \"two\"")),
  bad("CLUSTER without a value", { ...ok, constraints: [["hostname", "CLUSTER"]] },
    f("app.constraints[0]", "CLUSTER requires a value (the attribute value to match)")),
  bad("IS with an empty value", { ...ok, constraints: [["hostname", "IS", ""]] },
    f("app.constraints[0]", "IS requires a value (the attribute value to match)")),
  bad("LIKE without a regex", { ...ok, constraints: [["hostname", "LIKE"]] },
    f("app.constraints[0]", "LIKE: A regular expression value must be provided")),
  bad("unknown constraint operator", { ...ok, constraints: [["hostname", "NEAR"]] },
    f("app.constraints[0]", "unknown constraint operator \"NEAR\"; must be one of UNIQUE, CLUSTER, GROUP_BY, LIKE, UNLIKE, MAX_PER, IS")),
  bad("LIKE with a broken regex", { ...ok, constraints: [["hostname", "LIKE", "(("]] },
    f("app.constraints[0]", "LIKE: '((' is not a valid regular expression")),
  bad("constraint with one field", { ...ok, constraints: [["hostname"]] },
    f("app.constraints[0]", "Each constraint must have either 2 or 3 fields ([field, OPERATOR, value?]), got 1")),
  bad("constraint with four fields", { ...ok, constraints: [["hostname", "LIKE", "a", "b"]] },
    f("app.constraints[0]", "Each constraint must have either 2 or 3 fields ([field, OPERATOR, value?]), got 4")),
  bad("constraint with an empty field", { ...ok, constraints: [["", "UNIQUE"]] },
    f("app.constraints[0]", "the field (first element) must not be empty")),
  bad("constraint element not a string", { ...ok, constraints: [["hostname", "MAX_PER", 2]] },
    f("app.constraints[0]", "element 2 must be a string, got 2")),
  bad("constraint not a list", { ...ok, constraints: ["hostname:UNIQUE"] },
    f("app.constraints[0]", "must be an array [field, OPERATOR, value?], got string \"hostname:UNIQUE\"")),

  // Constraints against the stack's agents.
  ours(bad("constraints no agent can meet", { ...ok, instances: 3, constraints: [["hostname", "UNIQUE"]] },
    f("app.constraints", "constraints (UNIQUE) allow at most 2 instances on agents [agent-1, agent-2], asked for 3"))),
  ours(bad("constraints on an attribute no agent has", { ...ok, constraints: [["rack", "IS", "r1"]] },
    f("app.constraints", "constraint [rack, IS] needs agent attribute \"rack\"; local agents only have a hostname"))),

  // Upgrade strategy.
  bad("minimumHealthCapacity above 1", { ...ok, upgradeStrategy: { minimumHealthCapacity: 1.5 } },
    f("app.upgradeStrategy.minimumHealthCapacity", "must be between 0 and 1, got 1.5")),
  bad("maximumOverCapacity negative", { ...ok, upgradeStrategy: { maximumOverCapacity: -0.1 } },
    f("app.upgradeStrategy.maximumOverCapacity", "must be between 0 and 1, got -0.1")),
  bad("upgradeStrategy unknown field", { ...ok, upgradeStrategy: { minimumHealthCapacty: 0.5 } },
    f("app.upgradeStrategy.minimumHealthCapacty", "is not a field of upgradeStrategy")),
  bad("upgradeStrategy not an object", { ...ok, upgradeStrategy: "rolling" },
    f("app.upgradeStrategy", "must be an object ({minimumHealthCapacity, maximumOverCapacity}), got string \"rolling\"")),

  // Health checks.
  bad("health check protocol unknown", { ...ok, healthChecks: [{ protocol: "GRPC" }] },
    f("app.healthChecks[0].protocol", "must be one of HTTP, HTTPS, TCP, COMMAND, MESOS_HTTP, MESOS_HTTPS, MESOS_TCP, got \"GRPC\"")),
  bad("health check portIndex beyond the ports", { ...web([{ containerPort: 80 }]), healthChecks: [{ protocol: "HTTP", portIndex: 1 }] },
    f("app.healthChecks[0].portIndex", "Health check port indices must address an element of the ports array or container port mappings. (portIndex 1, 1 port(s) declared)")),
  bad("health check negative interval", { ...ok, healthChecks: [{ protocol: "COMMAND", command: { value: "true" }, intervalSeconds: -1 }] },
    f("app.healthChecks[0].intervalSeconds", "must be between 0 and 2147483647, got -1")),
  bad("health check command without value", { ...ok, healthChecks: [{ protocol: "COMMAND", command: {} }] },
    f("app.healthChecks[0].command.value", "is required: must be a string")),
  bad("health check unknown field", { ...ok, healthChecks: [{ protocol: "TCP", portIndex: 0, timeout: 5 }] },
    f("app.healthChecks[0].timeout", "is not a field of a health check")),
  bad("health check port out of range", { ...ok, healthChecks: [{ protocol: "MESOS_TCP", port: 70000 }] },
    f("app.healthChecks[0].port", "must be between 0 and 65535, got 70000")),
  // Timings and counts are int32 in Marathon's RAML (format: int32, minimum: 0); portIndex is AnyPort.
  bad("health check grace period beyond Marathon's int32", { ...ok, healthChecks: [{ protocol: "COMMAND", command: { value: "true" }, gracePeriodSeconds: 2 ** 31 }] },
    f("app.healthChecks[0].gracePeriodSeconds", "must be between 0 and 2147483647, got 2147483648")),
  bad("health check maxConsecutiveFailures beyond Marathon's int32", { ...ok, healthChecks: [{ protocol: "COMMAND", command: { value: "true" }, maxConsecutiveFailures: 1e10 }] },
    f("app.healthChecks[0].maxConsecutiveFailures", "must be between 0 and 2147483647, got 10000000000")),
  bad("health check portIndex beyond any port", { ...ok, healthChecks: [{ protocol: "COMMAND", command: { value: "true" }, portIndex: 70000 }] },
    f("app.healthChecks[0].portIndex", "must be between 0 and 65535, got 70000")),
  // The local cluster's own bound: `pulumi up` waits on these (core/local/healthTimings).
  ours(bad("health check timings beyond a day on the local cluster", { ...ok, healthChecks: [{ protocol: "MESOS_TCP", port: 80, gracePeriodSeconds: 86_401, intervalSeconds: 2 ** 31 - 1, timeoutSeconds: 90_000, delaySeconds: 1e6 }] },
    f("app.healthChecks[0].gracePeriodSeconds", "must be at most 86400 (one day) on the local cluster, whose up waits on health checks; got 86401"),
    f("app.healthChecks[0].intervalSeconds", "must be at most 86400 (one day) on the local cluster, whose up waits on health checks; got 2147483647"),
    f("app.healthChecks[0].timeoutSeconds", "must be at most 86400 (one day) on the local cluster, whose up waits on health checks; got 90000"),
    f("app.healthChecks[0].delaySeconds", "must be at most 86400 (one day) on the local cluster, whose up waits on health checks; got 1000000"))),
  ours(bad("health check whose wait for a new instance would outlast a day on the local cluster (each timing within a day)", { ...ok, healthChecks: [{ protocol: "COMMAND", command: { value: "true" }, maxConsecutiveFailures: 2 ** 31 - 1 }] },
    f("app.healthChecks[0].maxConsecutiveFailures", "up waits for a new instance to turn healthy or fail for up to max(gracePeriodSeconds, delaySeconds) + (maxConsecutiveFailures + 1) × (intervalSeconds + timeoutSeconds) = 171798692140 s with these values; on the local cluster that must be at most 86400 (one day)"))),
  bad("health check ipProtocol unknown", { ...ok, healthChecks: [{ protocol: "MESOS_HTTP", port: 80, ipProtocol: "IPv5" }] },
    f("app.healthChecks[0].ipProtocol", "must be one of IPv4, IPv6, got \"IPv5\"")),
  bad("healthChecks not a list", { ...ok, healthChecks: { protocol: "TCP" } },
    f("app.healthChecks", "must be an array of health check objects, got object {\"protocol\":\"TCP\"}")),

  // Containers.
  bad("docker container without image", { ...ok, container: { type: "DOCKER", docker: {} } },
    f("app.container.docker.image", "is required: the Docker image to run")),
  bad("DOCKER container without docker", { ...ok, container: { type: "DOCKER" } },
    f("app.container.docker", "is required for a DOCKER container (at least docker.image)")),
  bad("unknown container type", { ...ok, container: { type: "RKT", docker: { image: "busybox" } } },
    f("app.container.type", "must be one of DOCKER, MESOS, got \"RKT\"")),
  bad("appc container", { ...ok, container: { type: "MESOS", appc: { image: "x" } } },
    f("app.container.appc", "AppC images are not supported by this project; use container.docker")),
  bad("docker credential", { ...ok, container: docker({ credential: { principal: "p" } }) },
    f("app.container.docker.credential", "must be empty: docker credentials are no longer supported by Marathon (use pullConfig with a MESOS container)")),
  bad("pullConfig with the Docker containerizer", { ...ok, container: docker({ pullConfig: { secret: "s" } }) },
    f("app.container.docker.pullConfig", "pullConfig is not supported with Docker containerizer")),
  // Images and pull credentials (container.docker.pullConfig: a MESOS container's Docker image).
  bad("pullConfig secret not declared (Marathon's secrets validator)", { ...ok, container: mesos({ pullConfig: { secret: "pull" } }) },
    f("app.container.docker.pullConfig", "pullConfig.secret must refer to an existing secret")),
  ours(bad("pullConfig secret source not in stack", { ...ok, secrets: { pull: { source: "registry-auth" } }, container: mesos({ pullConfig: { secret: "pull" } }) },
    f("app.container.docker.pullConfig.secret", "secret source registry-auth is not among the stack's secrets (dcos-vnet:secrets)"))),
  ours(badWith("pullConfig secret not a docker config", { ...ok, secrets: { pull: { source: "registry-auth" } }, container: mesos({ pullConfig: { secret: "pull" } }) },
    { secretEnv: { "registry-auth": "user:hunter2" } },
    f("app.container.docker.pullConfig.secret", "secret pull (source registry-auth) must be a Docker config JSON ({\"auths\": {\"<host:port>\": {\"auth\": \"<base64 of user:password>\"}}}): it is not JSON"))),
  ours(badWith("pullConfig auth not base64 of user:password", { ...ok, secrets: { pull: { source: "registry-auth" } }, container: mesos({ pullConfig: { secret: "pull" } }) },
    { secretEnv: { "registry-auth": JSON.stringify({ auths: { "127.0.0.1:5000": { auth: Buffer.from("no-colon").toString("base64") } } }) } },
    f("app.container.docker.pullConfig.secret", "secret pull (source registry-auth) must be a Docker config JSON ({\"auths\": {\"<host:port>\": {\"auth\": \"<base64 of user:password>\"}}}): auths[\"127.0.0.1:5000\"].auth must be base64 of user:password"))),
  ours(bad("image reference with upper case", { ...ok, container: docker({ image: "Shop/Web:1" }) },
    f("app.container.docker.image", "\"Shop/Web:1\": invalid reference format: repository name must be lowercase"))),
  ours(bad("image reference with a bad tag", { ...ok, container: docker({ image: "busybox:-x" }) },
    f("app.container.docker.image", "\"busybox:-x\": invalid reference format: tag \"-x\" must match [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}"))),
  // Refused at once: an empty separator in the old pattern made this take seconds (test/unit/redos.test.ts).
  ours(bad("image name whose refusal once took exponential time", { ...ok, container: docker({ image: `${"a".repeat(29)}-` }) },
    f("app.container.docker.image", `"${"a".repeat(29)}-": invalid reference format`))),
  ours(bad("image name longer than Docker's 255 characters", { ...ok, container: docker({ image: `${"a-".repeat(5000)}!` }) },
    f("app.container.docker.image", `"${"a-".repeat(5000)}!": invalid reference format: repository name must not be more than 255 characters`))),
  bad("docker parameters in a MESOS container", { ...ok, container: mesos({ parameters: [{ key: "cap-add", value: "NET_ADMIN" }] }) },
    f("app.container.docker.parameters", "must be empty when container.type is MESOS (Docker CLI parameters need the DOCKER containerizer)")),
  bad("docker parameter without value", { ...ok, container: docker({ parameters: [{ key: "cap-add" }] }) },
    f("app.container.docker.parameters[0].value", "is required")),
  bad("privileged not boolean", { ...ok, container: docker({ privileged: "yes" }) },
    f("app.container.docker.privileged", "must be true or false, got string \"yes\"")),
  ours(bad("privileged container on a cluster that does not allow them", { ...ok, container: docker({ privileged: true }) },
    f("app.container.docker.privileged", "this cluster does not allow privileged containers (a privileged container is root on the Docker host); " +
      "an operator allows them with dcos-vnet:cluster.allowPrivileged: true (the MarathonApp input allowPrivileged)"))),
  bad("volume without containerPath", { ...ok, container: { ...docker(), volumes: [{ hostPath: "/tmp", mode: "RW" }] } },
    f("app.container.volumes[0].containerPath", "is required")),
  bad("volume mode unknown", { ...ok, container: { ...docker(), volumes: [{ containerPath: "/data", hostPath: "/tmp", mode: "RX" }] } },
    f("app.container.volumes[0].mode", "must be one of RO, RW, got \"RX\"")),

  // The stack around the app: its networks, its target, its file.
  ours(bad("unknown virtual network", { ...ok, networks: [{ mode: "container", name: "nowhere" }] },
    f("app.networks[0].name", "network nowhere is not a virtual network of this stack (known: apps-net)"))),
  ours(bad("unknown virtual network by legacy ipAddress", { id: "/bad", cmd: "sleep 1", container: docker({ network: "USER" }), ipAddress: { networkName: "nowhere" } },
    f("app.ipAddress.networkName", "network nowhere is not a virtual network of this stack (known: apps-net)"))),
  ours(badWith("unknown virtual network on a DC/OS target", { ...ok, networks: [{ mode: "container", name: "nowhere" }] }, { target: "marathon" },
    f("app.networks[0].name", "network nowhere is not a virtual network of this stack (known: apps-net)"))),
  ours(badWith("unknown target", ok, { target: "k8s" },
    f("app.target", "target must be local or marathon, got \"k8s\""))),
  ours(bad("more instances than an agent's half has addresses", { ...ok, instances: 300, constraints: [["hostname", "IS", "agent-1"]] },
    f("app.instances", "No free container addresses in agent-1's Mesos half of the apps-net overlay 9.251.0.0/25: asked for 300, 125 available"))),
  badWith("an app read from a file names the file", { ...ok, cpus: -1 }, { appFile: "apps/web.json" },
    f("app.cpus", "must be greater than 0, got -1 (in apps/web.json)")),

  // Not an app at all.
  bad("not an object", "web",
    f("app", "must be a JSON object (a Marathon app definition), got string \"web\"")),
  bad("null", null,
    f("app", "must be a JSON object (a Marathon app definition), got null")),
];

export function appCase(what: string): BadAppCase {
  const found = BAD_APPS.find((c) => c.what === what);
  if (!found) throw new Error(`no bad app case named ${JSON.stringify(what)}`);
  return found;
}
