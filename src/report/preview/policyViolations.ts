// Policy violations of a preview run with `--policy-pack`: the engine reports them as
// `policyEvent`s in its event log (`pulumi preview --event-log FILE`, CLI v3.260.0), not in
// `--json`'s output. Read defensively, like the preview's JSON: a line that is not such an event
// is skipped.
import { isBookkeeping, resourceName, typeShortName } from "./previewJson";
import { code } from "./valueText";

export interface PolicyViolation {
  policyPack: string;
  policy: string;
  /** mandatory (blocks the update), advisory (a warning), remediate, disabled. */
  enforcementLevel: string;
  /** `MarathonApp \`web\`` when the violation is about one resource. */
  where?: string;
  /** The policy's description, then what the rule found. */
  message: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function where(urn: unknown): string | undefined {
  if (typeof urn !== "string" || urn === "") return undefined;
  const type = urn.split("::")[2]?.split("$").pop() ?? "";
  return type && !isBookkeeping(type) ? `${typeShortName(type)} ${code(resourceName(urn))}` : undefined;
}

/** The violations of an event log (JSON lines), each once, mandatory first. */
export function readPolicyViolations(eventLog: string): PolicyViolation[] {
  const seen = new Set<string>();
  const found: PolicyViolation[] = [];
  for (const line of eventLog.split("\n")) {
    let event: unknown;
    try {
      event = JSON.parse(line);
    } catch {
      continue;
    }
    const e = isObject(event) && isObject(event.policyEvent) ? event.policyEvent : undefined;
    if (!e || typeof e.message !== "string" || typeof e.policyName !== "string") continue;
    const v: PolicyViolation = {
      policyPack: typeof e.policyPackName === "string" ? e.policyPackName : "",
      policy: e.policyName,
      enforcementLevel: typeof e.enforcementLevel === "string" ? e.enforcementLevel : "advisory",
      message: e.message.trim(),
      ...(where(e.resourceUrn) ? { where: where(e.resourceUrn) } : {}),
    };
    const key = JSON.stringify(v);
    if (!seen.has(key)) {
      seen.add(key);
      found.push(v);
    }
  }
  const rank = (v: PolicyViolation) => (v.enforcementLevel === "mandatory" ? 0 : 1);
  return found.sort((a, b) => rank(a) - rank(b));
}
