// `dcos-vnet preview-md --stack NAME [--policy-pack DIR [--policy-pack-config FILE]]`: the stack's
// real `pulumi preview`, as Markdown for a pull-request comment (rendered by src/report/preview),
// with the violations of the policy packs it ran with. Exit 0 when the preview succeeded, 1 when it
// failed (a mandatory policy violated, too); either way stdout holds the Markdown.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ParsedArgs, UsageError, requireFlag } from "./args";
import { pulumi } from "./stackFiles";
import { PolicyViolation, readPolicyViolations, renderPreviewMarkdown } from "../report/preview";

interface PreviewRun {
  ok: boolean;
  /** What `--json` printed: the preview's JSON, even when the preview failed. */
  stdout: string;
  stderr: string;
  /** Reported by policy packs (given with --policy-pack, or required by the backend's organisation). */
  policyViolations: PolicyViolation[];
}

/** `--policy-pack DIR` and `--policy-pack-config FILE`, as `pulumi preview` takes them. */
function policyArgs(args: ParsedArgs): string[] {
  const pack = args.flags["policy-pack"];
  const config = args.flags["policy-pack-config"];
  if (config && !pack) throw new UsageError("--policy-pack-config needs --policy-pack");
  return [...(pack ? ["--policy-pack", path.resolve(pack)] : []), ...(config ? ["--policy-pack-config", path.resolve(config)] : [])];
}

async function runPreview(stack: string, policy: string[]): Promise<PreviewRun> {
  // Policy violations are engine events, which `--json` leaves out: the event log has them. The
  // CLI offers --event-log with PULUMI_DEBUG_COMMANDS set (as the Automation API does).
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), "dcos-vnet-preview-"));
  const eventLog = path.join(logDir, "events.jsonl");
  process.env.PULUMI_DEBUG_COMMANDS = "true";
  const violations = () => readPolicyViolations(fs.existsSync(eventLog) ? fs.readFileSync(eventLog, "utf8") : "");
  try {
    const stdout = await pulumi(["preview", "--json", "--diff", "--stack", stack, "--non-interactive", "--event-log", eventLog, ...policy]);
    return { ok: true, stdout, stderr: "", policyViolations: violations() };
  } catch (err) {
    // execFile's error carries the output of the failed run: with --json the JSON is on stdout.
    const e = err as { stdout?: string; stderr?: string; message?: string };
    return { ok: false, stdout: e.stdout ?? "", stderr: e.stderr || e.message || String(err), policyViolations: violations() };
  } finally {
    fs.rmSync(logDir, { recursive: true, force: true });
  }
}

/**
 * The stack's state (secrets stay encrypted in an export), for the apps the preview does not list
 * because they do not change; without it (no such stack yet …) the summary uses the preview alone.
 */
async function exportedState(stack: string): Promise<unknown> {
  try {
    return JSON.parse(await pulumi(["stack", "export", "--stack", stack, "--non-interactive"]));
  } catch {
    return undefined;
  }
}

/**
 * The preview's JSON; when the CLI failed before printing any (unknown stack, no backend …), a
 * preview holding only its error, so the comment still says what went wrong.
 */
function previewJson(run: PreviewRun): { json: unknown; parsed: boolean } {
  try {
    return { json: JSON.parse(run.stdout), parsed: true };
  } catch {
    const message = run.stderr.trim() || run.stdout.trim() || "pulumi preview printed no JSON";
    return { json: { diagnostics: [{ severity: "error", message }] }, parsed: false };
  }
}

export async function previewMd(args: ParsedArgs): Promise<number> {
  const stack = requireFlag(args, "stack");
  const policy = policyArgs(args);
  const state = await exportedState(stack);
  const run = await runPreview(stack, policy);
  if (run.stderr) process.stderr.write(run.stderr.endsWith("\n") ? run.stderr : `${run.stderr}\n`);
  const { json, parsed } = previewJson(run);
  process.stdout.write(renderPreviewMarkdown(json, { stack, state, policyViolations: run.policyViolations }));
  return run.ok && parsed ? 0 : 1;
}
