// A Marathon app declared in code, as the MarathonApp resource's check() sees it: Marathon's rules
// (by JSON path, Marathon's wording), the canonical form, and what running it on the local cluster
// needs — the virtual network it joins must exist in the stack, the constraints must be
// satisfiable by its agents, and each agent's half-block must have room for its instances.
import { Failure, under } from "../common/failure";
import { AgentSubnet } from "../ipam/agentSubnets";
import { parseCidr } from "../ip/cidr";
import { usableCount } from "../ipam/addressPool";
import { AppDefinition, CanonicalApp } from "./types";
import { validateApp } from "./validateApp";
import { normalizeApp } from "./normalize";
import { appDnsNames } from "./dns";
import { vipNames } from "./vip";
import { assignServicePorts } from "./servicePorts";
import { placeInstances } from "../local/placement";
import { Half, halfFor, halfRange } from "../local/instanceSpec";
import { Owner } from "../local/dockerNetworkSpec";
import { stableJson } from "../common/stableJson";

/** What an app needs to know of a virtual network it may join. */
export interface JoinableNetwork {
  /** Docker network playing the overlay on the local cluster (unused on a DC/OS target). */
  dockerNetwork?: string;
  /**
   * Each agent's block and halves, as the virtual network allocates them (AgentSubnets). A local
   * app's check keeps, of each agent, only the half its instances take addresses from.
   */
  agentSubnets: Record<string, Partial<AgentSubnet>>;
}

/** Where the app runs: the local Docker cluster, or a real Marathon. */
export type AppTarget = "local" | "marathon";

/**
 * MarathonApp's inputs as its check returns them, which is what the state stores: the definition
 * once, as written. What derives from it (Marathon's canonical form, the DNS names) is recomputed
 * by `resolveApp` wherever the provider needs it, so the state never holds a second copy, and a
 * state written by another version compares by today's rules.
 */
export interface MarathonAppInputs {
  /** The definition as the user wrote it (legacy fields included). */
  app: AppDefinition;
  /** The virtual networks the app joins, by name (check keeps only those). */
  networks: Record<string, JoinableNetwork>;
  /** Values of the Marathon secret sources the app references (`secrets.<name>.source`), kept secret in state. */
  secretEnv: Record<string, string>;
  owner: Owner;
  target: AppTarget;
  /** How to reach Marathon (target marathon); opaque to the core, secret in state. */
  connection?: unknown;
  /** A cluster of several Docker hosts: each agent's engine; opaque to the core. */
  engines?: Record<string, unknown>;
  // ---- computed by check ----
  /** The virtual network the app joins. */
  network: string;
  servicePorts: number[];
}

/** The inputs with what derives from the definition: never stored, see MarathonAppInputs. */
export interface ResolvedApp extends MarathonAppInputs {
  canonical: CanonicalApp;
  /** DNS names the instances answer to on the network. */
  aliases: string[];
}

/** Where the user named the app's network, for pointing failures at it. */
function networkPath(app: AppDefinition): string {
  if (app.ipAddress?.networkName !== undefined) return "ipAddress.networkName";
  if (app.networks !== undefined) return "networks[0].name";
  return "container.docker.network";
}

/**
 * MarathonApp's check. `news.appFile` (where the definition was read from) names the file in the
 * failures; the inputs returned, and so the state, do not keep it.
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
  // The local cluster gives each instance its own IP on one container network.
  const containerNets = canonical.networks.filter((n) => n.mode === "container");
  if (inputs.target === "marathon") return checkOnDcos(inputs, canonical, app, failures, isUnknown(news.networks), news.appFile);
  if (containerNets.length !== 1 || canonical.networks.length !== 1) {
    const modes = canonical.networks.map((n) => n.mode).join(", ");
    fail("networks", `the local cluster runs an app on exactly one container network (IP-per-container); this app has: ${modes}`);
    return { inputs, failures: withFile(failures, news.appFile) };
  }
  const network = (containerNets[0] as { name: string }).name;
  inputs.network = network;
  // An app holds what it uses and nothing more, so its state and its diff do not depend on the
  // rest of the stack (other networks, other apps' secrets).
  if (!isUnknown(news.networks)) inputs.networks = pick(inputs.networks, [network]);
  if (!isUnknown(news.secretEnv)) inputs.secretEnv = pick(inputs.secretEnv, secretSources(app));

  for (const f of vipNames(canonical.container?.portMappings ?? []).failures) failures.push(...under("app", [f]));

  if (news.servicePorts === undefined) {
    const assigned = assignServicePorts([{ id: canonical.id, portMappings: canonical.container?.portMappings ?? [] }]);
    inputs.servicePorts = assigned.ports[canonical.id] ?? [];
  }

  for (const [key, value] of Object.entries(canonical.env)) {
    if (typeof value === "string") continue;
    const source = app.secrets?.[value.secret]?.source;
    if (source === undefined) fail(`env.${key}`, `secret ${value.secret} is not declared under secrets`);
    else if (!isUnknown(news.secretEnv) && !(source in inputs.secretEnv)) {
      fail(`env.${key}`, `secret source ${source} is not among the stack's secrets (dcos-vnet:secrets)`);
    }
  }

  if (isUnknown(news.networks) || isUnknown(news.networks?.[network])) return { inputs, failures };
  const joined = inputs.networks[network];
  if (!joined) {
    const known = Object.keys(news.networks ?? {});
    fail(networkPath(app), `network ${network} is not a virtual network of this stack (known: ${known.join(", ") || "none"})`);
    return { inputs, failures: withFile(failures, news.appFile) };
  }
  const half = halfFor(canonical);
  inputs.networks = { [network]: appAllocation(joined, half) };
  const agents = Object.keys(joined.agentSubnets ?? {});
  const placement = placeInstances(agents, canonical.constraints, [], canonical.instances, 0);
  if (!placement.ok) {
    fail("constraints", placement.reason);
  } else {
    const perAgent = new Map<string, number>();
    for (const p of placement.placed) perAgent.set(p.agent, (perAgent.get(p.agent) ?? 0) + 1);
    for (const [agent, count] of perAgent) {
      const range = halfRange(joined.agentSubnets[agent], half) ?? "";
      const parsed = parseCidr(range);
      const room = parsed.ok ? Number(usableCount(parsed.value)) : 0;
      if (count > room) {
        fail("instances", `No free container addresses in ${agent}'s ${half === "docker" ? "Docker" : "Mesos"} half of the ${network} overlay ${range}: asked for ${count}, ${room} available`);
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
  return { ...inputs, canonical, aliases: aliasesOf(canonical, inputs.target ?? "local") };
}

/** DNS names of the app's instances: DC/OS's names for its id, plus its VIP hostnames on the local cluster. */
function aliasesOf(canonical: CanonicalApp, target: AppTarget): string[] {
  if (target === "marathon") return appDnsNames(canonical.id);
  const vips = vipNames(canonical.container?.portMappings ?? []).vips;
  return [...appDnsNames(canonical.id), ...vips.flatMap((v) => (v.hostname ? [v.hostname] : []))];
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

/** The secret sources an app's env references (`env.X: {secret: name}` → `secrets.name.source`). */
export function secretSources(app: AppDefinition): string[] {
  const sources = new Set<string>();
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
