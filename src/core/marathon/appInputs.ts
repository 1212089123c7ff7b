// A Marathon app declared in code, as the MarathonApp resource's check() sees it: Marathon's rules
// (by JSON path, Marathon's wording), the canonical form, and what running it on the local cluster
// needs — the virtual network it joins must exist in the stack, the constraints must be
// satisfiable by its agents, and each agent's half-block must have room for its instances.
import { Failure, under } from "../common/failure";
import { AgentSubnet } from "../ipam/agentSubnets";
import { parseCidr } from "../ip/cidr";
import { usableCount } from "../ipam/addressPool";
import { AppDefinition, CanonicalApp } from "./types";
import type { PodDefinition } from "./podTypes";
import { validateApp } from "./validateApp";
import { normalizeApp } from "./normalize";
import { appDnsNames } from "./dns";
import { vipNames } from "./vip";
import { assignServicePorts } from "./servicePorts";
import { placeInstances } from "../local/placement";
import { localHealthCheckFailures } from "../local/healthProbe";
import { Half, halfFor, halfRange } from "../local/instanceSpec";
import { Owner } from "../local/dockerNetworkSpec";
import { vipNetworkFailures } from "../local/vipNetwork";
import { stableJson } from "../common/stableJson";
import { HostModeInputs, planHostModeApp } from "../local/hostTask";
import { networkingMode } from "../local/hostPorts";
import { checkLocalImage, pullConfigOf } from "../local/imageChecks";
import { ipVipFailures, vipPortFailures } from "../local/vipPlan";
import { hostVipFailures, hostVipsOf, knownHostSubnet } from "../local/hostVipPlan";
import { severalHostsFailures } from "../local/severalHosts";
import { privilegedFailures } from "../local/privileged";

/** What an app needs to know of a virtual network it may join. */
export interface JoinableNetwork {
  /** Docker network playing the overlay on the local cluster (unused on a DC/OS target). */
  dockerNetwork?: string;
  /**
   * Each agent's block and halves, as the virtual network allocates them (AgentSubnets). A local
   * app's check keeps, of each agent, only the half its instances take addresses from.
   */
  agentSubnets: Record<string, Partial<AgentSubnet>>;
  /** The overlay subnet, when given: check places IP VIPs with it; never kept in the state. */
  subnet?: string;
}

/** Where the app runs: the local Docker cluster, or a real Marathon. */
export type AppTarget = "local" | "marathon";

/**
 * MarathonApp's inputs as its check returns them, which is what the state stores: the definition
 * once, as written. What derives from it (Marathon's canonical form, the DNS names) is recomputed
 * by `resolveApp` wherever the provider needs it, so the state never holds a second copy, and a
 * state written by another version compares by today's rules.
 */
export interface MarathonAppInputs extends Partial<HostModeInputs> {
  /** The definition as the user wrote it (legacy fields included). */
  app: AppDefinition;
  /** The virtual networks the app joins, by name (check keeps only those). */
  networks: Record<string, JoinableNetwork>;
  /**
   * Values of the Marathon secret sources the app references (`secrets.<name>.source`), kept
   * secret in state; absent when it references none (an empty secret is still a ciphertext).
   */
  secretEnv?: Record<string, string>;
  owner: Owner;
  target: AppTarget;
  /** How to reach Marathon (target marathon); opaque to the core, secret in state. */
  connection?: unknown;
  /** A cluster of several Docker hosts: each agent's engine; opaque to the core. */
  engines?: Record<string, unknown>;
  // ---- computed by check ----
  /** The (first) virtual network the app joins; a UCR app may join more, all in `networks`. */
  network: string;
  servicePorts: number[];
}

/** The inputs with what derives from the definition: never stored, see MarathonAppInputs. */
export interface ResolvedApp extends MarathonAppInputs {
  canonical: CanonicalApp;
  /** DNS names the instances answer to on the network. */
  aliases: string[];
  /** A Marathon pod run as this app (podInputs.resolvePod): its containers join each instance. */
  pod?: PodDefinition;
}

/** Where the user named the app's network (the i-th container network), for pointing failures at it. */
function networkPath(app: AppDefinition, i = 0): string {
  if (app.ipAddress?.networkName !== undefined) return "ipAddress.networkName";
  if (app.networks !== undefined) return `networks[${i}].name`;
  return "container.docker.network";
}

/**
 * MarathonApp's check. `news.appFile` (where the definition was read from) names the file in the
 * failures, and `news.allowPrivileged` (the cluster allows privileged containers) lets a local app
 * be privileged; the inputs returned, and so the state, keep neither.
 */
export function checkMarathonApp(
  news: Record<string, any>,
  isUnknown: (v: unknown) => boolean,
): { inputs: MarathonAppInputs; failures: Failure[] } {
  const inputs: MarathonAppInputs = {
    app: news.app,
    networks: news.networks ?? {},
    secretEnv: news.secretEnv ?? {},
    owner: news.owner,
    target: news.target ?? "local",
    ...(news.connection !== undefined ? { connection: news.connection } : {}),
    ...(news.engines !== undefined ? { engines: news.engines } : {}),
    network: "",
    servicePorts: news.servicePorts ?? [],
  };
  if (isUnknown(news.app)) return { inputs, failures: [] };

  const failures = under("app", validateApp(news.app));
  if (failures.length > 0) return { inputs, failures: withFile(failures, news.appFile) };

  const app = news.app as AppDefinition;
  const canonical = normalizeApp(app);
  const fail = (property: string, reason: string) => failures.push({ property: `app.${property}`, reason });

  if (news.target !== undefined && news.target !== "local" && news.target !== "marathon") {
    fail("target", `target must be local or marathon, got ${JSON.stringify(news.target)}`);
  }
  // The local cluster gives each instance its own IP on each container network it joins (UCR apps
  // may join several, as Marathon allows; Docker apps one, which validateApp has checked).
  const containerNets = canonical.networks.flatMap((n) => (n.mode === "container" ? [n.name] : []));
  if (inputs.target === "marathon") return checkOnDcos(inputs, canonical, app, failures, isUnknown(news.networks), news.appFile);
  // On DC/OS its permissions decide; locally, the operator (core/local/privileged).
  failures.push(...under("app", privilegedFailures(canonical, news.allowPrivileged === true || isUnknown(news.allowPrivileged))));
  // Host and bridge networking run on the cluster's agents (core/local/hostTask).
  const mode = networkingMode(canonical);
  if (mode === "container" && (containerNets.length === 0 || containerNets.length !== canonical.networks.length)) {
    const modes = canonical.networks.map((n) => n.mode).join(", ");
    fail("networks", `the local cluster runs an app on container networks (IP-per-container); this app has: ${modes}`);
    return { inputs, failures: withFile(failures, news.appFile) };
  }
  const network = mode === "container" ? containerNets[0] : mode;
  inputs.network = network;
  // An app holds what it uses and nothing more, so its state and its diff do not depend on the
  // rest of the stack (other networks, other apps' secrets).
  if (!isUnknown(news.networks)) inputs.networks = pick(inputs.networks, containerNets);
  if (!isUnknown(news.secretEnv)) {
    const used = pick(inputs.secretEnv ?? {}, secretSources(app));
    if (Object.keys(used).length > 0) inputs.secretEnv = used;
    else delete inputs.secretEnv;
  }

  // Host and bridge apps' VIPs are served on the host network (core/local/hostVipPlan).
  const vipLabels = mode === "container" ? vipNames(canonical.container?.portMappings ?? []) : hostVipsOf(canonical);
  for (const f of vipLabels.failures) failures.push(...under("app", [f]));
  if (mode === "container") failures.push(...under("app", vipPortFailures(canonical)));
  failures.push(...under("app", localHealthCheckFailures(canonical)));
  // Several Docker hosts (unknown at preview still means several): only IP-per-container apps.
  if (news.engines !== undefined) {
    failures.push(...under("app", severalHostsFailures(canonical)));
    if (failures.length > 0) return { inputs, failures: withFile(failures, news.appFile) };
  }

  if (news.servicePorts === undefined) {
    const assigned = assignServicePorts([{ id: canonical.id, portMappings: canonical.container?.portMappings ?? [] }]);
    inputs.servicePorts = assigned.ports[canonical.id] ?? [];
  }

  for (const [key, value] of Object.entries(canonical.env)) {
    if (typeof value === "string") continue;
    const source = app.secrets?.[value.secret]?.source;
    if (source === undefined) fail(`env.${key}`, `secret ${value.secret} is not declared under secrets`);
    else if (!isUnknown(news.secretEnv) && !(source in (inputs.secretEnv ?? {}))) {
      fail(`env.${key}`, `secret source ${source} is not among the stack's secrets (dcos-vnet:secrets)`);
    }
  }

  failures.push(...checkLocalImage(app, inputs.secretEnv ?? {}, isUnknown(news.secretEnv), isUnknown));

  if (mode !== "container") {
    const planned = planHostModeApp(canonical, news, isUnknown);
    failures.push(...planned.failures);
    failures.push(...under("app", hostVipFailures(canonical, knownHostSubnet(news, isUnknown))));
    Object.assign(inputs, { networks: {}, hostNetwork: news.hostNetwork }, planned.plan ?? {});
    return { inputs, failures: withFile(failures, news.appFile) };
  }
  if (isUnknown(news.networks) || containerNets.some((n) => isUnknown(news.networks?.[n]))) return { inputs, failures };
  const known = Object.keys(news.networks ?? {});
  const missing = containerNets.filter((n) => !inputs.networks[n]);
  for (const name of missing) {
    fail(networkPath(app, containerNets.indexOf(name)), `network ${name} is not a virtual network of this stack (known: ${known.join(", ") || "none"})`);
  }
  if (missing.length > 0) return { inputs, failures: withFile(failures, news.appFile) };
  const half = halfFor(canonical);
  // VIPs are served on the app's (first) network.
  failures.push(...under("app", ipVipFailures(canonical, { name: network, ...inputs.networks[network] })));
  failures.push(...under("app", vipNetworkFailures(canonical, network)));
  inputs.networks = Object.fromEntries(containerNets.map((n) => [n, appAllocation(inputs.networks[n], half)]));
  // Instances are placed on the agents that have a block in every network the app joins.
  const agents = Object.keys(inputs.networks[network].agentSubnets ?? {}).filter((a) =>
    containerNets.every((n) => inputs.networks[n].agentSubnets?.[a] !== undefined),
  );
  const placement = placeInstances(agents, canonical.constraints, [], canonical.instances, 0);
  if (!placement.ok) {
    fail("constraints", placement.reason);
  } else {
    const perAgent = new Map<string, number>();
    for (const p of placement.placed) perAgent.set(p.agent, (perAgent.get(p.agent) ?? 0) + 1);
    for (const name of containerNets) {
      for (const [agent, count] of perAgent) {
        const range = halfRange(inputs.networks[name].agentSubnets[agent], half) ?? "";
        const parsed = parseCidr(range);
        const room = parsed.ok ? Number(usableCount(parsed.value)) : 0;
        if (count > room) {
          fail("instances", `No free container addresses in ${agent}'s ${half === "docker" ? "Docker" : "Mesos"} half of the ${name} overlay ${range}: asked for ${count}, ${room} available`);
        }
      }
    }
  }
  return { inputs, failures: withFile(failures, news.appFile) };
}

/**
 * Of a network an app joins, what the local cluster uses: the Docker network, and of each agent's
 * block the half the app's instances take addresses from (the block, the other half and any IPv6
 * ranges stay with the VirtualNetwork). So an app's state grows by one CIDR per agent.
 */
export function appAllocation(joined: JoinableNetwork, half: Half): JoinableNetwork {
  const agentSubnets = Object.fromEntries(
    Object.entries(joined.agentSubnets ?? {}).map(([agent, subnet]) => [agent, { [half]: halfRange(subnet, half) }]),
  );
  return { ...(joined.dockerNetwork !== undefined ? { dockerNetwork: joined.dockerNetwork } : {}), agentSubnets };
}

/**
 * On a real DC/OS cluster Marathon places and addresses the instances; what can still be checked
 * here is that each container network the app joins is a virtual network of this stack.
 */
function checkOnDcos(
  inputs: MarathonAppInputs,
  canonical: CanonicalApp,
  app: AppDefinition,
  failures: Failure[],
  networksUnknown: boolean,
  appFile: string | undefined,
): { inputs: MarathonAppInputs; failures: Failure[] } {
  const joined = canonical.networks.flatMap((n) => (n.mode === "container" ? [n.name] : []));
  inputs.network = joined[0] ?? "";
  if (!networksUnknown) {
    const known = Object.keys(inputs.networks);
    inputs.networks = pick(inputs.networks, joined);
    for (const name of joined) {
      if (!known.includes(name)) {
        failures.push({ property: `app.${networkPath(app)}`, reason: `network ${name} is not a virtual network of this stack (known: ${known.join(", ") || "none"})` });
      }
    }
  }
  return { inputs, failures: withFile(failures, appFile) };
}

/** Failures of a definition read from a file say which file. */
function withFile(failures: Failure[], file: string | undefined): Failure[] {
  return file ? failures.map((f) => ({ ...f, reason: `${f.reason} (in ${file})` })) : failures;
}

/**
 * The definition's derived parts, recomputed from `app` (a checked definition). Old states that
 * also stored `canonical` and `aliases` are resolved the same way, so they compare by today's rules.
 */
export function resolveApp<T extends Pick<MarathonAppInputs, "app" | "target">>(inputs: T): T & Pick<ResolvedApp, "canonical" | "aliases"> {
  const canonical = normalizeApp(inputs.app);
  const target = inputs.target ?? "local"; // absent in a local app's state: the default is not stored
  return { ...inputs, target, canonical, aliases: aliasesOf(canonical, target) };
}

/**
 * DNS names of the app's instances: DC/OS's names for its id. (VIP names are not theirs: on the
 * local cluster they belong to the VIP's proxy, see core/local/vipPlan.ts.)
 */
function aliasesOf(canonical: CanonicalApp, _target: AppTarget): string[] {
  return appDnsNames(canonical.id);
}

/** Fields whose change makes it another app (Marathon: a new app id; here also another network). */
export function replaceReasons(olds: Record<string, any>, news: ResolvedApp): string[] {
  const out: string[] = [];
  if (olds.app !== undefined && normalizeApp(olds.app).id !== news.canonical.id) out.push("app.id");
  if (olds.network !== news.network) out.push("network");
  if (stableJson(olds.owner) !== stableJson(news.owner)) out.push("owner");
  if ((olds.target ?? "local") !== news.target) out.push("target");
  return out;
}

/** The definition without its instance count: what a rolling restart is about. */
export function definitionOf(inputs: Pick<ResolvedApp, "app" | "canonical" | "secretEnv" | "aliases">): string {
  const { instances: _ignored, ...rest } = inputs.canonical;
  // Only the secrets the app references: a state written when apps held every stack secret
  // compares equal to the same app holding its own.
  const secretEnv = pick(inputs.secretEnv ?? {}, secretSources(inputs.app ?? {}));
  return stableJson({ app: rest, secretEnv, aliases: inputs.aliases });
}

/**
 * The secret sources an app references: its env (`env.X: {secret: name}` → `secrets.name.source`)
 * and its image's pull config (`container.docker.pullConfig.secret`).
 */
export function secretSources(app: AppDefinition): string[] {
  const sources = new Set<string>();
  const pull = pullConfigOf(app);
  if (pull) sources.add(pull.source);
  for (const value of Object.values(app.env ?? {})) {
    if (value && typeof value === "object" && typeof value.secret === "string") {
      const source = app.secrets?.[value.secret]?.source;
      if (typeof source === "string") sources.add(source);
    }
  }
  return [...sources].sort();
}

function pick<T>(values: Record<string, T>, keys: string[]): Record<string, T> {
  return Object.fromEntries(keys.filter((k) => k in values).map((k) => [k, values[k]]));
}
