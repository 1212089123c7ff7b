// Health checks of host- and bridge-mode tasks on the engine: the task's HEALTHCHECK (where it
// probes: core/local/hostHealth.ts), waiting for a new task to turn healthy, and parking old tasks
// while they are replaced so a replacement that never turns healthy can be undone.
//
// Why parking: tasks are replaced old-first (the new one needs the old one's host ports), so the
// old task cannot keep running meanwhile, and the new inputs cannot start it again (they describe
// the new version). So the old task's container is only stopped — it keeps its definition and, in
// bridge mode, its address — and the agent's rules publishing its ports are kept aside; a failed
// replacement removes the new tasks, starts the old ones again and puts their rules back.
import { ResolvedApp } from "../../core/marathon/appInputs";
import { HealthPlan, settleBoundSeconds } from "../../core/local/healthProbe";
import { hostHealthPlanFor } from "../../core/local/hostHealth";
import { HostSlot, networkingMode } from "../../core/local/hostPorts";
import { Instance } from "../../core/local/instance";
import { awaitHealthy, ensureProbeTools, parkInstance, probeToolsMount } from "./healthChecks";
import { addRules, agentRefOf, takePublishedRules } from "./agents";
import { APP_LABELS, ContainerState, restartContainer } from "./containers";
import { awaitPodHealthy, parkPodInstance, podHasHealthChecks, readyToProbeMembers, unparkPodInstance } from "./podHealth";

function planFor(inputs: ResolvedApp, slot: HostSlot, agentIp: string): HealthPlan | undefined {
  const mode = networkingMode(inputs.canonical);
  return mode === "container" ? undefined : hostHealthPlanFor(inputs.canonical, mode, slot, agentIp);
}

/** Whether the app (or a pod's container) has a health check: its tasks are then parked, not removed, while replaced. */
export function hasHostHealthCheck(inputs: ResolvedApp): boolean {
  return (inputs.canonical.healthChecks ?? []).length > 0 || podHasHealthChecks(inputs);
}

/** The task's HEALTHCHECK and the probe tools it needs, for its ContainerSpec. */
export function taskHealthSpec(inputs: ResolvedApp, slot: HostSlot, agentIp: string) {
  const plan = planFor(inputs, slot, agentIp);
  if (!plan) return {};
  return { health: plan, ...(plan.needsTools ? { mounts: [probeToolsMount()] } : {}) };
}

/** The probe tools volume, before a task that needs it is created. */
export async function readyToProbeTasks(inputs: ResolvedApp): Promise<void> {
  const first = inputs.hostPlan?.[0] ?? { agent: "", ports: [] };
  if (planFor(inputs, first, "")?.needsTools) await ensureProbeTools();
  if (inputs.pod) await readyToProbeMembers(inputs); // a pod on the agents: its containers' checks
}

/** Pod instances on the agents one of whose containers runs but fails its check (holder names). */
export function unhealthyPodInstances(listed: ContainerState[]): Set<string> {
  const holders = listed.filter((c) => c.running && c.health === "unhealthy").map((c) => c.labels[APP_LABELS.podMember]);
  return new Set(holders.filter((h): h is string => h !== undefined));
}

/**
 * Waits until the tasks started for this change are healthy; if one is not, all of them go (by
 * `stop`: a bridge task's published ports too) and the error names the app, the task and the check.
 */
export async function awaitTasksHealthy(inputs: ResolvedApp, tasks: Instance[], stop: (inst: Instance) => Promise<void>): Promise<void> {
  if (inputs.pod) return awaitPodHealthy(inputs, tasks, stop); // a pod's checks are its containers'
  if (!hasHostHealthCheck(inputs) || tasks.length === 0) return;
  const byContainer = new Map(tasks.map((t) => [t.container, t]));
  const planOf = (name: string) => planFor(inputs, { agent: byContainer.get(name)!.agent, ports: byContainer.get(name)!.ports ?? [] }, byContainer.get(name)!.ip)!;
  const bound = Math.max(...tasks.map((t) => settleBoundSeconds(planOf(t.container))));
  await awaitHealthy(inputs.canonical.id, (i) => planOf(i.container), tasks, inputs.owner, bound, (i) => stop(byContainer.get(i.container)!));
}

/** An old task stopped during its replacement, with the agent's rules that published its ports (`-A …` words). */
export interface ParkedTask {
  inst: Instance;
  rules: string[][];
}

/** Stops an old task, keeping its container: a bridge task's published ports are taken off its agent and kept aside. */
export async function parkTask(inputs: ResolvedApp, inst: Instance): Promise<ParkedTask> {
  const agent = agentRefOf(inputs, inst.agent);
  const rules = agent && inst.taskIp !== undefined ? await takePublishedRules(agent, inst.container) : [];
  try {
    // A pod's holder goes with its containers (first: they hold its ports, and live in its namespace).
    if (inputs.pod) await parkPodInstance(inputs, inst);
    else await parkInstance(inst.containerId || inst.container);
  } catch (err) {
    // Not parked, so never put back by the undo: it keeps running, and must stay reachable.
    if (agent) await addRules(agent, rules).catch(() => undefined);
    throw err;
  }
  return { inst, rules };
}

/**
 * A replacement failed: the new tasks go (their ports free again), the parked ones start again
 * and their ports are published as before. Returns the error to throw: the original, with
 * anything that could not be put back named.
 */
export async function undoTaskRoll(
  inputs: ResolvedApp,
  fresh: Instance[],
  parked: ParkedTask[],
  stop: (inst: Instance) => Promise<void>,
  original: unknown,
): Promise<unknown> {
  const problems: string[] = [];
  for (const inst of fresh) {
    await stop(inst).catch((err) => problems.push(`new task ${inst.container} could not be removed (${(err as Error).message})`));
  }
  for (const { inst, rules } of parked) {
    try {
      const network = inputs.hostNetwork?.dockerNetwork ?? "";
      if (inputs.pod) await unparkPodInstance(inputs, network, inst); // the holder, then its containers
      else await restartContainer(inst.containerId || inst.container, network, inst.taskIp ?? inst.ip);
      const agent = agentRefOf(inputs, inst.agent);
      if (agent) await addRules(agent, rules);
    } catch (err) {
      problems.push(`old task ${inst.container} could not be started again: ${(err as Error).message}`);
    }
  }
  if (problems.length === 0) return original;
  const message = original instanceof Error ? original.message : String(original);
  return new Error(`${message} Rolling back: ${problems.join("; ")}`);
}
