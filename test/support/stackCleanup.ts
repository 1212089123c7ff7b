// Destroying a test's stack at its end (TestStack.dispose). As a user would, a dead run's lock (a
// CLI that was killed) is dropped with `pulumi cancel` and destroy runs again. When destroy fails,
// the error says why (the end of Pulumi's output) and what the stack left on the tests' engine;
// those objects carry the stack's ownership label, so the test made them, and they are removed so
// that the tests after it start on a clean engine.
import { Stack } from "@pulumi/pulumi/automation";
import { engine, ownedObjects } from "./docker";
import { describePulumiRun, lastPulumiRun } from "./pulumiRuns";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * `destroy`: how to destroy the stack. The Automation API's `stack.destroy()` by default; a test
 * stack passes the CLI's `pulumi destroy --remove`, which also removes the stack in the same
 * command (the Automation API would run three: destroy, `stack history` and `stack rm`).
 */
export async function destroyTestStack(name: string, stack: Stack, destroy: () => Promise<unknown> = () => stack.destroy()): Promise<void> {
  let failure: unknown;
  try {
    await destroy();
    return;
  } catch (err) {
    failure = err;
  }
  if (/locked/i.test((failure as Error).message ?? "")) {
    await stack.cancel();
    try {
      await destroy();
      return;
    } catch (err) {
      failure = err;
    }
  }
  const run = lastPulumiRun();
  const why = run?.args[0] === "destroy" ? describePulumiRun(run, 40) : String((failure as Error).message ?? failure).slice(-4000);
  throw new Error(`pulumi destroy of the test's stack ${name} failed. ${await removeLeftovers(name)}\n${why}`);
}

/** Removes what carries the stack's ownership label on the tests' engine; says what that was. */
async function removeLeftovers(name: string): Promise<string> {
  let owned: { networks: string[]; containers: string[] };
  try {
    owned = await ownedObjects(name);
  } catch (err) {
    return `What it left on the tests' engine is unknown (${(err as Error).message}).`;
  }
  if (owned.containers.length + owned.networks.length === 0) return "It left no container or network with its label on the tests' engine.";
  const problems: string[] = [];
  for (const c of owned.containers) {
    await engine.getContainer(c.replace(/^\//, "")).remove({ force: true }).catch((err: Error) => problems.push(`container ${c}: ${err.message}`));
  }
  for (const n of owned.networks) {
    const problem = await removeNetwork(n);
    if (problem) problems.push(`network ${n}: ${problem}`);
  }
  const left = `It left on the tests' engine: containers [${owned.containers.join(", ")}], networks [${owned.networks.join(", ")}]`;
  return problems.length ? `${left}; the test's cleanup could not remove: ${problems.join("; ")}.` : `${left}; the test's cleanup removed them.`;
}

/**
 * Removes a network. While dockerd still releases the endpoints of removed containers, it waits
 * (bounded); a container that still exists on it is named at once.
 */
async function removeNetwork(name: string): Promise<string | undefined> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      await engine.getNetwork(name).remove();
      return undefined;
    } catch (err) {
      const e = err as { statusCode?: number; message: string };
      if (e.statusCode === 404) return undefined;
      if (e.statusCode !== 403) return e.message;
      const attached = await attachedContainers(name);
      if (attached.length > 0) return `${e.message}; still attached: ${attached.join(", ")}`;
      if (Date.now() > deadline) return `${e.message} (still, after waiting 15 s for its endpoints to go)`;
    }
    await sleep(250);
  }
}

/** Names of the containers on a network that still exist. */
async function attachedContainers(network: string): Promise<string[]> {
  const endpoints = (await engine.getNetwork(network).inspect().catch(() => ({ Containers: {} }))).Containers ?? {};
  const names: string[] = [];
  for (const id of Object.keys(endpoints)) {
    const c = await engine.getContainer(id).inspect().catch(() => undefined);
    if (c) names.push(`container ${c.Name.replace(/^\//, "")}`);
  }
  return names;
}
