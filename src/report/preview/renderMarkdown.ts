// `pulumi preview --json --diff` as a Markdown summary for a pull-request comment: what changes
// (table), what that means for agents' blocks and for apps, the inputs that change, and what a
// reviewer must not miss. Pure: JSON in, Markdown out; no secret value ever reaches the text.
import { isBookkeeping, Preview, PreviewStep, readPreview, readStateResources, resourceName, stepType, typeShortName } from "./previewJson";
import { changedFields } from "./fieldChanges";
import { allocationChange } from "./allocations";
import { agentAddressChange } from "./agentAddresses";
import { appChange } from "./appChanges";
import { networkWarnings, Problem, problems } from "./warnings";
import { code, tableCell, truncate, valueCode } from "./valueText";
import { PolicyViolation } from "./policyViolations";

export interface RenderOptions {
  stack: string;
  /**
   * The stack's state as `pulumi stack export` prints it, when at hand: the preview lists only
   * what changes, and the apps on a re-created network may not change themselves.
   */
  state?: unknown;
  /** Violations reported by the policy packs the preview ran with (readPolicyViolations). */
  policyViolations?: PolicyViolation[];
}

/** GitHub refuses comments over 65,536 characters; keep room for the workflow's own header. */
export const MAX_MARKDOWN_CHARS = 60_000;
/** An error longer than this is a stack trace: its start says what went wrong. */
const MAX_PROBLEM_CHARS = 4_000;

const OP_ORDER = ["create", "update", "replace", "delete"];

export function renderPreviewMarkdown(preview: unknown, opts: RenderOptions): string {
  const parsed = readPreview(preview);
  const steps = withoutReplacementHalves(parsed.steps).filter((s) => !isBookkeeping(stepType(s)));
  const changing = steps.filter((s) => s.op !== "same");
  const violations = opts.policyViolations ?? [];
  const blocking = violations.filter((v) => v.enforcementLevel === "mandatory");
  // With a mandatory violation the engine's only error is "preview failed": the violations say why.
  const found = problems(parsed.diagnostics).filter((p) => !(blocking.length > 0 && p.message === "preview failed"));
  const sections = [
    heading(opts.stack, parsed, found, blocking.length),
    policySection(violations),
    warningsSection(networkWarnings(steps, readStateResources(opts.state)), found),
    resourceTable(changing),
    allocationsSection(changing),
    appsSection(changing),
    inputsSection(changing),
  ].filter((s): s is string => s !== undefined);
  return fitComment(sections.join("\n\n") + "\n", opts.stack);
}

/** A replace may also be listed as its create-replacement and delete-replaced halves: keep the replace. */
function withoutReplacementHalves(steps: PreviewStep[]): PreviewStep[] {
  const replaced = new Set(steps.filter((s) => s.op === "replace").map((s) => s.urn));
  return steps.filter((s) => !((s.op === "create-replacement" || s.op === "delete-replaced") && replaced.has(s.urn)));
}

/**
 * Resources per op. Pulumi's changeSummary is the only count of unchanged resources (their steps
 * are not listed), but it counts the Stack too: take that out so the numbers match the table.
 */
function opCounts(preview: Preview): Record<string, number> {
  const counts: Record<string, number> = { ...preview.changeSummary };
  const fromSummary = Object.keys(counts).length > 0;
  for (const s of withoutReplacementHalves(preview.steps)) {
    const bookkeeping = isBookkeeping(stepType(s));
    if (fromSummary && bookkeeping) counts[s.op] = (counts[s.op] ?? 0) - 1;
    if (!fromSummary && !bookkeeping) counts[s.op] = (counts[s.op] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0));
}

function heading(stack: string, preview: Preview, found: Problem[], blockingViolations: number): string {
  const failed = found.some((p) => p.severity === "error") || blockingViolations > 0;
  const counts = opCounts(preview);
  const ops = Object.keys(counts)
    .filter((op) => op !== "same")
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const parts = ops.map((op) => `${counts[op]} to ${op}`);
  if (counts.same) parts.push(`${counts.same} unchanged`);
  const planned = parts.length > 0 ? parts.join(", ") : "nothing";
  if (failed) {
    return [
      `## Pulumi preview of stack ${code(stack)}: failed`,
      "",
      found.some((p) => p.severity === "error")
        ? `**The preview stopped at the errors below.** Planned before them: ${planned}.`
        : `**${blockingViolations} mandatory policy ${blockingViolations === 1 ? "violation blocks" : "violations block"} this change** (below). Planned: ${planned}.`,
    ].join("\n");
  }
  const summary = ops.length === 0 ? `**No changes**${counts.same ? ` (${counts.same} unchanged)` : ""}` : `**${planned}**`;
  return [`## Pulumi preview of stack ${code(stack)}`, "", summary].join("\n");
}

const rank = (op: string) => (OP_ORDER.includes(op) ? OP_ORDER.indexOf(op) : OP_ORDER.length);

function warningsSection(networkLines: string[], found: Problem[]): string | undefined {
  if (networkLines.length === 0 && found.length === 0) return undefined;
  const lines = ["### Warnings", ""];
  for (const w of networkLines) lines.push(`- ${w}`);
  if (networkLines.length > 0 && found.length > 0) lines.push("");
  found.forEach((p, i) => {
    if (i > 0) lines.push("");
    lines.push(`**${p.severity}**${p.where ? ` in ${p.where}` : ""}:`, fenced(truncate(p.message, MAX_PROBLEM_CHARS)));
  });
  return lines.join("\n");
}

/** One line per violation: level, policy, resource, and what the rule found (its description first). */
function policySection(violations: PolicyViolation[]): string | undefined {
  if (violations.length === 0) return undefined;
  const lines = ["### Policy violations", ""];
  for (const v of violations) {
    const [description, ...found] = v.message.split("\n").filter((l) => l.trim() !== "");
    const text = found.length > 0 ? found.join(" ") : description;
    const policy = v.policyPack ? `${v.policyPack}/${v.policy}` : v.policy;
    lines.push(`- **${v.enforcementLevel}** ${code(policy)}${v.where ? ` on ${v.where}` : ""}: ${inlineText(truncate(text, MAX_PROBLEM_CHARS))}`);
  }
  return lines.join("\n");
}

/** Text another program wrote, shown as plain text in a Markdown line (no emphasis, links or HTML). */
function inlineText(text: string): string {
  // A run of white space with a line break in it becomes one space. (`\s*\n\s*` read a long run of
  // spaces without one again from each of its characters: quadratic.)
  return text.replace(/\s+/g, (run) => (run.includes("\n") ? " " : run)).replace(/[\\`*_[\]<>|#~]/g, "\\$&");
}

/** A code block whose fence no line of the text can close. */
function fenced(text: string): string {
  const longest = Math.max(2, ...(text.match(/`{3,}/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  return `${fence}text\n${text}\n${fence}`;
}

function resourceTable(changing: PreviewStep[]): string | undefined {
  if (changing.length === 0) return undefined;
  const rows = changing.map((s) => `| ${tableCell(typeShortName(stepType(s)))} | ${tableCell(code(resourceName(s.urn)))} | ${s.op} |`);
  return ["| resource | name | op |", "|---|---|---|", ...rows].join("\n");
}

/** What `describe` says of each changing resource of one type (resources it has nothing to say of dropped). */
function changesOfType<T>(changing: PreviewStep[], type: string, describe: (s: PreviewStep) => T | undefined): T[] {
  return changing
    .filter((s) => typeShortName(stepType(s)) === type)
    .map(describe)
    .filter((c): c is T => c !== undefined);
}

function allocationsSection(changing: PreviewStep[]): string | undefined {
  const changes = changesOfType(changing, "VirtualNetwork", allocationChange);
  const agents = changesOfType(changing, "LocalAgents", agentAddressChange);
  if (changes.length === 0 && agents.length === 0) return undefined;
  const blocks = [
    ...changes.map((c) => `Virtual network ${code(c.network)}:\n\n\`\`\`diff\n${c.lines.join("\n")}\n\`\`\``),
    ...agents.map((c) => `Agents on the host network ${code(c.subnet)}:\n\n\`\`\`diff\n${c.lines.join("\n")}\n\`\`\``),
  ];
  return ["### Allocations", ...blocks].join("\n\n");
}

function appsSection(changing: PreviewStep[]): string | undefined {
  const changes = changesOfType(changing, "MarathonApp", appChange);
  if (changes.length === 0) return undefined;
  return ["### Apps", "", ...changes.map((c) => `- ${code(c.appId)} (${c.op}): ${c.details.join("; ")}`)].join("\n");
}

function inputsSection(changing: PreviewStep[]): string | undefined {
  const blocks = changing.filter((s) => s.op === "update" || s.op === "replace").map(inputChanges);
  if (blocks.length === 0) return undefined;
  return ["### Changed inputs", ...blocks].join("\n\n");
}

function inputChanges(step: PreviewStep): string {
  const type = typeShortName(stepType(step));
  const why = step.op === "replace" && step.replaceReasons.length > 0
    ? `, because ${step.replaceReasons.map(code).join(", ")} changed`
    : "";
  const title = `**${type} ${code(resourceName(step.urn))}**: ${step.op}${why}`;
  const fields = changedFields(type, step.oldState?.inputs ?? {}, step.newState?.inputs ?? {});
  const lines = fields.map((f) =>
    f.values ? `- ${code(f.path)}: ${valueCode(f.values.old)} → ${valueCode(f.values.new)}` : `- ${code(f.path)}: ${f.note}`,
  );
  if (lines.length === 0) {
    // Masked secrets compare equal, and a refresh can change outputs only: say so rather than nothing.
    const reported = step.diffReasons.length > 0 ? ` (the provider names ${step.diffReasons.map(code).join(", ")})` : "";
    lines.push(`- no input change to show${reported}: a secret value, or state read by refresh, differs`);
  }
  return [title, ...lines].join("\n");
}

/** Cuts at a line boundary so the comment can still be posted, and says how to see the rest. */
function fitComment(markdown: string, stack: string): string {
  if (markdown.length <= MAX_MARKDOWN_CHARS) return markdown;
  const cut = markdown.lastIndexOf("\n", MAX_MARKDOWN_CHARS - 300);
  const openFence = (markdown.slice(0, cut).match(/^```/gm) ?? []).length % 2 === 1 ? "\n```" : "";
  return `${markdown.slice(0, cut)}${openFence}\n\n… cut to fit a pull-request comment; run \`npm run preview:md -- --stack ${stack}\` for all of it.\n`;
}
