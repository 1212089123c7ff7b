// Waiting for a Marathon deployment: poll /v2/deployments until it has left the list (done), log
// its progress when it changes (or every 10 s), and give up at the bound with the deployment named.
import { MarathonError } from "./errors";
import type { Deployment, WaitOptions } from "./clientTypes";

/** What the wait needs of the client. */
export interface WaitingClient {
  url: string;
  listDeployments(): Promise<Deployment[]>;
  log(msg: string): void;
  redact(message: string): string;
}

/** Polls /v2/deployments until the deployment has left the list (= finished), or times out. */
export async function waitForDeployment(deploymentId: string, opts: WaitOptions, client: WaitingClient): Promise<void> {
  const timeoutMs = opts.timeoutMs ?? 10 * 60_000;
  const pollMs = opts.pollMs ?? 1000;
  const started = Date.now();
  let lastProgress = "";
  let lastLogAt = 0;
  for (;;) {
    const running = (await client.listDeployments()).find((d) => d.id === deploymentId);
    if (!running) {
      if (lastProgress) client.log(`deployment ${deploymentId} finished after ${seconds(Date.now() - started)}`);
      return;
    }
    const progress = describeProgress(running);
    const now = Date.now();
    if (progress !== lastProgress || now - lastLogAt >= 10_000) {
      client.log(`waiting for deployment ${deploymentId}: ${progress} (${seconds(now - started)} elapsed)`);
      lastProgress = progress;
      lastLogAt = now;
    }
    const remaining = started + timeoutMs - now;
    if (remaining <= 0) {
      throw new MarathonError(
        client.redact(
          `deployment ${deploymentId} did not finish within ${seconds(timeoutMs)} (last seen at ${progress}); ` +
            `it is still running in Marathon at ${client.url} (see GET ${client.url}/v2/deployments); ` +
            "a later update with force: true on the MarathonApp overrides it",
        ),
        "timeout",
        undefined,
        [],
        [deploymentId],
      );
    }
    await sleep(Math.min(pollMs, remaining));
  }
}

function describeProgress(d: Deployment): string {
  const step = `step ${d.currentStep ?? "?"}/${d.totalSteps ?? "?"}`;
  const actions = (d.currentActions ?? []).map((a) => [a.action, a.app].filter(Boolean).join(" ")).filter(Boolean);
  return actions.length ? `${step} (${actions.join(", ")})` : step;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)}s`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
