// What the local cluster reports of an app's instances: part of MarathonApp's outputs (public).
import { Half } from "./instanceSpec";
import type { VipProxyState } from "./vipPlan";

export interface Instance {
  index: number;
  agent: string;
  /** Address on the app's first network. */
  ip: string;
  /** An app on several networks: the address on each, by virtual network name. */
  ips?: Record<string, string>;
  container: string;
  containerId: string;
  half: Half;
  /**
   * As last seen: running; stopped (exited, killed); missing (removed); or moved (running, but
   * someone re-attached it at another address, seen in `observedIp`); unhealthy (running, but
   * failing the app's health check, as Docker's HEALTHCHECK says).
   */
  state: "running" | "stopped" | "missing" | "moved" | "unhealthy";
  observedIp?: string;
  /** Host- and bridge-mode instances: the host ports they hold on their agent (`ip` is the agent's address). */
  ports?: number[];
  /** Bridge-mode instances: the task container's own address on the host network, behind the agent's ports. */
  taskIp?: string;
}

export interface AppState {
  instances: Instance[];
  /** Containers carrying this app's labels that are no instance of it (started by hand): removed by the next update. */
  strays?: string[];
  /** Next instance number: numbers are never reused, so container names stay unique. */
  nextIndex: number;
  /** The proxies serving the app's VIPs (absent when it declares none). */
  vips?: VipProxyState[];
}

/**
 * Whether the running instances are other containers than before (a roll, a heal, a scale), told
 * by container id, not address: a roll can give new instances the old addresses. VIP proxies wait
 * for the new ones when so.
 */
export function runningInstancesChanged(previous: AppState | undefined, next: AppState): boolean {
  const ids = (s?: AppState) => (s?.instances ?? []).filter((i) => i.state === "running").map((i) => i.containerId).sort().join();
  return ids(previous) !== ids(next);
}
