// MarathonApp on the local Docker cluster: diff/create/read/update/delete over the Docker backend.
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import {
  MarathonAppInputs, ResolvedApp, appAllocation, definitionOf, replaceReasons, resolveApp,
} from "../../core/marathon/appInputs";
import { halfFor } from "../../core/local/instanceSpec";
import { planVipProxies } from "../../core/local/vipPlan";
import { planHostVipProxies } from "../../core/local/hostVipPlan";
import { stableJson } from "../../core/common/stableJson";
import type { AppState } from "../../core/local/instance";
import { enginesChanged, providerChanged } from "./diffKeys";
import { isUnknown } from "./unknown";

/**
 * What the state keeps after a create or update: the definition once, as written (Marathon's
 * canonical form is recomputed from `app`); of the network it joins, the Docker network's name and
 * a digest of the allocation (the allocation itself is the VirtualNetwork's, and in the inputs);
 * no secretEnv when the app references no secret (an empty secret is still a ciphertext); the
 * declared outputs and the instances. States written before this shape (with `canonical` and the
 * whole `networks`) are read the same way.
 */
type Outputs = Omit<MarathonAppInputs, "networks"> & AppState & {
  appId: string;
  aliases: string[];
  dockerNetwork?: string;
  /** An app on several networks: each one's Docker network, by virtual network name (absent for one network). */
  dockerNetworks?: Record<string, string>;
  allocation?: string;
  /** In states written before `dockerNetwork` and `allocation`. */
  networks?: MarathonAppInputs["networks"];
};

/**
 * The part of the joined network's allocation the app uses (its Docker network, its half of each
 * agent's block), as a short digest: what diff compares. Old states held the whole allocation;
 * it digests to the same value.
 */
export function allocationDigest(app: ResolvedApp): string {
  const usedOf = (network: string) => {
    const joined = app.networks?.[network];
    // Not known yet (a network being created or changed, in a preview): digests apart from any state.
    return joined && !isUnknown(joined) ? appAllocation(joined, halfFor(app.canonical)) : joined ?? null;
  };
  const nets = containerNetworks(app);
  // One network digests as it always did; several, as the map of them.
  const used = nets.length > 1 ? Object.fromEntries(nets.map((n) => [n, usedOf(n)])) : usedOf(app.network);
  return createHash("sha256").update(stableJson(used)).digest("hex").slice(0, 16);
}

/** The container networks of the app, its first (`network`) first. */
function containerNetworks(app: ResolvedApp): string[] {
  const names = app.canonical.networks.flatMap((n) => (n.mode === "container" ? [n.name] : []));
  return [app.network, ...names.filter((n) => n !== app.network)];
}

function outputs(app: ResolvedApp, state: AppState): Outputs {
  // Neither the derived parts nor the default target are stored (see MarathonApp's check).
  const { canonical, aliases, secretEnv, networks, target: _local, ...inputs } = app;
  return {
    ...inputs,
    ...(Object.keys(secretEnv ?? {}).length > 0 ? { secretEnv } : {}),
    // Host- and bridge-mode apps join no virtual network (their host network is under hostNetwork).
    ...(networks[app.network]?.dockerNetwork !== undefined ? { dockerNetwork: networks[app.network].dockerNetwork } : {}),
    ...(containerNetworks(app).length > 1
      ? { dockerNetworks: Object.fromEntries(containerNetworks(app).map((n) => [n, networks[n]?.dockerNetwork ?? ""])) }
      : {}),
    allocation: allocationDigest(app),
    ...state,
    appId: canonical.id,
    aliases,
  } as Outputs;
}

/** The app as the backend reads it back from the state: its Docker network under `networks`, as in the inputs. */
function onEngine(o: Outputs): ResolvedApp {
  const networks = o.networks ?? {
    [o.network]: { dockerNetwork: o.dockerNetwork, agentSubnets: {} },
    ...Object.fromEntries(Object.entries(o.dockerNetworks ?? {}).map(([n, d]) => [n, { dockerNetwork: d, agentSubnets: {} }])),
  };
  return resolveApp({ ...o, networks, secretEnv: o.secretEnv ?? {} });
}

/** Host- and bridge-mode apps: another agent or port for an instance, or an agent at another address. */
export function hostPlacementChanged(previous: Pick<Outputs, "hostPlan" | "hostNetwork">, next: ResolvedApp): boolean {
  if (previous.hostPlan === undefined && next.hostPlan === undefined) return false;
  return stableJson(previous.hostPlan) !== stableJson(next.hostPlan) || stableJson(previous.hostNetwork) !== stableJson(next.hostNetwork);
}

/** What of an app's or a pod's state tells whether it predates VIP proxies. */
type PredatingState = Pick<Outputs, "hostPlan" | "vips" | "instances">;

/**
 * A state written before VIPs had proxies of their own: its instances carry the VIP names as
 * aliases, so they are rolled once (an update, never a replace) and the names move to the proxies.
 */
export function vipsPredateProxies(previous: PredatingState, next: ResolvedApp): boolean {
  // Host- and bridge-mode apps have no VIP proxies (their ports are on the agents).
  if (previous.hostPlan !== undefined || next.hostPlan !== undefined) return false;
  return previous.vips === undefined && (previous.instances ?? []).length > 0 && planVipProxies(next.canonical, next.owner.stack).length > 0;
}

/** A host or bridge app's (or pod's on the agents) state written before their VIPs had proxies: an update (instances kept) makes them. */
export function hostVipsPredateProxies(previous: PredatingState, next: ResolvedApp): boolean {
  return next.hostPlan !== undefined && previous.vips === undefined && (previous.instances ?? []).length > 0 &&
    planHostVipProxies(next.canonical, next.owner.stack).length > 0;
}

// The Docker backend (and dockerode with it) is loaded on the first call that needs the engine:
// a preview, which only checks and diffs, never pays for it.
const backend = () => require("../../backends/docker/localApp") as typeof import("../../backends/docker/localApp");

export const localTarget: Required<Pick<pulumi.dynamic.ResourceProvider, "diff" | "create" | "read" | "update" | "delete">> = {
  // From the state and the inputs alone, so a preview is the same on every machine. Instances
  // that died, moved or were removed behind our back, and stray containers, are found by read
  // (refresh): the state then shows them, and this diff turns them into an update that heals.
  async diff(_id, olds, news) {
    const next = resolveApp(news as MarathonAppInputs);
    const previous = olds as Outputs;
    const before = onEngine(previous);
    const replaces = replaceReasons(olds, next);
    const drifted =
      (previous.instances ?? []).some((i) => i.state !== "running") ||
      (previous.strays ?? []).length > 0 ||
      (previous.vips ?? []).some((v) => v.state !== "running") ||
      vipsPredateProxies(previous, next) ||
      hostVipsPredateProxies(previous, next);
    const changed =
      definitionOf(before) !== definitionOf(next) ||
      before.canonical.instances !== next.canonical.instances ||
      stableJson(previous.servicePorts) !== stableJson(next.servicePorts) ||
      (previous.allocation ?? allocationDigest(before)) !== allocationDigest(next) ||
      providerChanged(olds, news) ||
      hostPlacementChanged(previous, next) ||
      enginesChanged(olds, news, "engines"); // an update with nothing to restart
    // Same app id, same container names: the old instances must go first.
    return { changes: replaces.length > 0 || drifted || changed, replaces, deleteBeforeReplace: replaces.length > 0 };
  },

  async create(inputs) {
    const app = resolveApp(inputs as MarathonAppInputs);
    return { id: app.canonical.id, outs: outputs(app, await backend().createApp(app)) };
  },

  // Refresh: each instance as the engine has it now (stopped, missing, or on another address).
  async read(id, props) {
    const old = props as Outputs;
    const app = onEngine(old);
    const seen = await backend().observe(app, old.instances ?? []);
    // A state without vips predates VIP proxies: update (vipsPredateProxies) makes them.
    const vips = old.vips === undefined ? undefined : await backend().observeVips(app);
    const { strays: _previous, vips: _vips, ...rest } = old;
    return {
      id,
      props: { ...rest, instances: seen.instances, ...(seen.strays.length > 0 ? { strays: seen.strays } : {}), ...(vips?.length ? { vips } : {}) },
    };
  },

  async update(_id, olds, news) {
    const previous = olds as Outputs;
    const next = resolveApp(news as MarathonAppInputs);
    const definitionChanged = definitionOf(onEngine(previous)) !== definitionOf(next) || vipsPredateProxies(previous, next);
    const state = await backend().updateApp(next, previous, definitionChanged);
    return { outs: outputs(next, state) };
  },

  async delete(_id, props) {
    const old = props as Outputs;
    await backend().deleteApp(onEngine(old), old);
  },
};
