// Bad stack configuration outside the networks: `dcos-vnet:cluster`, `dcos-vnet:apps` (the list
// itself; the apps' definitions are in badApps.ts) and `dcos-vnet:marathon`, each with every failure
// parseStackConfig must report. Networks are valid in each case so that only the named key fails.
import { Failure } from "../../src/core/common/failure";

export interface RawStackConfig {
  cluster?: unknown;
  networks?: unknown;
  apps?: unknown;
  pods?: unknown;
  marathon?: unknown;
  /** Only whether they are given matters (their values are secret config). */
  marathonToken?: unknown;
  marathonPassword?: unknown;
}

export interface BadStackConfigCase {
  what: string;
  config: RawStackConfig;
  failures: Failure[];
}

export const GOOD_NETWORKS = [{ name: "dcos-1", subnet: "9.0.0.0/16", prefix: 24 }];
const fail = (property: string, reason: string): Failure => ({ property, reason });
const app = { id: "/web", cmd: "sleep 1" };
const marathon = (m: unknown): RawStackConfig => ({ cluster: { target: "marathon" }, marathon: m });
const APP_ENTRY = "an app entry must be {file: path} or {app: {...}}";
const ONE_OF = "give exactly one of file (a Marathon JSON file) or app (inline JSON)";
const NEEDS_MARATHON = "target marathon needs dcos-vnet:marathon with at least url";
const HTTP_WITH_CREDENTIALS =
  "an http:// URL would send the DC/OS token or password in clear; use the cluster's https:// URL, " +
  "or set dcos-vnet:marathon.allowInsecureHttp: true to accept that (a loopback tunnel, a throwaway cluster)";

export const BAD_STACK_CONFIG: BadStackConfigCase[] = [
  // dcos-vnet:cluster
  { what: "cluster not a map", config: { cluster: "local" },
    failures: [fail("dcos-vnet:cluster", "cluster must be a map with target, agents and dockerProvider")] },
  { what: "cluster a list", config: { cluster: ["agent-1"] },
    failures: [fail("dcos-vnet:cluster", "cluster must be a map with target, agents and dockerProvider")] },
  { what: "unknown cluster field", config: { cluster: { agent: ["a1"] } },
    failures: [fail("dcos-vnet:cluster.agent", "unknown field agent (known: target, agents, dockerProvider, hostSubnet, hosts, swarm, swarmEncrypted, allowPrivileged, acknowledgeReinstall)")] },
  { what: "acknowledgeReinstall not a boolean", config: { cluster: { acknowledgeReinstall: "yes" } },
    failures: [fail("dcos-vnet:cluster.acknowledgeReinstall", 'acknowledgeReinstall must be true or false, got "yes"')] },
  { what: "unknown target", config: { cluster: { target: "k8s" } },
    failures: [fail("dcos-vnet:cluster.target", 'target must be local or marathon, got "k8s"')] },
  { what: "unknown docker provider", config: { cluster: { dockerProvider: "podman" } },
    failures: [fail("dcos-vnet:cluster.dockerProvider", 'dockerProvider must be builtin or pulumi-docker, got "podman"')] },
  { what: "cluster agents not a list", config: { cluster: { agents: "agent-1" } },
    failures: [fail("dcos-vnet:cluster.agents", "agents must be a list of agent ids")] },
  { what: "cluster agent listed twice", config: { cluster: { agents: ["agent-1", "agent-1"] } },
    failures: [fail("dcos-vnet:cluster.agents[1]", "agent agent-1 is listed twice")] },
  { what: "cluster agent id empty", config: { cluster: { agents: ["agent-1", ""] } },
    failures: [fail("dcos-vnet:cluster.agents[1]", 'agent id must be a non-empty string, got ""')] },
  { what: "two agents sharing a container name", config: { cluster: { agents: ["a b", "a-b"] } },
    failures: [fail("dcos-vnet:cluster.agents[1]", 'agents "a-b" and "a b" (agents[0]) would share one container <stack>.agent.a-b; give one of them another name')] },
  { what: "two agents sharing a hostname", config: { cluster: { agents: ["Agent-1", "agent-1"] } },
    failures: [fail("dcos-vnet:cluster.agents[1]", 'agents "agent-1" and "Agent-1" (agents[0]) would share one hostname (hostnames are case-insensitive); give one of them another name')] },
  { what: "an agent name longer than a Linux hostname", config: { cluster: { agents: ["agent-1", "a".repeat(65)] } },
    failures: [fail("dcos-vnet:cluster.agents[1]", `agent name "${"a".repeat(65)}" is 65 bytes; it is the agent container's hostname, and Linux hostnames are at most 64 bytes (Docker fails the start with "sethostname: invalid argument")`)] },

  // dcos-vnet:apps (the list and its entries)
  { what: "apps not a list", config: { apps: { app } },
    failures: [fail("dcos-vnet:apps", "apps must be a list of {file: path} or {app: {...}}")] },
  { what: "app entry a string", config: { apps: ["web.json"] }, failures: [fail("dcos-vnet:apps[0]", APP_ENTRY)] },
  { what: "app entry a list", config: { apps: [[app]] }, failures: [fail("dcos-vnet:apps[0]", APP_ENTRY)] },
  { what: "app entry with both file and app", config: { apps: [{ file: "web.json", app }] }, failures: [fail("dcos-vnet:apps[0]", ONE_OF)] },
  { what: "app entry with neither file nor app", config: { apps: [{}] }, failures: [fail("dcos-vnet:apps[0]", ONE_OF)] },
  { what: "unknown app entry field", config: { apps: [{ app }, { fiel: "web.json" }] },
    failures: [fail("dcos-vnet:apps[1].fiel", "unknown field fiel (known: file, app)"), fail("dcos-vnet:apps[1]", ONE_OF)] },
  { what: "app file not a path", config: { apps: [{ file: 7 }] }, failures: [fail("dcos-vnet:apps[0].file", "file must be a path")] },
  { what: "inline app not an object", config: { apps: [{ app: "web" }] }, failures: [fail("dcos-vnet:apps[0].app", "app must be a JSON object")] },
  { what: "inline app a list", config: { apps: [{ app: [app] }] }, failures: [fail("dcos-vnet:apps[0].app", "app must be a JSON object")] },
  { what: "pods not a list", config: { pods: { pod: {} } }, failures: [fail("dcos-vnet:pods", "pods must be a list of {file: path} or {pod: {...}}")] },
  { what: "pod entry with both file and pod", config: { pods: [{ file: "cart.json", pod: {} }] }, failures: [fail("dcos-vnet:pods[0]", "give exactly one of file (a Marathon JSON file) or pod (inline JSON)")] },
  { what: "unknown pod entry field", config: { pods: [{ app: {} }] }, failures: [fail("dcos-vnet:pods[0].app", "unknown field app (known: file, pod)"), fail("dcos-vnet:pods[0]", "give exactly one of file (a Marathon JSON file) or pod (inline JSON)")] },

  // dcos-vnet:marathon (target marathon)
  { what: "target marathon without marathon", config: { cluster: { target: "marathon" } }, failures: [fail("dcos-vnet:marathon", NEEDS_MARATHON)] },
  { what: "marathon not a map", config: marathon("https://dcos.example"), failures: [fail("dcos-vnet:marathon", NEEDS_MARATHON)] },
  { what: "marathon without url", config: marathon({ uid: "ops" }),
    failures: [fail("dcos-vnet:marathon.url", "url must be the cluster's http(s) URL, got undefined")] },
  { what: "marathon url not http", config: marathon({ url: "ftp://dcos.example" }),
    failures: [fail("dcos-vnet:marathon.url", `url must be the cluster's http(s) URL, got "ftp://dcos.example"`)] },
  { what: "unknown marathon field", config: marathon({ url: "https://dcos.example", token: "x" }),
    failures: [fail("dcos-vnet:marathon.token", "unknown field token (known: url, uid, caBundleFile, insecureSkipVerify, allowInsecureHttp, force, deploymentTimeoutSeconds)")] },
  { what: "marathon http url with a token", config: { ...marathon({ url: "http://dcos.example" }), marathonToken: "secret" },
    failures: [fail("dcos-vnet:marathon.url", HTTP_WITH_CREDENTIALS)] },
  { what: "marathon http url with uid and password", config: { ...marathon({ url: "http://dcos.example", uid: "ops" }), marathonPassword: "secret" },
    failures: [fail("dcos-vnet:marathon.url", HTTP_WITH_CREDENTIALS)] },
  { what: "marathon http url with uid alone (its password comes from marathonPassword)", config: marathon({ url: "http://dcos.example", uid: "ops" }),
    failures: [fail("dcos-vnet:marathon.url", HTTP_WITH_CREDENTIALS)] },
  { what: "allowInsecureHttp not a boolean", config: { ...marathon({ url: "http://dcos.example", allowInsecureHttp: "yes" }), marathonToken: "secret" },
    failures: [fail("dcos-vnet:marathon.allowInsecureHttp", 'allowInsecureHttp must be true or false, got "yes"'), fail("dcos-vnet:marathon.url", HTTP_WITH_CREDENTIALS)] },
  { what: "deployment timeout zero", config: marathon({ url: "https://dcos.example", deploymentTimeoutSeconds: 0 }),
    failures: [fail("dcos-vnet:marathon.deploymentTimeoutSeconds", "deploymentTimeoutSeconds must be a positive number")] },
  { what: "deployment timeout longer than a day", config: marathon({ url: "https://dcos.example", deploymentTimeoutSeconds: 86_401 }),
    failures: [fail("dcos-vnet:marathon.deploymentTimeoutSeconds", "deploymentTimeoutSeconds must be at most 86400 (one day), got 86401")] },
  { what: "deployment timeout infinite", config: marathon({ url: "https://dcos.example", deploymentTimeoutSeconds: Infinity }),
    failures: [fail("dcos-vnet:marathon.deploymentTimeoutSeconds", "deploymentTimeoutSeconds must be at most 86400 (one day), got Infinity")] },
  { what: "deployment timeout as words", config: marathon({ url: "https://dcos.example", deploymentTimeoutSeconds: "ten" }),
    failures: [fail("dcos-vnet:marathon.deploymentTimeoutSeconds", "deploymentTimeoutSeconds must be a positive number")] },
];
