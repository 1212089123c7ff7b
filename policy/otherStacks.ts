// The other stacks' networks, read from the state backend with the Pulumi CLI (the pack runs with
// the CLI's environment: the same backend, login and passphrase). A stack reference cannot be made
// from a policy pack (it would be a resource); `pulumi stack export` reads the same state, and
// also shows which networks a stack shares rather than owns.
import { execFile } from "child_process";
import { promisify } from "util";
import { DeclaredResource } from "./resources";

const run = promisify(execFile);

export interface StackResources {
  /** As `pulumi stack ls` names it (fully qualified for another project). */
  stack: string;
  resources: DeclaredResource[];
}

async function pulumi(args: string[]): Promise<string> {
  try {
    const { stdout } = await run("pulumi", [...args, "--non-interactive"], { maxBuffer: 256 * 2 ** 20 });
    return stdout;
  } catch (err) {
    const e = err as { stderr?: string; message: string; code?: string };
    const why = e.code === "ENOENT" ? "the pulumi CLI is not on PATH" : (e.stderr || e.message).trim();
    throw new Error(`pulumi ${args.join(" ")}: ${why}`);
  }
}

/** The project's stacks in the backend (`pulumi stack ls --project`), by name. */
export async function projectStacks(project: string): Promise<string[]> {
  const listed = JSON.parse(await pulumi(["stack", "ls", "--project", project, "--json"])) as Array<{ name: string }>;
  return listed.map((s) => s.name);
}

/** One stack's resources as its last update left them (secrets stay encrypted). */
export async function stackResources(stack: string): Promise<StackResources> {
  const exported = JSON.parse(await pulumi(["stack", "export", "--stack", stack]));
  const resources = (exported?.deployment?.resources ?? []) as Array<Record<string, any>>;
  return {
    stack,
    resources: resources
      .filter((r) => typeof r.urn === "string" && typeof r.type === "string" && r.delete !== true)
      .map((r) => ({ type: r.type, urn: r.urn, name: String(r.urn).split("::").pop()!, props: r.inputs ?? {} })),
  };
}

/** The last part of a stack name: `dev` of `organization/dcos-vnet/dev`. */
export const shortName = (stack: string) => stack.split("/").pop()!;

/**
 * The stacks to compare with: `names` when the policy config gives them, else every other stack
 * of the project. The stack being checked is left out (its declaration is what is checked).
 */
export async function otherStacks(project: string, current: string, names?: string[]): Promise<StackResources[]> {
  const isCurrent = (s: string) => s === current || s.endsWith(`/${project}/${current}`);
  const stacks = names && names.length > 0 ? names : await projectStacks(project);
  return Promise.all(stacks.filter((s) => !isCurrent(s)).map(stackResources));
}
