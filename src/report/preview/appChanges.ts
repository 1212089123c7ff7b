// What a MarathonApp step means for the app, in Marathon's terms: how many instances and which
// image, before and after. Read from `canonical` (the app normalized by the provider's check),
// so the legacy and 1.5+ forms of a definition read the same.
import { absoluteAppId } from "../../core/marathon/appId";
import { PreviewStep } from "./previewJson";
import { code, valueText } from "./valueText";

export interface AppChange {
  /** The Marathon app id, e.g. `/web`. */
  appId: string;
  op: string;
  /** e.g. `instances 2 → 3`, ``image `busybox` → `busybox:1.36` ``. */
  details: string[];
}

interface AppFacts {
  id?: string;
  instances?: unknown;
  image?: unknown;
  network?: unknown;
}

/** The value at a path of nested objects, or undefined where one is missing. */
function at(value: unknown, ...path: string[]): unknown {
  let here = value;
  for (const key of path) {
    if (typeof here !== "object" || here === null) return undefined;
    here = (here as Record<string, unknown>)[key];
  }
  return here;
}

function factsOf(inputs: Record<string, unknown> | undefined): AppFacts {
  if (!inputs) return {};
  // `canonical` when the provider's check ran; the app as written otherwise.
  const app = inputs.canonical ?? inputs.app;
  const id = at(app, "id") ?? at(inputs.app, "id");
  return {
    id: typeof id === "string" ? id : undefined,
    instances: at(app, "instances"),
    image: at(app, "container", "docker", "image"),
    network: inputs.network,
  };
}

type Inputs = Record<string, unknown> | undefined;

/** The app's id: from its definition (first inputs that have one), else the resource name (`group.app` → `/group/app`). */
export function appIdOf(urn: string, ...inputs: Inputs[]): string {
  const id = inputs.map((i) => factsOf(i).id).find((x) => x !== undefined);
  if (id) return absoluteAppId(id);
  return `/${(urn.split("::").pop() ?? "").split(".").join("/")}`;
}

/** The virtual network the app joins (the provider's check resolves it from the definition). */
export function appNetworkOf(...inputs: Inputs[]): string | undefined {
  const network = inputs.map((i) => i?.network).find((n) => n !== undefined);
  return typeof network === "string" ? network : undefined;
}

const changed = (a: unknown, b: unknown) => JSON.stringify(a) !== JSON.stringify(b);
/** A name as written (no JSON quotes), in a code span. */
const name = (v: unknown) => code(typeof v === "string" ? v : valueText(v));
/** A count as plain text; Marathon's default is 1. */
const count = (v: unknown) => (v === undefined ? "1" : valueText(v));

export function appChange(step: PreviewStep): AppChange | undefined {
  const before = factsOf(step.oldState?.inputs);
  const after = factsOf(step.newState?.inputs);
  const details: string[] = [];
  if (step.op === "create") {
    details.push(`instances ${count(after.instances)}, image ${name(after.image)}, on ${name(after.network)}`);
  } else if (step.op === "delete") {
    const n = count(before.instances);
    details.push(n === "1" ? `its instance of ${name(before.image)} stops` : `its ${n} instances of ${name(before.image)} stop`);
  } else {
    if (changed(before.instances, after.instances)) details.push(`instances ${count(before.instances)} → ${count(after.instances)}`);
    if (changed(before.image, after.image)) details.push(`image ${name(before.image)} → ${name(after.image)}`);
    if (changed(before.network, after.network)) details.push(`network ${name(before.network)} → ${name(after.network)}`);
  }
  if (details.length === 0) return undefined;
  return { appId: appIdOf(step.urn, step.newState?.inputs, step.oldState?.inputs), op: step.op, details };
}
