// create() of an adopted app or pod on target marathon: the app already runs, so it is read
// (GET only) and recorded as Marathon has it. Dynamic providers cannot `import` (pulumi/pulumi#16175:
// read() is given no provider), so `dcos-vnet adopt` runs one `pulumi up` in which create does this
// instead of a POST. Compared on the fields diff compares (observedOf): a difference would be a
// change at the next preview, and is refused here with the fields named, before anything is recorded.
import { differingFields } from "../../core/adopt/compare";
import type { MarathonConnection } from "../../core/marathon/connection";
import type { AppDefinition } from "../../core/marathon/types";
import type { PodDefinition } from "../../core/marathon/podTypes";
import { DeployedState, observedOf, readApp } from "../../backends/marathon/deployer";
import type { DeployedPod } from "../../backends/marathon/podDeployer";

const podDeployer = () => require("../../backends/marathon/podDeployer") as typeof import("../../backends/marathon/podDeployer");

export class AdoptRefusedError extends Error {
  readonly reasons: string[];
  constructor(message: string) {
    super(message);
    // The engine prints the reasons of a failed create.
    this.reasons = [message];
  }
}

function refuse(kind: string, id: string, url: string, why: string): never {
  throw new AdoptRefusedError(
    `adopting ${kind} ${id} from ${url}: ${why}; nothing was written to Marathon and the ${kind} is not recorded. ` +
      `Make the file say what Marathon runs (or re-run \`dcos-vnet adopt --force\`), then adopt again.`,
  );
}

/** An adopt run that would record another app or pod under a resource's id (a replace, which adopt never does). */
export function refuseAdoptedIdChange(kind: "app" | "pod", id: string, next: string): never {
  throw new AdoptRefusedError(
    `adopting ${kind} ${next}: the stack holds this resource as ${id}, and changing the id is a replace (a DELETE in Marathon), ` +
      "which adopt never does; nothing was written to Marathon. Give the file its old id back, or run `pulumi up` without adopt to replace it",
  );
}

export async function adoptApp(conn: MarathonConnection, id: string, app: AppDefinition, log: (m: string) => void): Promise<DeployedState> {
  const seen = await readApp(conn, id, log);
  if (!seen) refuse("app", id, conn.url, "Marathon has no such app");
  const differs = differingFields(seen.observed as unknown as Record<string, unknown>, observedOf(app) as unknown as Record<string, unknown>);
  if (differs.length > 0) refuse("app", id, conn.url, `Marathon's copy differs from the definition in ${differs.join(", ")}`);
  // Recorded as the definition's view, which equals Marathon's but for fields Marathon writes as
  // null: the next diff compares the file with exactly this.
  return { ...seen, observed: observedOf(app) };
}

export async function adoptPod(conn: MarathonConnection, id: string, pod: PodDefinition, log: (m: string) => void): Promise<DeployedPod> {
  const deployer = podDeployer();
  const seen = await deployer.readPod(conn, id, log);
  if (!seen) refuse("pod", id, conn.url, "Marathon has no such pod");
  const differs = differingFields(seen.observed as unknown as Record<string, unknown>, deployer.observedPodOf(pod) as unknown as Record<string, unknown>);
  if (differs.length > 0) refuse("pod", id, conn.url, `Marathon's copy differs from the definition in ${differs.join(", ")}`);
  return { ...seen, observed: deployer.observedPodOf(pod) };
}
