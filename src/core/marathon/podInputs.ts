// A Marathon pod declared in code, as the MarathonPod resource's check sees it. Marathon's pod
// rules first (validatePod); then what the local cluster needs, by the same checks as an app's:
// a pod instance is placed, addressed, scaled and rolled like an app instance whose task holds the
// pod's addresses (podAsApp), so the networks it joins, its constraints and each agent's room are
// checked by checkMarathonApp, with failures pointed back at the pod's own fields.
import { Failure, under } from "../common/failure";
import { AppDefinition } from "./types";
import { PodDefinition } from "./podTypes";
import { validatePod } from "./validatePod";
import { AppTarget, JoinableNetwork, ResolvedApp, checkMarathonApp, resolveApp } from "./appInputs";
import { Owner } from "../local/dockerNetworkSpec";
import { stableJson } from "../common/stableJson";
import { localPodHealthFailures } from "../local/podHealth";
import { HostModeInputs, planHostModeApp } from "../local/hostTask";
import { endpointPath, hostPodPorts, isHostModePod, isPublishedPod } from "../local/hostPods";
import { normalizeApp } from "./normalize";
import { containerPodVipPorts, vipEndpointPath, withEndpointVipLabels } from "../local/podVips";

/**
 * MarathonPod's inputs as check returns them (what the state stores): the definition once, as
 * written; a host-mode or published pod (endpoint hostPorts on container networks) also its
 * agents, their addresses and each instance's agent and host ports (as a host-mode app's,
 * core/local/hostTask).
 */
export interface MarathonPodInputs extends Partial<Pick<HostModeInputs, "hostAgents" | "hostNetwork" | "hostPlan">> {
  pod: PodDefinition;
  /** The virtual networks the pod joins, by name (check keeps only those). */
  networks: Record<string, JoinableNetwork>;
  owner: Owner;
  target: AppTarget;
  connection?: unknown;
  // ---- computed by check ----
  /** The pod's first container network ("" for a host-mode pod on DC/OS). */
  network: string;
}

/**
 * What holds a pod instance's network namespace on the local cluster: a task that only sleeps,
 * whose container owns the addresses; the pod's containers join its namespace.
 */
export const POD_INFRA_CMD = "exec sleep 2147483647";

/** The pod's instances as an app: its networks, count, placement and upgrade strategy; the holder task. */
export function podAsApp(pod: PodDefinition): AppDefinition {
  const constraints = pod.scheduling?.placement?.constraints?.map((c) => (c.value === undefined ? [c.fieldName, c.operator] : [c.fieldName, c.operator, c.value]));
  const env = Object.fromEntries(Object.entries(pod.environment ?? {}).filter(([, v]) => typeof v === "string")) as Record<string, string>;
  return {
    id: pod.id,
    cmd: POD_INFRA_CMD,
    instances: pod.scaling?.instances ?? 1,
    cpus: 0.01,
    mem: 0,
    // A host-mode pod runs as a host-mode app whose ports are its endpoints (core/local/hostPods);
    // a container-mode pod's app is as it always was (its state compares the same).
    ...(isHostModePod(pod)
      ? { networks: [{ mode: "host" }], ...withEndpointVipLabels(pod, hostPodPorts(pod)) }
      : { networks: (pod.networks ?? []).map((n) => ({ mode: "container", name: n.name })), ...containerPodVipPorts(pod) }),
    ...(constraints ? { constraints } : {}),
    ...(pod.scheduling?.upgrade ? { upgradeStrategy: pod.scheduling.upgrade } : {}),
    ...(Object.keys(env).length > 0 ? { env } : {}),
  } as AppDefinition;
}

/**
 * The pod as the host-mode app whose ports are its endpoints' host ports: what the cluster's
 * host-port planning sees of a host-mode pod (which runs as that app) or of a published one.
 */
export function podPortsAsApp(pod: PodDefinition): AppDefinition {
  const { container: _vipPorts, ...app } = podAsApp(pod); // endpoint VIPs' port mappings are no host ports
  return isHostModePod(pod) ? app : ({ ...app, networks: [{ mode: "host" }], ...hostPodPorts(pod) } as AppDefinition);
}

/**
 * A container-network pod's endpoint hostPorts: each instance's agent and host ports, planned as a
 * host-mode pod's are, on the agents that have a block in every network the pod joins.
 */
function planPublishedPod(pod: PodDefinition, news: Record<string, any>, inputs: MarathonPodInputs, isUnknown: (v: unknown) => boolean) {
  const given: string[] | undefined = Array.isArray(news.hostAgents) ? news.hostAgents : undefined;
  const nets = Object.values(inputs.networks);
  const known = !isUnknown(news.networks) && nets.length > 0 && nets.every((n) => !isUnknown(n) && n.agentSubnets && !isUnknown(n.agentSubnets));
  const hostAgents = given && known ? given.filter((a) => nets.every((n) => n.agentSubnets[a] !== undefined)) : given;
  return planHostModeApp(normalizeApp(podPortsAsApp(pod)), { ...news, hostAgents }, isUnknown);
}

/** An app failure's path, as the pod's field it comes from. */
function podPath(pod: PodDefinition, property: string): string {
  return vipEndpointPath(pod, endpointPath(pod, property))
    .replace(/^app\.constraints/, "pod.scheduling.placement.constraints")
    .replace(/^app\.instances/, "pod.scaling.instances")
    .replace(/^app\.upgradeStrategy/, "pod.scheduling.upgrade")
    .replace(/^app\.env/, "pod.environment")
    .replace(/^app\b/, "pod");
}

/** What the local cluster does not run (yet), said at preview rather than half-done at up. */
function localRefusals(pod: PodDefinition): Failure[] {
  const failures: Failure[] = [];
  pod.containers.forEach((c, i) => {
    if (c.image && c.image.kind !== "DOCKER") failures.push({ property: `pod.containers[${i}].image.kind`, reason: "the local cluster runs DOCKER images only" });
    if ((c.volumeMounts ?? []).length > 0) failures.push({ property: `pod.containers[${i}].volumeMounts`, reason: "pod volumes are not run by the local cluster yet" });
    for (const [k, v] of Object.entries(c.environment ?? {})) {
      if (typeof v !== "string") failures.push({ property: `pod.containers[${i}].environment.${k}`, reason: "secrets in pod environments are not run by the local cluster yet" });
    }
  });
  for (const [k, v] of Object.entries(pod.environment ?? {})) {
    if (typeof v !== "string") failures.push({ property: `pod.environment.${k}`, reason: "secrets in pod environments are not run by the local cluster yet" });
  }
  return failures;
}

export function checkMarathonPod(
  news: Record<string, any>,
  isUnknown: (v: unknown) => boolean,
): { inputs: MarathonPodInputs; failures: Failure[] } {
  const inputs: MarathonPodInputs = {
    pod: news.pod,
    networks: news.networks ?? {},
    owner: news.owner,
    target: news.target ?? "local",
    ...(news.connection !== undefined ? { connection: news.connection } : {}),
    network: "",
  };
  if (isUnknown(news.pod)) return { inputs, failures: [] };
  const failures = under("pod", validatePod(news.pod));
  if (failures.length > 0) return { inputs, failures };
  const pod = news.pod as PodDefinition;
  if (inputs.target === "local") {
    failures.push(...localRefusals(pod));
    failures.push(...localPodHealthFailures(pod)); // what of its containers' health checks runs locally
    if (failures.length > 0) return { inputs, failures };
  }
  const asApp = checkMarathonApp({ ...news, app: podAsApp(pod), appFile: undefined, secretEnv: {}, servicePorts: [] }, isUnknown);
  failures.push(...asApp.failures.map((f) => ({ property: podPath(pod, f.property), reason: f.reason.replace(/-mode app\b/, "-mode pod") })));
  inputs.networks = asApp.inputs.networks;
  inputs.network = asApp.inputs.network;
  // A host-mode pod (local): its agents and plan, as a host-mode app keeps them.
  for (const k of ["hostAgents", "hostNetwork", "hostPlan"] as const) {
    if (asApp.inputs[k] !== undefined) (inputs as unknown as Record<string, unknown>)[k] = asApp.inputs[k];
  }
  // A published pod (local): the same, planned beside its container networks.
  if (inputs.target === "local" && isPublishedPod(pod) && failures.length === 0) {
    const planned = planPublishedPod(pod, news, inputs, isUnknown);
    failures.push(...planned.failures.map((f) => ({ property: podPath(pod, f.property), reason: f.reason.replace(/a host-mode app\b/, "a pod with endpoint hostPorts") })));
    if (planned.plan) Object.assign(inputs, { hostNetwork: news.hostNetwork }, planned.plan);
  }
  return { inputs, failures };
}

/** The pod as the local backend runs it: an app (podAsApp) that carries the pod, whose containers join each instance. */
export function resolvePod(inputs: MarathonPodInputs): ResolvedApp {
  const app = podAsApp(inputs.pod);
  return {
    ...resolveApp({ app, target: inputs.target }),
    networks: inputs.networks,
    secretEnv: {},
    owner: inputs.owner,
    network: inputs.network,
    servicePorts: [],
    pod: inputs.pod,
    ...(inputs.hostPlan !== undefined ? { hostAgents: inputs.hostAgents, hostNetwork: inputs.hostNetwork, hostPlan: inputs.hostPlan } : {}),
  };
}

/** The pod without its instance count: what a rolling restart is about. */
export function podDefinitionOf(pod: PodDefinition): string {
  const { scaling, version: _v, ...rest } = pod;
  const { instances: _i, ...scalingRest } = scaling ?? { kind: "fixed" };
  return stableJson({ ...rest, scaling: scalingRest });
}
