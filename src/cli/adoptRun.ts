// adopt's own `pulumi up` (dcos-vnet:adopting set), guarded twice. First a preview: if any step
// would delete or replace a MarathonApp or MarathonPod (an app adopted before that this adoption
// leaves out, say), adopt refuses before its up, naming each one, and nothing is written to
// Marathon. Then the up, during which SIGINT/SIGTERM still remove dcos-vnet:adopting (else the
// stack's next `pulumi up` would run as an adoption) and say so, and are passed on to pulumi.
import type { ChildProcess } from "child_process";
import { stackConfigFile, writeStackConfig } from "./stackFiles";
import { runPulumi } from "./pulumiRun";

/** Preview steps that remove an app or pod from Marathon (`pulumi preview --json` ops). */
const REMOVING = new Set(["delete", "replace", "create-replacement", "delete-replaced", "discard"]);
const MARATHON_TYPES = new Set(["MarathonApp", "MarathonPod"]);

export interface RemovalStep {
  op: string;
  /** `MarathonApp::web` (the resource's type and name). */
  resource: string;
  urn: string;
}

/** The steps of a `pulumi preview --json` answer that would delete or replace an app or pod. */
export function removalSteps(previewJson: string): RemovalStep[] {
  const steps = (JSON.parse(previewJson) as { steps?: { op?: string; urn?: string }[] }).steps ?? [];
  const found = new Map<string, RemovalStep>();
  for (const step of steps) {
    // urn:pulumi:<stack>::<project>::<parent$type>::<name>
    const [, , typeChain = "", ...name] = String(step.urn ?? "").split("::");
    const type = typeChain.split("$").pop()!.split(":").pop()!;
    if (!MARATHON_TYPES.has(type) || !REMOVING.has(String(step.op))) continue;
    const resource = `${type}::${name.join("::")}`;
    if (!found.has(resource)) found.set(resource, { op: String(step.op), resource, urn: String(step.urn) });
  }
  return [...found.values()];
}

export class AdoptPreviewRefusal extends Error {
  constructor(readonly steps: RemovalStep[]) {
    super(
      `adopt's run would remove these from Marathon, which adoption never does:\n` +
        steps.map((s) => `  - ${s.resource} (${s.op}): ${s.urn}`).join("\n") +
        "\nThey are in the stack from an earlier adoption, and this one leaves them out (see the report's \"Not adopted\" " +
        "items: a field this project cannot express, say) or would replace them. Nothing was written to Marathon, and the " +
        "stack's config and files were put back as they were. To keep them running but out of the stack, remove them " +
        "from the state only (`pulumi state delete '<urn>'`), then adopt again.",
    );
  }
}

/** Runs adopt's preview gate and up with dcos-vnet:adopting set; removes the key whatever happens. */
export async function runAdoptingUp(stack: string, root: string, onRefused: () => void): Promise<void> {
  const clear = () => writeStackConfig(stack, { adopting: undefined }, root);
  let child: ChildProcess | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    clear();
    console.error(
      `dcos-vnet adopt: interrupted (${signal}): removed dcos-vnet:adopting from ${stackConfigFile(stack, root)}. ` +
        "What the run recorded so far stays in the state (nothing was written to Marathon); re-run adopt with --force to finish.",
    );
    if (child && child.exitCode === null) child.kill(signal);
    else process.exit(signal === "SIGINT" ? 130 : 143);
  };
  // The handlers come before the key and go after it: a signal between the key's write and the
  // handlers (seen once under heavy load) killed adopt with the key left in the file.
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  writeStackConfig(stack, { adopting: true }, root);
  const keep = (c: ChildProcess) => (child = c);
  let restored = false;
  try {
    const removing = removalSteps(await runPulumi(["preview", "--json", "--stack", stack], { root, onSpawn: keep }));
    if (removing.length > 0) {
      clear();
      onRefused();
      restored = true;
      throw new AdoptPreviewRefusal(removing);
    }
    await runPulumi(["up", "--yes", "--skip-preview", "--stack", stack], { root, show: true, onSpawn: keep });
  } finally {
    if (!restored) clear();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
