// What a reviewer must not miss: a network replaced or deleted under running apps (their
// containers are re-created, each with a new address), and the engine's errors and warnings.
import { PreviewDiagnostic, PreviewStep, StateResource, isBookkeeping, resourceName, stepType, typeShortName } from "./previewJson";
import { appIdOf, appNetworkOf } from "./appChanges";
import { code } from "./valueText";

/** Resources that are the network apps join: the allocation, the local Docker network (either provider). */
const NETWORK_TYPES = new Set(["VirtualNetwork", "LocalDockerNetwork"]);
const PULUMI_DOCKER_NETWORK = "docker:index/network:Network";

const isNetwork = (type: string) => NETWORK_TYPES.has(typeShortName(type)) || type === PULUMI_DOCKER_NETWORK;

function networkName(step: PreviewStep): string {
  const name = step.oldState?.inputs.name ?? step.newState?.inputs.name;
  return typeof name === "string" ? name : resourceName(step.urn);
}

/** `app \`/web\`` or `apps \`/api\`, \`/web\``. */
const appList = (apps: string[]) => `${apps.length === 1 ? "app" : "apps"} ${apps.map(code).join(", ")}`;

/** Per op on the network: what it does to the apps on it. */
const WARNING: Record<string, (network: string, apps: string[]) => string> = {
  replace: (network, apps) => `replacing network ${code(network)} restarts ${appList(apps)}`,
  delete: (network, apps) =>
    `deleting network ${code(network)} leaves ${appList(apps)} without ${apps.length === 1 ? "its" : "their"} network`,
};

interface RunningApp {
  appId: string;
  network?: string;
}

/**
 * Apps that run now and stay, by URN: those in the state, updated by the preview's steps. The
 * state is needed because the preview does not list unchanged apps, and an app can stay unchanged
 * while its Docker network is re-created (an MTU change). New apps start on the new network and
 * deleted ones go anyway: neither is restarted.
 */
function runningApps(steps: PreviewStep[], state: StateResource[]): Map<string, RunningApp> {
  const apps = new Map<string, RunningApp>();
  for (const r of state) {
    if (typeShortName(r.type) === "MarathonApp") apps.set(r.urn, { appId: appIdOf(r.urn, r.inputs), network: appNetworkOf(r.inputs) });
  }
  for (const s of steps) {
    if (typeShortName(stepType(s)) !== "MarathonApp") continue;
    if (s.op === "delete" || s.oldState === undefined) apps.delete(s.urn);
    // The network it is on now is the old one.
    else apps.set(s.urn, { appId: appIdOf(s.urn, s.oldState.inputs), network: appNetworkOf(s.oldState.inputs, s.newState?.inputs) });
  }
  return apps;
}

/** One line per network replaced or deleted while running apps join it. */
export function networkWarnings(steps: PreviewStep[], state: StateResource[] = []): string[] {
  const apps = [...runningApps(steps, state).values()];
  const seen = new Set<string>();
  const warnings: string[] = [];
  for (const step of steps) {
    const warning = WARNING[step.op];
    if (!warning || !isNetwork(stepType(step))) continue;
    const network = networkName(step);
    // The VirtualNetwork and its Docker network go together: one line for both.
    if (seen.has(`${step.op} ${network}`)) continue;
    seen.add(`${step.op} ${network}`);
    const affected = apps.filter((a) => a.network === network).map((a) => a.appId).sort();
    if (affected.length > 0) warnings.push(warning(network, affected));
  }
  return warnings;
}

export interface Problem {
  severity: "error" | "warning";
  /** `MarathonApp \`x\`` when the engine named the resource. */
  where?: string;
  message: string;
}

/** Errors and warnings, each once (the engine may repeat one per resource), without their `error: ` prefix. */
export function problems(diagnostics: PreviewDiagnostic[]): Problem[] {
  const seen = new Set<string>();
  const out: Problem[] = [];
  for (const d of diagnostics) {
    if (d.severity !== "error" && d.severity !== "warning") continue;
    const message = d.message.replace(/^\s*(error|warning):\s*/, "").trim();
    const key = `${d.severity} ${d.urn ?? ""} ${message}`;
    if (seen.has(key) || message === "") continue;
    seen.add(key);
    const type = d.urn?.split("::")[2];
    const where = d.urn && type && !isBookkeeping(type) ? `${typeShortName(type)} ${code(resourceName(d.urn))}` : undefined;
    out.push({ severity: d.severity, message, ...(where ? { where } : {}) });
  }
  return out;
}
