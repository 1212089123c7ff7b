// The routes between a local cluster's host network and its overlays (src/core/local/agentRoutes.ts),
// written into our DCOS-VNET chain, jumped to from the engine's DOCKER-USER chain. iptables runs in a short-lived container of the
// agent image (the host's iptables, the nf_tables variant that Debian's dockerd uses) in the
// engine's own network namespace (`--network host` on that engine), so this works whatever
// DOCKER_HOST points at, without assuming the provider runs on the engine's machine.
import { AGENT_IMAGE } from "../../core/local/agents";
import { Owner, ownerLabels } from "../../core/local/dockerNetworkSpec";
import {
  LIST_SCRIPT,
  OverlayBridge,
  RouteState,
  RouteRule,
  applyScript,
  bridgeOf,
  desiredRules,
  dockerIsolates,
  planIsEmpty,
  planRoutes,
  presentStates,
  routeStates,
} from "../../core/local/agentRoutes";
import { docker, engineCall, statusOf } from "./client";
import { inspectNetwork } from "./networks";

/** Label of the short-lived iptables containers (with the owner's labels, so one left by a killed provider is told apart and found with `docker ps -a --filter label=io.dcos-vnet.agent-routes`). */
export const ROUTES_HELPER_LABEL = "io.dcos-vnet.agent-routes";

export interface RoutesSpec {
  /** The host network's Docker network. */
  hostNetwork: string;
  /** The stack's overlays' Docker networks. */
  overlays: string[];
  owner: Owner;
}

/** Runs a script with the engine's iptables; its output, or an error naming the script and what it said. */
async function inEngineNetns(script: string, owner: Owner): Promise<string> {
  let container;
  try {
    container = await engineCall("create the iptables container", () =>
      docker().createContainer({
        Image: AGENT_IMAGE,
        Cmd: ["/bin/sh", "-c", script],
        Labels: { ...ownerLabels(owner), [ROUTES_HELPER_LABEL]: "iptables" },
        HostConfig: { NetworkMode: "host", CapAdd: ["NET_ADMIN", "NET_RAW"] },
      }),
    );
  } catch (err) {
    if (statusOf(err) === 404 && /no such image/i.test(String((err as Error).message))) {
      throw new Error(`routes between agents and overlays: image ${AGENT_IMAGE} is not on the Docker engine; build it with \`npm run setup\` (scripts/agentImage.sh)`);
    }
    throw err;
  }
  try {
    await engineCall("start the iptables container", () => container.start());
    const { StatusCode } = await engineCall("wait for the iptables container", () => container.wait());
    const raw = await engineCall("read the iptables container's output", () => container.logs({ stdout: true, stderr: true, follow: false }));
    const output = demux(raw as unknown as Buffer);
    if (StatusCode !== 0) throw new Error(`routes between agents and overlays: iptables in the engine's network namespace failed (exit ${StatusCode}): ${output.trim()}\nscript:\n${script}`);
    return output;
  } finally {
    await engineCall("remove the iptables container", () => container.remove({ force: true })).catch(() => undefined);
  }
}

/** A non-TTY container's log stream: 8-byte frame headers before each chunk. */
function demux(raw: Buffer): string {
  const chunks: Buffer[] = [];
  let at = 0;
  while (at + 8 <= raw.length) {
    const size = raw.readUInt32BE(at + 4);
    chunks.push(raw.subarray(at + 8, at + 8 + size));
    at += 8 + size;
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Each overlay's bridge as the engine has it now (overlays whose network is gone are left out). */
async function bridges(spec: RoutesSpec): Promise<{ host?: string; overlays: OverlayBridge[] }> {
  const host = await inspectNetwork(spec.hostNetwork);
  const overlays: OverlayBridge[] = [];
  for (const network of spec.overlays) {
    const seen = await inspectNetwork(network);
    if (seen) overlays.push({ network, bridge: bridgeOf(seen) });
  }
  return { host: host ? bridgeOf(host) : undefined, overlays };
}

async function desired(spec: RoutesSpec): Promise<RouteRule[]> {
  const { host, overlays } = await bridges(spec);
  return host ? desiredRules(spec.owner, host, overlays) : [];
}

/** Every overlay missing from the states (its network, or the host network, is gone) counts as "missing". */
function withMissing(spec: RoutesSpec, states: Record<string, RouteState>): Record<string, RouteState> {
  return Object.fromEntries(spec.overlays.map((n) => [n, states[n] ?? "missing"]));
}

/**
 * Applies the plan from a listing (read now when not given): this stack's wanted rules in our
 * chain, the ones of overlays that left and its rules in DOCKER-USER from before the chain gone.
 * The script stops at the first failure (set -e), so once it ran every wanted rule is in: no
 * second listing to find that out. When it fails, one more pass from a new listing: another
 * stack's destroy may have dropped the shared chain, emptied, between the listing and the script.
 */
async function applyPlanned(owner: Owner, rules: RouteRule[], listing?: string, attempt = 1): Promise<void> {
  const plan = planRoutes(listing ?? (await inEngineNetns(LIST_SCRIPT, owner)), owner, rules);
  if (planIsEmpty(plan)) return;
  try {
    await inEngineNetns(applyScript(plan), owner);
  } catch (err) {
    if (attempt >= 2) throw err;
    await applyPlanned(owner, rules, undefined, attempt + 1);
  }
}

/** Brings this stack's rules to the wanted ones (removing the ones of overlays that left). */
export async function reconcileRoutes(spec: RoutesSpec): Promise<Record<string, RouteState>> {
  const rules = await desired(spec);
  const listing = await inEngineNetns(LIST_SCRIPT, spec.owner);
  if (!dockerIsolates(listing)) return withMissing(spec, routeStates(listing, spec.owner, rules));
  await applyPlanned(spec.owner, rules, listing);
  return withMissing(spec, presentStates(spec.owner, rules));
}

/** What refresh sees: each overlay's rules present or missing (missing is drift: the next up restores them). */
export async function observeRoutes(spec: RoutesSpec): Promise<Record<string, RouteState>> {
  if (spec.overlays.length === 0) return {}; // nothing to look for (update removed the rules of overlays that left)
  return withMissing(spec, routeStates(await inEngineNetns(LIST_SCRIPT, spec.owner), spec.owner, await desired(spec)));
}

/** Removes every rule of this stack (none is fine), and our chain and its jump when no stack's rule is left in it. */
export async function removeRoutes(owner: Owner): Promise<void> {
  await applyPlanned(owner, []);
}
