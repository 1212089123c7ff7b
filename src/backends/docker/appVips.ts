// Which VIP proxies serve an app's (or a pod's) VIPs, on which network, by how it is networked:
// - on a container network (its first one: vipProxy.ts): a container-network app or pod, including
//   a pod whose endpoints also have hostPorts (a published pod, run on the agents by hostTasks).
//   Its holders keep their addresses and DNS name on the overlay, so its VIPs balance over
//   containerIP:containerPort as the same pod's without hostPorts do (core/local/podVips); the
//   hostPorts are only published at the agents besides;
// - on the cluster's host network (hostVipProxy.ts): host- and bridge-mode apps and host-mode pods,
//   whose tasks are reached at agent-ip:hostPort.
import { ResolvedApp } from "../../core/marathon/appInputs";
import { AppState, runningInstancesChanged } from "../../core/local/instance";
import { networkingMode } from "../../core/local/hostPorts";
import { planVipProxies } from "../../core/local/vipPlan";
import { ensureVipProxies, observeVipProxies } from "./vipProxy";
import { hasHostVips, observeHostVipProxies, withHostVips } from "./hostVipProxy";

/** Whether the app's VIPs are served on its container network (else on the host network). */
function onOverlay(inputs: ResolvedApp): boolean {
  return networkingMode(inputs.canonical) === "container";
}

/** The Docker network of the app's first container network, where its overlay VIP proxies run. */
function overlayOf(inputs: ResolvedApp): string {
  const name = inputs.networks[inputs.network]?.dockerNetwork;
  if (!name) throw new Error(`virtual network ${inputs.network} has no Docker network on this local cluster`);
  return name;
}

/**
 * Whether the app has VIP proxies to run or to remove. Apps without VIPs (most of a large stack)
 * skip the proxies' list call, so creating or deleting them costs the engine no more than before.
 */
export function hasVips(inputs: ResolvedApp, previous?: AppState): boolean {
  if (!onOverlay(inputs)) return hasHostVips(inputs, previous);
  return planVipProxies(inputs.canonical, inputs.owner.stack).length > 0 || (previous?.vips?.length ?? 0) > 0;
}

/** The state with the app's VIP proxies brought in line with its instances (and `vips` set). */
export async function withVips(inputs: ResolvedApp, state: AppState, previous?: AppState): Promise<AppState> {
  if (!onOverlay(inputs)) return withHostVips(inputs, state, previous);
  if (!hasVips(inputs, previous)) return state;
  // Overlay proxies follow the instances through DNS; `up` waits until they serve the running ones.
  const running = state.instances.filter((i) => i.state === "running").map((i) => i.ip);
  const vips = await ensureVipProxies(inputs, overlayOf(inputs), running, runningInstancesChanged(previous, state));
  return { ...state, ...(vips.length > 0 ? { vips } : {}) };
}

/** The app's VIP proxies as the engine has them now (refresh). */
export function observeVips(inputs: ResolvedApp) {
  return onOverlay(inputs) ? observeVipProxies(inputs, overlayOf(inputs)) : observeHostVipProxies(inputs);
}
