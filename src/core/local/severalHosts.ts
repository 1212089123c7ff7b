// What a local cluster of several Docker hosts (cluster.hosts) runs so far: apps on virtual
// networks, IP-per-container, on the swarm's overlay. Agents with addresses of their own, VIP
// proxies, local health checks and pods all run beside the one local engine today; on several
// hosts they are refused here, at preview, naming the field, rather than failing half-way at up.
import { Failure } from "../common/failure";
import { CanonicalApp } from "../marathon/types";
import { vipNames } from "../marathon/vip";
import { networkingMode } from "./hostPorts";

const ONLY = "a cluster of several Docker hosts runs only apps on virtual networks (IP-per-container) so far";

/** Failures (paths under the app) for what of `app` several hosts do not run; empty when all of it runs. */
export function severalHostsFailures(app: CanonicalApp): Failure[] {
  const failures: Failure[] = [];
  const mode = networkingMode(app);
  if (mode !== "container") failures.push({ property: "networks", reason: `${mode}-mode networking needs agents with addresses of their own, which ${ONLY}` });
  for (const vip of vipNames(app.container?.portMappings ?? []).vips) {
    failures.push({ property: vip.property, reason: `VIP ${vip.address}:${vip.port} needs a VIP proxy, which ${ONLY}` });
  }
  if ((app.healthChecks ?? []).length > 0) failures.push({ property: "healthChecks", reason: `health checks are run by the local cluster beside one engine; ${ONLY}` });
  return failures;
}

/** The stack-config failure for pods on several hosts. */
export function severalHostsPodsReason(): string {
  return `pods need a holder container beside one engine, which ${ONLY}`;
}
