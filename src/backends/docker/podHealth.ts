// Pod containers' health checks on the engine: each member container's HEALTHCHECK (where it
// probes: core/local/podHealth.ts), and waiting for a pod instance's members to turn healthy —
// if one does not, the instances started for this change go (holders take their members along)
// and the error names the pod, the instance, the container and its check. And parking pod
// instances during a roll (members first, then the holder) so a failed roll can start them again.
import { ResolvedApp } from "../../core/marathon/appInputs";
import { PodHealthPlan, assignedEndpointPorts, podHealthPlans } from "../../core/local/podHealth";
import { settleBoundSeconds } from "../../core/local/healthProbe";
import { Instance } from "../../core/local/instance";
import { Awaited, ensureProbeTools, healthOf, parkInstance, passed, probeToolsMount, removeStartedAndFail, verdict } from "./healthChecks";
import { APP_LABELS, listAppContainers, removeContainer, restartContainer } from "./containers";

/** The checks of the pod's containers, for an instance holding host ports `ports` (a pod on the agents). */
const plansOf = (inputs: ResolvedApp, ports?: number[]): Record<string, PodHealthPlan> =>
  inputs.pod ? podHealthPlans(inputs.pod, ports ? assignedEndpointPorts(inputs.pod, ports) : {}) : {};

/** Whether any of the pod's containers has a health check (a roll then parks old instances). */
export function podHasHealthChecks(inputs: ResolvedApp): boolean {
  return Object.keys(plansOf(inputs)).length > 0;
}

/** A pod instance's containers (not its holder), as the engine lists them. */
async function membersOf(inputs: ResolvedApp, holder: string) {
  return (await listAppContainers(inputs.owner, inputs.canonical.id, "pod")).filter((c) => c.labels[APP_LABELS.podMember] === holder);
}

/**
 * Stops a pod instance during a roll, keeping its containers: its members first (they live in the
 * holder's network namespace), then the holder, which keeps its addresses reserved while stopped.
 */
export async function parkPodInstance(inputs: ResolvedApp, inst: Awaited): Promise<void> {
  await Promise.all((await membersOf(inputs, inst.container)).map((m) => parkInstance(m.id)));
  await parkInstance(inst.containerId || inst.container);
}

/** Starts a parked pod instance again: the holder on its addresses, then its containers, which join the holder's new namespace. */
export async function unparkPodInstance(inputs: ResolvedApp, network: string, inst: Awaited): Promise<void> {
  await restartContainer(inst.containerId || inst.container, network, inst.ip);
  for (const m of await membersOf(inputs, inst.container)) await restartContainer(m.id, network, inst.ip);
}

/** A member container's HEALTHCHECK and the probe tools it needs, for its MemberSpec (`ports`: its instance's host ports). */
export function memberHealthSpec(inputs: ResolvedApp, member: string, ports?: number[]) {
  const plan = plansOf(inputs, ports)[member];
  if (!plan) return {};
  return { health: plan, ...(plan.needsTools ? { mounts: [probeToolsMount()] } : {}) };
}

/** The probe tools volume, before members that need it are created. */
export async function readyToProbeMembers(inputs: ResolvedApp): Promise<void> {
  if (Object.values(plansOf(inputs)).some((p) => p.needsTools)) await ensureProbeTools();
}

const POLL_MS = 500;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Waits until every checked container of every pod instance given is healthy. If one turns
 * unhealthy, or is still not healthy when the bound passes, all of `instances` are removed.
 */
export async function awaitPodHealthy(
  inputs: ResolvedApp,
  instances: Instance[],
  /** How an instance started for this change goes again (a task on an agent: its published ports too). */
  remove: (inst: Instance) => Promise<void> = (i) => removeContainer(i.containerId || i.container, inputs.owner),
): Promise<void> {
  const plans = Object.entries(plansOf(inputs));
  if (plans.length === 0 || instances.length === 0) return;
  const bound = Math.max(...plans.map(([, p]) => settleBoundSeconds(p)));
  const deadline = Date.now() + bound * 1000;
  let pending = instances.flatMap((inst) =>
    Object.entries(plansOf(inputs, inst.ports)).map(([member, plan]) => ({ inst, member, plan, name: `${inst.container}.${member}` })),
  );
  let problem: string | undefined;
  while (pending.length > 0 && !problem) {
    const seen = await Promise.all(pending.map((p) => healthOf(p.name)));
    const still: typeof pending = [];
    seen.forEach((s, k) => {
      const { inst, member, plan } = pending[k];
      if (passed(s) || problem) return;
      const what = verdict(s, plan, bound, Date.now() > deadline);
      if (what === undefined) still.push(pending[k]);
      else {
        problem =
          `pod ${inputs.canonical.id}: container ${member} of instance ${inst.container} (${inst.agent}, ${inst.ip}) did not become healthy: ` +
          `health check ${plan.field} (${plan.describe}) ${what}; last failure: ${s.lastFailure ?? "none recorded (no probe has finished yet)"}`;
      }
    });
    pending = still;
    if (pending.length > 0 && !problem) await sleep(POLL_MS);
  }
  if (problem) await removeStartedAndFail(problem, instances, remove, "pod instance(s)");
}
