// A MarathonApp on a real DC/OS cluster: the user's definition goes to Marathon as written
// (Marathon translates the legacy networking fields itself), every change waits for its
// deployment, and what Marathon reports back is reduced to the fields users declare, so drift
// (an app scaled by hand in the DC/OS UI) shows while Marathon's own bookkeeping (version, tasks,
// deployments, defaults it fills in) does not.
import type { MarathonConnection } from "../../core/marathon/connection";
import { AppDefinition } from "../../core/marathon/types";
import { normalizeApp } from "../../core/marathon/normalize";
import { appOfAnswer } from "../../core/marathon/marathonAnswer";
import { MarathonClient, MarathonClientOptions, MarathonError, AppDefinition as WireApp } from "./client";

/** The user's definition as Marathon's wire type (plain JSON either way). */
const wire = (app: AppDefinition): WireApp => app as unknown as WireApp;

/** How to reach Marathon (the client's connection options), plus how to deploy; a secret in state. */
export type { MarathonConnection };

/** The declared fields Marathon's copy is compared on. */
export interface ObservedApp {
  instances: number;
  cmd?: string;
  args?: string[];
  cpus: number;
  mem: number;
  disk: number;
  image?: string;
  env: Record<string, unknown>;
  labels: Record<string, string>;
  constraints: string[][];
}

export function observedOf(app: AppDefinition): ObservedApp {
  const c = normalizeApp(app);
  return {
    instances: c.instances,
    ...(c.cmd !== undefined ? { cmd: c.cmd } : {}),
    ...(c.args !== undefined ? { args: c.args } : {}),
    cpus: c.cpus,
    mem: c.mem,
    disk: c.disk,
    ...(c.container?.docker?.image !== undefined ? { image: c.container.docker.image } : {}),
    env: c.env,
    labels: c.labels,
    constraints: c.constraints,
  };
}

/** Marathon's copy, reduced to the declared fields (adopt compares its files on exactly this). */
export function observedOfMarathon(app: Record<string, unknown>): ObservedApp {
  return observedOf(appOfAnswer(app) as unknown as AppDefinition);
}

export function client(conn: MarathonConnection, log: (msg: string) => void): MarathonClient {
  const { force: _force, deploymentTimeoutSeconds: _timeout, ...options } = conn;
  return new MarathonClient({ ...options, log });
}

export interface DeployedState {
  observed: ObservedApp;
  version?: string;
  deploymentId?: string;
}

/** Thrown when Marathon accepted the app but its deployment did not finish: the app exists. */
export class PartialCreateError extends Error {
  readonly properties: Record<string, unknown>;
  readonly reasons: string[];
  constructor(readonly id: string, properties: Record<string, unknown>, cause: Error) {
    super(`app ${id} was created in Marathon, but ${cause.message}; it exists there and is recorded in the state, so the next \`pulumi up\` continues from it`);
    this.properties = properties;
    // The engine prints the reasons of an initialisation failure, not the message.
    this.reasons = [this.message];
  }
}

export async function settle(api: MarathonClient, conn: MarathonConnection, deploymentId: string): Promise<void> {
  await api.waitForDeployment(deploymentId, { timeoutMs: (conn.deploymentTimeoutSeconds ?? 600) * 1000 });
}

export async function createApp(
  conn: MarathonConnection,
  app: AppDefinition,
  log: (msg: string) => void,
  outputsIfPartial: (state: DeployedState) => Record<string, unknown>,
): Promise<DeployedState> {
  const api = client(conn, log);
  try {
    const { deploymentId } = await api.createApp(wire(app));
    try {
      await settle(api, conn, deploymentId);
    } catch (err) {
      const state = { observed: observedOf(app), deploymentId };
      throw new PartialCreateError(normalizeApp(app).id, outputsIfPartial(state), err as Error);
    }
    const seen = await api.getApp(normalizeApp(app).id);
    return { observed: seen ? observedOfMarathon(seen) : observedOf(app), version: seen?.version, deploymentId };
  } finally {
    api.close();
  }
}

export async function updateApp(conn: MarathonConnection, app: AppDefinition, log: (msg: string) => void): Promise<DeployedState> {
  const api = client(conn, log);
  try {
    const id = normalizeApp(app).id;
    const { deploymentId, version } = await api.updateApp(id, wire(app), { force: conn.force });
    await settle(api, conn, deploymentId);
    return { observed: observedOf(app), version, deploymentId };
  } finally {
    api.close();
  }
}

/** Marathon's copy, reduced to the declared fields; undefined when Marathon has no such app. */
export async function readApp(conn: MarathonConnection, id: string, log: (msg: string) => void): Promise<DeployedState | undefined> {
  const api = client(conn, log);
  try {
    const seen = await api.getApp(id);
    return seen ? { observed: observedOfMarathon(seen), version: seen.version } : undefined;
  } finally {
    api.close();
  }
}

export async function deleteApp(conn: MarathonConnection, id: string, log: (msg: string) => void): Promise<void> {
  const api = client(conn, log);
  try {
    const result = await deleteAfterOthers(api, conn, "app", id, log, () => api.deleteApp(id, { force: conn.force }));
    if (result) await settle(api, conn, result.deploymentId);
  } finally {
    api.close();
  }
}

/**
 * Destroy and a deployment somebody else started. Marathon's own DELETE default (force=true) would
 * cancel it silently, mid-rollout, leaving that change half applied. A DC/OS operator expects destroy
 * to let a running deployment finish: so the delete goes with force=false, and on 409 "locked" it waits
 * (within deploymentTimeoutSeconds in all) for the locking deployment(s) to leave /v2/deployments, then
 * deletes. If they do not finish, it fails naming them; `dcos-vnet:marathon.force: true` cancels them.
 */
export async function deleteAfterOthers<T>(
  api: MarathonClient,
  conn: MarathonConnection,
  kind: "app" | "pod",
  id: string,
  log: (msg: string) => void,
  del: () => Promise<T>,
): Promise<T> {
  const timeoutSeconds = conn.deploymentTimeoutSeconds ?? 600;
  const deadline = Date.now() + timeoutSeconds * 1000;
  for (;;) {
    try {
      return await del();
    } catch (err) {
      if (!(err instanceof MarathonError) || err.kind !== "locked" || conn.force) throw err;
      const ids = err.deploymentIds;
      log(`${kind} ${id} is held by deployment ${ids.join(", ") || "(ids not reported)"}; waiting for it before deleting`);
      try {
        for (const deploymentId of ids) await api.waitForDeployment(deploymentId, { timeoutMs: Math.max(0, deadline - Date.now()) });
        if (ids.length === 0 && Date.now() >= deadline) throw err;
      } catch (waitErr) {
        if (!(waitErr instanceof MarathonError) || waitErr.kind !== "timeout") throw waitErr;
        throw new MarathonError(
          `cannot delete ${kind} ${id}: deployment ${ids.join(", ")} (not started by this stack, or still running) holds it ` +
            `and did not finish within ${timeoutSeconds}s; see GET ${api.url}/v2/deployments. Wait and run destroy again, ` +
            "or set `dcos-vnet:marathon.force: true` (pulumi config set --path dcos-vnet:marathon.force true) to cancel it and delete",
          "locked",
          err.status,
          [],
          ids,
        );
      }
      if (ids.length === 0) await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

export { MarathonError };
