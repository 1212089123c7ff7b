// The parts of `pulumi preview --json --diff` (CLI v3.260.0) that the Markdown summary reads, and a
// reader that accepts anything: the JSON comes from another program, so every field is checked
// rather than trusted, and a missing or malformed one reads as empty.

/** A resource's state in a step: `oldState` (from the stack's state) or `newState` (planned). */
export interface StepState {
  type: string;
  inputs: Record<string, unknown>;
}

/** One step of the plan. `op` is Pulumi's: same, create, update, replace, delete, read, … */
export interface PreviewStep {
  op: string;
  urn: string;
  oldState?: StepState;
  newState?: StepState;
  /** Inputs whose change forces the replacement (set on replace steps). */
  replaceReasons: string[];
  /** Inputs the provider reported as changed (dynamic providers leave it empty). */
  diffReasons: string[];
}

export interface PreviewDiagnostic {
  severity: string;
  message: string;
  urn?: string;
}

export interface Preview {
  /** What changes, and the Stack itself; resources that stay the same are not listed. */
  steps: PreviewStep[];
  /** op → count, as Pulumi counts them: every resource, unchanged ones and the Stack included. */
  changeSummary: Record<string, number>;
  diagnostics: PreviewDiagnostic[];
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === "string") : []);

function readState(v: unknown): StepState | undefined {
  if (!isObject(v)) return undefined;
  return {
    type: typeof v.type === "string" ? v.type : "",
    inputs: isObject(v.inputs) ? v.inputs : {},
  };
}

function readStep(v: unknown): PreviewStep | undefined {
  if (!isObject(v) || typeof v.op !== "string" || typeof v.urn !== "string") return undefined;
  return {
    op: v.op,
    urn: v.urn,
    oldState: readState(v.oldState),
    newState: readState(v.newState),
    replaceReasons: strings(v.replaceReasons),
    diffReasons: strings(v.diffReasons),
  };
}

function readDiagnostic(v: unknown): PreviewDiagnostic | undefined {
  if (!isObject(v) || typeof v.message !== "string") return undefined;
  return {
    severity: typeof v.severity === "string" ? v.severity : "info",
    message: v.message,
    ...(typeof v.urn === "string" ? { urn: v.urn } : {}),
  };
}

export function readPreview(json: unknown): Preview {
  const root = isObject(json) ? json : {};
  const summary = isObject(root.changeSummary) ? root.changeSummary : {};
  return {
    steps: (Array.isArray(root.steps) ? root.steps : []).map(readStep).filter((s): s is PreviewStep => s !== undefined),
    changeSummary: Object.fromEntries(
      Object.entries(summary).filter((e): e is [string, number] => typeof e[1] === "number" && e[1] > 0),
    ),
    diagnostics: (Array.isArray(root.diagnostics) ? root.diagnostics : [])
      .map(readDiagnostic)
      .filter((d): d is PreviewDiagnostic => d !== undefined),
  };
}

/** `pulumi-nodejs:dynamic/dcos:VirtualNetwork` → `VirtualNetwork`. */
export function typeShortName(type: string): string {
  return type.split(":").pop() || type;
}

/** The resource's name: the URN's last `::` part. */
export function resourceName(urn: string): string {
  return urn.split("::").pop() ?? urn;
}

/** The type a step is about (a delete has only its old state). */
export function stepType(step: PreviewStep): string {
  return step.newState?.type || step.oldState?.type || step.urn.split("::")[2] || "";
}

/** Pulumi's own bookkeeping resources, left out of the summary table. */
export function isBookkeeping(type: string): boolean {
  return type === "pulumi:pulumi:Stack" || type.startsWith("pulumi:providers:");
}

/** A resource of the stack's state, as `pulumi stack export` prints it (secrets stay ciphertext). */
export interface StateResource {
  urn: string;
  type: string;
  inputs: Record<string, unknown>;
}

/** The live resources of an exported state (`deployment.resources`, minus those pending deletion). */
export function readStateResources(exported: unknown): StateResource[] {
  const deployment = isObject(exported) && isObject(exported.deployment) ? exported.deployment : {};
  const resources = Array.isArray(deployment.resources) ? deployment.resources : [];
  return resources
    .filter((r): r is Json => isObject(r) && typeof r.urn === "string" && typeof r.type === "string" && r.delete !== true)
    .map((r) => ({ urn: r.urn as string, type: r.type as string, inputs: isObject(r.inputs) ? r.inputs : {} }));
}
