// A stack's config (Pulumi.<stack>.yaml, namespace `dcos-vnet:`) parsed and validated as a whole,
// so a wrong value fails `pulumi preview` with the config key and field named
// (`dcos-vnet:networks[1].prefix: …`) before any resource is declared.
import { Failure } from "../core/common/failure";
import { validateOverlaySet } from "../core/overlay/validateOverlaySet";
import { validateNetworkExtras } from "../core/overlay/virtualNetwork";
import { OverlaySpec } from "../core/overlay/types";
import { validateOverlaysAgainstVtep } from "../core/overlay/vtepOverlap";
import { EffectiveVtep, parseStackVtep } from "./stackVtep";
import { DockerHostConfig, SwarmMode, validateDockerHosts } from "./dockerHosts";
import { severalHostsPodsReason } from "../core/local/severalHosts";
import { DEFAULT_HOST_SUBNET, hostSubnetOverlaps, validateAgentNames, validateHostSubnet } from "../core/local/agents";
import { credentialsOverHttp, deploymentTimeoutReason, insecureHttpReason } from "../core/marathon/connection";

export const CONFIG_NAMESPACE = "dcos-vnet";
export const DEFAULT_AGENTS = ["agent-1", "agent-2", "agent-3"];

export interface ClusterConfig {
  /** local: a Docker-backed cluster on this machine; marathon: a real DC/OS cluster. */
  target: "local" | "marathon";
  agents: string[];
  /** How local Docker networks are made: our Engine API provider, or @pulumi/docker's plugin. */
  dockerProvider: "builtin" | "pulumi-docker";
  /** Several Docker hosts (see dockerHosts.ts); absent: the one local engine of DOCKER_HOST. */
  hosts?: Record<string, DockerHostConfig>;
  /** With hosts: whether this project forms the swarm (default) or uses an existing one. */
  swarm?: SwarmMode;
  /** Subnet of the local cluster's host network, where each agent has its own address (default 172.16.0.0/24). */
  hostSubnet: string;
  /** With hosts: the swarm overlays are encrypted (IPsec between the hosts); absent: not (see README "Running on several Docker hosts"). */
  swarmEncrypted?: boolean;
  /** The local cluster runs apps' privileged containers (`container.docker.privileged`); absent: it refuses them (core/local/privileged). */
  allowPrivileged?: boolean;
  /**
   * target marathon: `up` records a change of overlays or VTEP settings that DC/OS applies only by
   * reinstalling (core/overlay/reinstallChanges); absent: it refuses such a change.
   */
  acknowledgeReinstall?: boolean;
}

export interface NetworkConfig extends OverlaySpec {
  /** Agents of this network (default: the cluster's agents). */
  agents?: string[];
  /**
   * The Docker network is another stack's: this stack plans the same allocation and runs apps on
   * it, but neither creates nor deletes it (how two stacks share one virtual network).
   */
  external?: boolean;
  mtu?: number;
  labels?: Record<string, string>;
}

/** One Marathon app of the stack: a JSON file (as users already write them) or inline JSON. */
export interface AppConfig {
  file?: string;
  app?: Record<string, unknown>;
}

/** One Marathon pod of the stack (`/v2/pods` JSON): a file or inline. */
export interface PodConfig {
  file?: string;
  pod?: Record<string, unknown>;
}

/** Where a `target: marathon` stack deploys (credentials are separate secret config keys). */
export interface MarathonTargetConfig {
  /** DC/OS cluster URL (…/service/marathon is appended) or Marathon's own URL. */
  url: string;
  /** DC/OS user for `POST /acs/api/v1/auth/login` (password: secret key dcos-vnet:marathonPassword). */
  uid?: string;
  /** PEM file of the cluster's CA, relative to the project. */
  caBundleFile?: string;
  insecureSkipVerify?: boolean;
  /** Send the token or password to an http:// url (refused otherwise). */
  allowInsecureHttp?: boolean;
  /** Override deployments that hold an app (?force=true). */
  force?: boolean;
  deploymentTimeoutSeconds?: number;
}

export interface StackConfig {
  cluster: ClusterConfig;
  networks: NetworkConfig[];
  apps: AppConfig[];
  pods: PodConfig[];
  marathon?: MarathonTargetConfig;
  /** `dcos-vnet:vtep` with DC/OS's defaults where unset (always set by parseStackConfig): the VTEP subnets the networks stay clear of. */
  vtep?: EffectiveVtep;
  /** `dcos-vnet:adopting`: set by `dcos-vnet adopt` for its own `pulumi up` only (see adoptingFailure). */
  adopting?: boolean;
}

const MARATHON_KEYS = new Set(["url", "uid", "caBundleFile", "insecureSkipVerify", "allowInsecureHttp", "force", "deploymentTimeoutSeconds"]);

const NETWORK_KEYS = new Set(["name", "subnet", "prefix", "subnet6", "prefix6", "enabled", "agents", "mtu", "labels", "external"]);
const CLUSTER_KEYS = new Set(["target", "agents", "dockerProvider", "hostSubnet", "hosts", "swarm", "swarmEncrypted", "allowPrivileged", "acknowledgeReinstall"]);

/**
 * A cluster as written by hand, in code or in a stack's config: what `DcosCluster` takes and what
 * `parseStackConfig` validates and fills in (target local, agents agent-1..3, builtin Docker networks).
 */
export interface ClusterSpec {
  cluster?: Partial<ClusterConfig>;
  networks: NetworkConfig[];
  apps?: AppConfig[];
  pods?: PodConfig[];
  marathon?: MarathonTargetConfig;
  /** DC/OS's VTEP settings (vtep_subnet, …); unset fields take DC/OS's defaults. */
  vtep?: object;
  /**
   * Record each app and pod as Marathon has it, with no write to Marathon (refused, naming the
   * fields, where Marathon's copy differs). `dcos-vnet adopt` sets it for its one `pulumi up`.
   */
  adopting?: boolean;
}

export type ParsedStackConfig = { ok: true; value: StackConfig } | { ok: false; failures: Failure[] };

/**
 * Validates a cluster spec as a whole. Failures are named by config key (`dcos-vnet:networks[1].prefix`)
 * or, with namespace "", by the spec's own path (`networks[1].prefix`), for specs written in code.
 */
export function parseStackConfig(
  // marathonToken, marathonPassword: secret keys, of which only whether they are given is read here.
  raw: { cluster?: unknown; networks?: unknown; apps?: unknown; pods?: unknown; marathon?: unknown; vtep?: unknown; marathonToken?: unknown; marathonPassword?: unknown; adopting?: unknown },
  namespace: string = CONFIG_NAMESPACE,
): ParsedStackConfig {
  const failures: Failure[] = [];
  const key = (k: string) => (namespace ? `${namespace}:${k}` : k);
  const fail = (property: string, reason: string) => failures.push({ property, reason });

  const cluster = (raw.cluster ?? {}) as Record<string, unknown>;
  if (typeof cluster !== "object" || Array.isArray(cluster)) {
    fail(key("cluster"), "cluster must be a map with target, agents and dockerProvider");
  } else {
    for (const k of Object.keys(cluster)) if (!CLUSTER_KEYS.has(k)) fail(`${key("cluster")}.${k}`, `unknown field ${k} (known: ${[...CLUSTER_KEYS].join(", ")})`);
    if (cluster.target !== undefined && cluster.target !== "local" && cluster.target !== "marathon") {
      fail(`${key("cluster")}.target`, `target must be local or marathon, got ${JSON.stringify(cluster.target)}`);
    }
    if (cluster.dockerProvider !== undefined && cluster.dockerProvider !== "builtin" && cluster.dockerProvider !== "pulumi-docker") {
      fail(`${key("cluster")}.dockerProvider`, `dockerProvider must be builtin or pulumi-docker, got ${JSON.stringify(cluster.dockerProvider)}`);
    }
    const agentFailures = validateNetworkExtras({ agents: cluster.agents });
    for (const f of agentFailures) fail(`${key("cluster")}.${f.property}`, f.reason);
    if (cluster.allowPrivileged !== undefined && typeof cluster.allowPrivileged !== "boolean") {
      fail(`${key("cluster")}.allowPrivileged`, `allowPrivileged must be true or false, got ${JSON.stringify(cluster.allowPrivileged)}`);
    }
    const agents = Array.isArray(cluster.agents) ? (cluster.agents as string[]) : DEFAULT_AGENTS;
    // On a local cluster each agent is a container with the agent's name as its hostname.
    if ((cluster.target ?? "local") === "local" && agentFailures.length === 0) {
      for (const f of validateAgentNames(agents)) fail(`${key("cluster")}.${f.property}`, f.reason);
    }
    failures.push(...validateDockerHosts(cluster.hosts, cluster.swarm, agents, String(cluster.target ?? "local"), key("cluster")));
    if (cluster.swarmEncrypted !== undefined && typeof cluster.swarmEncrypted !== "boolean") {
      fail(`${key("cluster")}.swarmEncrypted`, `swarmEncrypted must be true or false, got ${JSON.stringify(cluster.swarmEncrypted)}`);
    } else if (cluster.swarmEncrypted === true && cluster.hosts === undefined) {
      fail(`${key("cluster")}.swarmEncrypted`, `swarmEncrypted encrypts the swarm overlays between several Docker hosts: it needs ${key("cluster")}.hosts (on one engine nothing crosses a network)`);
    }
    if (cluster.acknowledgeReinstall !== undefined && typeof cluster.acknowledgeReinstall !== "boolean") {
      fail(`${key("cluster")}.acknowledgeReinstall`, `acknowledgeReinstall must be true or false, got ${JSON.stringify(cluster.acknowledgeReinstall)}`);
    }
    if (cluster.hosts !== undefined && cluster.dockerProvider === "pulumi-docker") {
      fail(`${key("cluster")}.dockerProvider`, "a cluster of several hosts makes its overlay networks with the builtin provider (dockerProvider: builtin)");
    }
  }

  const networks = raw.networks;
  // A Marathon cluster without overlay networking (adopted: its overlay master answered 404) has none.
  const noOverlays = cluster.target === "marathon" && Array.isArray(networks) && networks.length === 0;
  if (!noOverlays) for (const f of validateOverlaySet(networks, key("networks"))) failures.push(f);
  // No VTEP settings means DC/OS's defaults, which the networks must stay clear of all the same.
  const vtep = parseStackVtep(raw.vtep, key("vtep"));
  failures.push(...vtep.failures, ...validateOverlaysAgainstVtep(networks, vtep.subnets, key("networks")));
  // The agents' host network shares the address plan with the overlays and the VTEP subnets.
  const hostSubnet = typeof cluster === "object" && cluster ? (cluster.hostSubnet ?? DEFAULT_HOST_SUBNET) : DEFAULT_HOST_SUBNET;
  const badHost = validateHostSubnet(hostSubnet);
  if (badHost) fail(`${key("cluster")}.hostSubnet`, badHost);
  else if (((cluster as Record<string, unknown>)?.target ?? "local") === "local") {
    const others = [
      ...(Array.isArray(networks) ? networks : []).flatMap((n: any) => (n && typeof n.subnet === "string" ? [{ name: typeof n.name === "string" ? `'${n.name}'` : "an overlay", subnet: n.subnet }] : [])),
      ...vtep.subnets.map((v) => ({ name: v.source, subnet: v.subnet })),
    ];
    failures.push(...hostSubnetOverlaps(hostSubnet as string, others, `${key("cluster")}.hostSubnet`));
  }
  if (Array.isArray(networks)) {
    networks.forEach((n, i) => {
      if (!n || typeof n !== "object") return; // reported by the overlay rules
      const net = n as Record<string, unknown>;
      const at = `${key("networks")}[${i}]`;
      for (const k of Object.keys(net)) if (!NETWORK_KEYS.has(k)) fail(`${at}.${k}`, `unknown field ${k} (known: ${[...NETWORK_KEYS].join(", ")})`);
      const extra = validateNetworkExtras({ agents: net.agents, mtu: net.mtu, labels: net.labels });
      if (net.external !== undefined && typeof net.external !== "boolean") fail(`${at}.external`, "external must be true/false");
      for (const f of extra) fail(`${at}.${f.property}`, f.reason);
      if ((cluster.target ?? "local") === "local" && net.subnet === undefined && net.subnet6 !== undefined) {
        fail(`${at}.subnet`, "a network on the local Docker cluster needs an IPv4 subnet (Docker networks are IPv4 first)");
      }
    });
  }
  const apps = raw.apps ?? [];
  if (!Array.isArray(apps)) fail(key("apps"), "apps must be a list of {file: path} or {app: {...}}");
  else {
    apps.forEach((a, i) => {
      const at = `${key("apps")}[${i}]`;
      if (!a || typeof a !== "object" || Array.isArray(a)) {
        fail(at, "an app entry must be {file: path} or {app: {...}}");
        return;
      }
      const entry = a as Record<string, unknown>;
      for (const k of Object.keys(entry)) if (k !== "file" && k !== "app") fail(`${at}.${k}`, `unknown field ${k} (known: file, app)`);
      if ((entry.file === undefined) === (entry.app === undefined)) fail(at, "give exactly one of file (a Marathon JSON file) or app (inline JSON)");
      else if (entry.file !== undefined && typeof entry.file !== "string") fail(`${at}.file`, "file must be a path");
      else if (entry.app !== undefined && (typeof entry.app !== "object" || entry.app === null || Array.isArray(entry.app))) fail(`${at}.app`, "app must be a JSON object");
    });
  }
  failures.push(...checkEntries(raw.pods ?? [], key("pods"), "pod"));
  if (cluster.hosts !== undefined && Array.isArray(raw.pods) && raw.pods.length > 0) fail(key("pods"), severalHostsPodsReason());
  const marathon = raw.marathon as Record<string, unknown> | undefined;
  if (cluster.target === "marathon") {
    if (!marathon || typeof marathon !== "object" || Array.isArray(marathon)) {
      fail(key("marathon"), "target marathon needs dcos-vnet:marathon with at least url");
    } else {
      for (const k of Object.keys(marathon)) if (!MARATHON_KEYS.has(k)) fail(`${key("marathon")}.${k}`, `unknown field ${k} (known: ${[...MARATHON_KEYS].join(", ")})`);
      if (typeof marathon.url !== "string" || !/^https?:\/\/[^/]+/.test(marathon.url)) {
        fail(`${key("marathon")}.url`, `url must be the cluster's http(s) URL, got ${JSON.stringify(marathon.url)}`);
      }
      const timeout = marathon.deploymentTimeoutSeconds;
      const timeoutReason = timeout === undefined ? undefined : deploymentTimeoutReason(Number(timeout));
      if (timeoutReason) fail(`${key("marathon")}.deploymentTimeoutSeconds`, timeoutReason);
      if (marathon.allowInsecureHttp !== undefined && typeof marathon.allowInsecureHttp !== "boolean") {
        fail(`${key("marathon")}.allowInsecureHttp`, `allowInsecureHttp must be true or false, got ${JSON.stringify(marathon.allowInsecureHttp)}`);
      }
      const withCredentials = raw.marathonToken !== undefined || raw.marathonPassword !== undefined || marathon.uid !== undefined;
      if (credentialsOverHttp(marathon.url, withCredentials, marathon.allowInsecureHttp)) {
        fail(`${key("marathon")}.url`, insecureHttpReason(`${key("marathon")}.allowInsecureHttp`));
      }
    }
  }
  const adopting = adoptingFailure(raw.adopting, cluster.target, key("adopting"));
  if (adopting) failures.push(adopting);
  if (failures.length > 0) return { ok: false, failures };
  return {
    ok: true,
    value: {
      cluster: {
        target: (cluster.target as ClusterConfig["target"]) ?? "local",
        agents: (cluster.agents as string[]) ?? DEFAULT_AGENTS,
        dockerProvider: (cluster.dockerProvider as ClusterConfig["dockerProvider"]) ?? "builtin",
        hostSubnet: hostSubnet as string,
        ...(cluster.hosts !== undefined ? { hosts: cluster.hosts as Record<string, DockerHostConfig>, swarm: (cluster.swarm as SwarmMode) ?? "form" } : {}),
        ...(cluster.swarmEncrypted !== undefined ? { swarmEncrypted: cluster.swarmEncrypted as boolean } : {}),
        ...(cluster.allowPrivileged !== undefined ? { allowPrivileged: cluster.allowPrivileged as boolean } : {}),
        ...(cluster.acknowledgeReinstall !== undefined ? { acknowledgeReinstall: cluster.acknowledgeReinstall as boolean } : {}),
      },
      networks: networks as NetworkConfig[],
      apps: apps as AppConfig[],
      pods: (raw.pods ?? []) as PodConfig[],
      ...(cluster.target === "marathon" ? { marathon: marathon as unknown as MarathonTargetConfig } : {}),
      vtep: vtep.vtep,
      ...(raw.adopting === true ? { adopting: true } : {}),
    },
  };
}

/** `adopting` is true or false, and only means something where there is a Marathon to adopt from. */
function adoptingFailure(value: unknown, target: unknown, at: string): Failure | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "boolean") return { property: at, reason: `adopting must be true or false, got ${JSON.stringify(value)}` };
  if (value && target !== "marathon") return { property: at, reason: "adopting records what a running DC/OS cluster has: it needs dcos-vnet:cluster.target marathon" };
  return undefined;
}

/** A list of `{file: path}` or `{<kind>: {...}}` entries (pods; apps are checked above with their own wording). */
function checkEntries(value: unknown, at: string, kind: string): Failure[] {
  const failures: Failure[] = [];
  const shape = `{file: path} or {${kind}: {...}}`;
  if (!Array.isArray(value)) return [{ property: at, reason: `${kind}s must be a list of ${shape}` }];
  value.forEach((e, i) => {
    const here = `${at}[${i}]`;
    if (!e || typeof e !== "object" || Array.isArray(e)) return failures.push({ property: here, reason: `a ${kind} entry must be ${shape}` });
    const entry = e as Record<string, unknown>;
    for (const k of Object.keys(entry)) if (k !== "file" && k !== kind) failures.push({ property: `${here}.${k}`, reason: `unknown field ${k} (known: file, ${kind})` });
    if ((entry.file === undefined) === (entry[kind] === undefined)) failures.push({ property: here, reason: `give exactly one of file (a Marathon JSON file) or ${kind} (inline JSON)` });
    else if (entry.file !== undefined && typeof entry.file !== "string") failures.push({ property: `${here}.file`, reason: "file must be a path" });
    else if (entry[kind] !== undefined && (typeof entry[kind] !== "object" || entry[kind] === null || Array.isArray(entry[kind]))) {
      failures.push({ property: `${here}.${kind}`, reason: `${kind} must be a JSON object` });
    }
    return undefined;
  });
  return failures;
}

/** One line per failure, as `pulumi preview` prints them. */
export function formatFailures(failures: Failure[]): string {
  return failures.map((f) => `${f.property}: ${f.reason}`).join("\n");
}
