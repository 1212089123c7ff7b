// A MarathonPod on a real DC/OS cluster, through Marathon's /v2/pods: the definition goes as
// written, every change waits for its deployment (as apps do, deployer.ts), and what Marathon
// reports back is reduced to the declared fields, so a pod scaled by hand shows as drift while
// Marathon's own bookkeeping (version, defaults it fills in) does not.
import type { MarathonConnection } from "../../core/marathon/connection";
import { PodDefinition } from "../../core/marathon/podTypes";
import { absoluteAppId } from "../../core/marathon/appId";
import { client, deleteAfterOthers, settle } from "./deployer";
import { withoutNulls } from "../../core/marathon/marathonAnswer";

/** The declared fields Marathon's copy of a pod is compared on. */
export interface ObservedPod {
  instances: number;
  containers: { name: string; exec?: unknown; image?: string; cpus: number; mem: number }[];
  networks: { mode: string; name?: string }[];
}

export function observedPodOf(pod: PodDefinition): ObservedPod {
  return {
    instances: pod.scaling?.instances ?? 1,
    containers: (pod.containers ?? []).map((c) => ({
      name: c.name,
      ...(c.exec !== undefined ? { exec: c.exec } : {}),
      ...(c.image?.id !== undefined ? { image: c.image.id } : {}),
      cpus: c.resources?.cpus,
      mem: c.resources?.mem,
    })),
    networks: (pod.networks ?? [{ mode: "host" }]).map((n) => ({ mode: n.mode ?? "container", ...(n.name !== undefined ? { name: n.name } : {}) })),
  };
}

export interface DeployedPod {
  observed: ObservedPod;
  version?: string;
  deploymentId?: string;
}

const body = (pod: PodDefinition) => pod as unknown as Record<string, unknown>;

/** Marathon's copy of a pod, reduced to the declared fields (adopt compares its files on exactly this). */
export function observedPodOfMarathon(pod: Record<string, unknown>): ObservedPod {
  return observedPodOf(withoutNulls(pod) as PodDefinition);
}

export async function createPod(conn: MarathonConnection, pod: PodDefinition, log: (msg: string) => void): Promise<DeployedPod> {
  const api = client(conn, log);
  try {
    const { deploymentId } = await api.createPod(body(pod));
    await settle(api, conn, deploymentId);
    const seen = await api.getPod(absoluteAppId(pod.id));
    return { observed: observedPodOf(withoutNulls(seen ?? pod) as PodDefinition), version: seen?.version as string | undefined, deploymentId };
  } finally {
    api.close();
  }
}

export async function updatePod(conn: MarathonConnection, pod: PodDefinition, log: (msg: string) => void): Promise<DeployedPod> {
  const api = client(conn, log);
  try {
    const { deploymentId, version } = await api.updatePod(absoluteAppId(pod.id), body(pod), { force: conn.force });
    await settle(api, conn, deploymentId);
    return { observed: observedPodOf(pod), version, deploymentId };
  } finally {
    api.close();
  }
}

/** Marathon's copy, reduced to the declared fields; undefined when Marathon has no such pod. */
export async function readPod(conn: MarathonConnection, id: string, log: (msg: string) => void): Promise<DeployedPod | undefined> {
  const api = client(conn, log);
  try {
    const seen = await api.getPod(id);
    return seen ? { observed: observedPodOfMarathon(seen), version: seen.version as string | undefined } : undefined;
  } finally {
    api.close();
  }
}

export async function deletePod(conn: MarathonConnection, id: string, log: (msg: string) => void): Promise<void> {
  const api = client(conn, log);
  try {
    const result = await deleteAfterOthers(api, conn, "pod", id, log, () => api.deletePod(id, { force: conn.force }));
    if (result) await settle(api, conn, result.deploymentId);
  } finally {
    api.close();
  }
}
