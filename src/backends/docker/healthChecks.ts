// Health checks on the engine: the probe tools volume, waiting for new instances to turn healthy
// (or failing with the check and its last failure, after removing them), and parking old
// instances during a roll so a failed roll can put them back. Docker runs the probes themselves
// (the containers' HEALTHCHECK, see src/core/local/healthProbe.ts for why).
import { HealthPlan, PROBE_TOOLS_DIR, startPeriodText } from "../../core/local/healthProbe";
import { MANAGED_BY, Owner, OWNER_LABELS } from "../../core/local/dockerNetworkSpec";
import { docker, engineAddress, engineCall, statusOf } from "./client";
import { inspectContainer, removeContainer, restartContainer } from "./containers";
import { releasingEndpoints } from "./endpointRelease";

/** One volume per engine holding a static busybox (wget, nc, true), shared by every stack. */
export const PROBE_TOOLS_VOLUME = "dcos-vnet-probe-tools";
const PROBE_TOOLS_IMAGE = "busybox:latest";

export interface VolumeMount {
  Type: "volume";
  Source: string;
  Target: string;
  ReadOnly: boolean;
}

/** The tools, read-only, where the probes expect them. */
export function probeToolsMount(): VolumeMount {
  return { Type: "volume", Source: PROBE_TOOLS_VOLUME, Target: PROBE_TOOLS_DIR, ReadOnly: true };
}

const toolsReady = new Map<string, Promise<void>>();

/**
 * Makes sure the engine has the tools volume, filled from busybox's /bin: Docker copies an
 * image's files into an empty named volume mounted over them when a container is created, so a
 * container created (never started) and removed fills it. Once per engine per process.
 */
export function ensureProbeTools(): Promise<void> {
  const address = engineAddress();
  let ready = toolsReady.get(address);
  if (!ready) {
    ready = fillToolsVolume();
    toolsReady.set(address, ready);
    ready.catch(() => toolsReady.delete(address));
  }
  return ready;
}

/**
 * The volume as we make it: our label, the local driver, no driver options (options could mount a
 * host directory or a device in its place). One that is not is never used: its `wget` and `nc`
 * would run inside every app's containers. Creating a volume whose name exists returns the
 * existing one unchanged, so the volume is looked at after the create, whoever made it.
 */
async function checkToolsVolume(): Promise<void> {
  const volume: any = await engineCall(`inspect volume ${PROBE_TOOLS_VOLUME}`, () => docker().getVolume(PROBE_TOOLS_VOLUME).inspect());
  const problems = [
    ...(volume.Labels?.[OWNER_LABELS.managedBy] === MANAGED_BY ? [] : [`it lacks the label ${OWNER_LABELS.managedBy}=${MANAGED_BY}`]),
    ...(volume.Driver === "local" ? [] : [`its driver is ${JSON.stringify(volume.Driver)}, not "local"`]),
    ...(Object.keys(volume.Options ?? {}).length === 0 ? [] : [`it has driver options (${Object.keys(volume.Options).join(", ")})`]),
  ];
  if (problems.length === 0) return;
  throw new Error(
    `Docker volume "${PROBE_TOOLS_VOLUME}" on the engine at ${engineAddress()} was not made by ${MANAGED_BY} (${problems.join("; ")}), ` +
      "so it is never used: health checks would run its wget and nc inside every app's containers. " +
      `Remove it (\`docker volume rm ${PROBE_TOOLS_VOLUME}\`) and run the command again: it is made anew, filled from ${PROBE_TOOLS_IMAGE}.`,
  );
}

async function fillToolsVolume(): Promise<void> {
  await engineCall(`create volume ${PROBE_TOOLS_VOLUME}`, () =>
    docker().createVolume({ Name: PROBE_TOOLS_VOLUME, Labels: { [OWNER_LABELS.managedBy]: MANAGED_BY } }),
  ).catch((err) => {
    if (statusOf(err) !== 409) throw err; // the name is taken with another driver: checkToolsVolume says so
  });
  await checkToolsVolume();
  let filler;
  try {
    filler = await engineCall("create the probe tools filler container", () =>
      docker().createContainer({
        Image: PROBE_TOOLS_IMAGE,
        Cmd: ["true"],
        Labels: { [OWNER_LABELS.managedBy]: MANAGED_BY },
        HostConfig: { Mounts: [{ Type: "volume", Source: PROBE_TOOLS_VOLUME, Target: "/bin" }], NetworkMode: "none" },
      }),
    );
  } catch (err) {
    if (statusOf(err) === 404) {
      throw new Error(
        `health checks on the local cluster probe with busybox's wget and nc, and image ${PROBE_TOOLS_IMAGE} is not on the ` +
          `Docker engine at ${engineAddress()} (npm run setup builds it)`,
      );
    }
    throw err;
  }
  await engineCall("remove the probe tools filler container", () => filler.remove({ force: true }));
}

/** An instance whose health is awaited. */
export interface Awaited {
  container: string;
  containerId: string;
  agent: string;
  ip: string;
}

export class HealthCheckError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "HealthCheckError";
  }
}

const POLL_MS = 500;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface Seen {
  status: "starting" | "healthy" | "unhealthy" | "none";
  /** The last failed probe's output, or the container's own state when it is not running. */
  lastFailure?: string;
  failingStreak: number;
  running: boolean;
}

export async function healthOf(id: string): Promise<Seen> {
  const info: any = await engineCall(`inspect container ${id}`, () => docker().getContainer(id).inspect());
  const health = info.State?.Health;
  const log: any[] = health?.Log ?? [];
  const failed = [...log].reverse().find((entry) => entry.ExitCode !== 0);
  const output = failed ? String(failed.Output ?? "").trim().replace(/\s+/g, " ").slice(0, 300) || `exit code ${failed.ExitCode}` : undefined;
  const state = info.State?.Running ? undefined : `the container is ${info.State?.Status ?? "not running"} (exit code ${info.State?.ExitCode})`;
  return {
    status: health?.Status ?? "none",
    lastFailure: [output, state].filter(Boolean).join("; ") || undefined,
    failingStreak: health?.FailingStreak ?? 0,
    running: info.State?.Running === true,
  };
}

/**
 * Waits until every instance is healthy. If one turns unhealthy, or one is still not healthy
 * when the bound passes, all of `instances` are removed and the error names the app, the
 * instance, the check and its last failure.
 */
export async function awaitHealthy(
  appId: string,
  plans: HealthPlan | ((inst: Awaited) => HealthPlan),
  instances: Awaited[],
  owner: Owner,
  boundSeconds: number,
  /** How an instance started for this change goes again (a host task's published ports too). */
  remove: (inst: Awaited) => Promise<void> = (i) => removeContainer(i.containerId, owner),
): Promise<void> {
  const planOf = (inst: Awaited) => (typeof plans === "function" ? plans(inst) : plans);
  const deadline = Date.now() + boundSeconds * 1000;
  let pending = [...instances];
  let problem: string | undefined;
  while (pending.length > 0 && !problem) {
    const seen = await Promise.all(pending.map((i) => healthOf(i.containerId)));
    const still: Awaited[] = [];
    seen.forEach((s, k) => {
      const inst = pending[k];
      const plan = planOf(inst);
      if (passed(s) || problem) return;
      const what = verdict(s, plan, boundSeconds, Date.now() > deadline);
      if (what === undefined) still.push(inst);
      else problem = describe(appId, plan, inst, what, s);
    });
    pending = still;
    if (pending.length > 0 && !problem) await sleep(POLL_MS);
  }
  if (problem) await removeStartedAndFail(problem, instances, remove, "instance(s)");
}

/**
 * Healthy, or nothing to wait for: a container without a HEALTHCHECK ("none") was started before
 * its app's check ran locally (a task of an earlier version, restarted in place) and counts once it
 * runs; it gets the check when it is next replaced. Every container started with a plan reports
 * "starting" first.
 */
export function passed(s: Seen): boolean {
  return s.status === "healthy" || (s.status === "none" && s.running);
}

/**
 * What a check's state says at this poll: why it failed (unhealthy, or not healthy when the bound
 * passed), or undefined while it may still pass.
 */
export function verdict(s: Seen, plan: HealthPlan, boundSeconds: number, expired: boolean): string | undefined {
  if (s.status === "unhealthy") return `failed ${s.failingStreak || plan.retries} consecutive time(s) after ${startPeriodText(plan)}`;
  if (!expired) return undefined;
  return `did not pass within ${boundSeconds} s (failures count after ${startPeriodText(plan)}; a probe every ${plan.intervalSeconds} s, timeout ${plan.timeoutSeconds} s, ${plan.retries} failure(s) allowed)`;
}

/** Removes the instances started for this change and fails with `problem`, saying what could not be removed. */
export async function removeStartedAndFail<T extends { container: string }>(
  problem: string,
  instances: T[],
  remove: (inst: T) => Promise<void>,
  noun: string,
): Promise<never> {
  const removal = await Promise.allSettled(instances.map(remove));
  const left = instances.filter((_, k) => removal[k].status === "rejected").map((i) => i.container);
  throw new HealthCheckError(
    `${problem}. ` +
      (left.length === 0
        ? `The ${noun} started for this change were removed (${instances.map((i) => i.container).join(", ")}).`
        : `Removing the ${noun} started for this change failed for ${left.join(", ")}: remove them with \`docker rm -f ${left.join(" ")}\`.`),
  );
}

function describe(appId: string, plan: HealthPlan, inst: Awaited, what: string, seen: Seen): string {
  return (
    `app ${appId}: instance ${inst.container} (${inst.agent}, ${inst.ip}) did not become healthy: ` +
    `health check healthChecks[${plan.index}] (${plan.describe}) ${what}; ` +
    `last failure: ${seen.lastFailure ?? "none recorded (no probe has finished yet)"}`
  );
}

/**
 * Stops an old instance during a roll, keeping its container (and so its address, which a
 * stopped container keeps reserved): a roll that fails starts it again as it was.
 */
export async function parkInstance(id: string): Promise<void> {
  try {
    // A stop releases the container's endpoints: one network at a time (endpointRelease.ts).
    const networks = Object.keys((await inspectContainer(id))?.addresses ?? {});
    await releasingEndpoints(networks, () => engineCall(`stop container ${id}`, () => docker().getContainer(id).stop({ t: 0 })));
  } catch (err) {
    if (statusOf(err) !== 304 && statusOf(err) !== 404) throw err;
  }
}

/**
 * A roll failed: the new instances it had made healthy go, the old ones it parked start again on
 * their addresses. Returns the error to throw (the original, with anything that could not be put
 * back named).
 */
export async function undoRoll(
  network: string,
  fresh: Awaited[],
  parked: Awaited[],
  owner: Owner,
  original: unknown,
  /** How a parked instance starts again (a pod instance: its holder, then its containers). */
  restart: (inst: Awaited) => Promise<void> = (i) => restartContainer(i.containerId, network, i.ip),
): Promise<unknown> {
  const removed = await Promise.allSettled(fresh.map((i) => removeContainer(i.containerId, owner)));
  const restarted = await Promise.allSettled(parked.map(restart));
  const problems = [
    ...fresh.flatMap((i, k) => (removed[k].status === "rejected" ? [`new instance ${i.container} could not be removed (docker rm -f ${i.container})`] : [])),
    ...parked.flatMap((i, k) => {
      const r = restarted[k];
      return r.status === "rejected" ? [`old instance ${i.container} could not be started again: ${(r.reason as Error).message}`] : [];
    }),
  ];
  if (problems.length === 0) return original;
  const message = original instanceof Error ? original.message : String(original);
  return new Error(`${message} Rolling back: ${problems.join("; ")}`);
}
