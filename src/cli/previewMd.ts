// `dcos-vnet preview-md --stack NAME`: the stack's real `pulumi preview`, as Markdown for a
// pull-request comment (rendered by src/report/preview). Exit 0 when the preview succeeded, 1 when
// it failed; either way stdout holds the Markdown, listing the errors of a failed preview.
import { ParsedArgs, requireFlag } from "./args";
import { pulumi } from "./stackFiles";
import { renderPreviewMarkdown } from "../report/preview";

interface PreviewRun {
  ok: boolean;
  /** What `--json` printed: the preview's JSON, even when the preview failed. */
  stdout: string;
  stderr: string;
}

async function runPreview(stack: string): Promise<PreviewRun> {
  try {
    const stdout = await pulumi(["preview", "--json", "--diff", "--stack", stack, "--non-interactive"]);
    return { ok: true, stdout, stderr: "" };
  } catch (err) {
    // execFile's error carries the output of the failed run: with --json the JSON is on stdout.
    const e = err as { stdout?: string; stderr?: string; message?: string };
    return { ok: false, stdout: e.stdout ?? "", stderr: e.stderr || e.message || String(err) };
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
  const state = await exportedState(stack);
  const run = await runPreview(stack);
  if (run.stderr) process.stderr.write(run.stderr.endsWith("\n") ? run.stderr : `${run.stderr}\n`);
  const { json, parsed } = previewJson(run);
  process.stdout.write(renderPreviewMarkdown(json, { stack, state }));
  return run.ok && parsed ? 0 : 1;
}
