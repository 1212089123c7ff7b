// adopt's report (printed, and written as adopt-report.md beside the files): what was read, what
// was written, every item this project cannot express yet (left untouched in Marathon), and the
// commands that set the secret sources' values. Never contains a secret value.
import type { AdoptPlan } from "./adoptPlan";

/** The `--path` of a secret source in the stack config: `secrets.db-password`, `secrets["/db/password"]`. */
export function secretConfigPath(source: string): string {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(source) ? `dcos-vnet:secrets.${source}` : `dcos-vnet:secrets[${JSON.stringify(source)}]`;
}

/**
 * The exact command that sets a secret source's value. The value is not on the command line (shell
 * history, process lists): \`pulumi config set\` without a value prompts for it at a terminal
 * (hidden) and reads it from stdin otherwise, as adopt itself sets the token.
 */
export function secretCommand(source: string, stack: string): string {
  return `pulumi config set --secret --path '${secretConfigPath(source)}' --stack ${stack}`;
}

export interface ReportContext {
  stack: string;
  url: string;
  marathonVersion?: string;
  /** The config file and the out folder, as written. */
  configFile: string;
  outDir: string;
  /** Whether the stack was brought into the state (false: only files were written). */
  imported: boolean;
  /** --code: the cluster is declared in index.ts; the config file holds only secrets. */
  code?: boolean;
  /** The overlay master's URL, named when the cluster serves none. */
  overlayUrl?: string;
}

export function renderAdoptReport(plan: AdoptPlan, ctx: ReportContext): string {
  const adopted = plan.files.filter((f) => f.adopted);
  const left = plan.files.filter((f) => !f.adopted);
  const count = (kind: string, list = adopted) => list.filter((f) => f.kind === kind).length;
  const lines = [
    `# Adopted cluster ${ctx.url} into stack ${ctx.stack}`,
    "",
    `Marathon ${ctx.marathonVersion ?? "(version not reported by /v2/info: defaults that depend on it were kept)"}; ` +
      `${plan.master?.agents.length ?? 0} agent(s), ${plan.config.networks.length} overlay(s), ` +
      `${count("app")} app(s) and ${count("pod")} pod(s) adopted, ${left.length} left out.`,
    "",
    "## Written",
    "",
    ctx.code
      ? `- index.ts: a DcosCluster declaring the agents as the overlay master knows them, the networks, the VTEP, the Marathon target, apps and pods; ${ctx.configFile}: the secrets`
      : `- ${ctx.configFile}: dcos-vnet:cluster (target marathon, the agents as the overlay master knows them), networks, vtep, marathon, apps, pods`,
    `- ${ctx.outDir}/apps/, ${ctx.outDir}/pods/: one Marathon JSON file per app and pod`,
    ...(left.length > 0 ? [`- ${ctx.outDir}/not-adopted/: the definitions of what was left out, for reference (not in the stack)`] : []),
    ...(plan.master
      ? []
      : [`- no networks, agents or VTEP: the cluster has no overlay master (${ctx.overlayUrl ?? "/mesos/overlay-master/state"} answered 404: ` +
        "overlay networking is off, or Marathon runs outside DC/OS), so it has no virtual networks to adopt"]),
    ctx.imported
      ? "- the stack's state: every adopted app and pod recorded as Marathon has it, with no write to Marathon"
      : "- the stack's state: partially imported (adopt's run stopped: what it recorded before stays in the state, with no " +
        "write to Marathon; the rest is not in it yet); re-run with --force (`dcos-vnet adopt --force`, same flags)",
    "",
    "## Not adopted: left untouched",
    "",
  ];
  if (plan.unsupported.length === 0) lines.push("Nothing: every app and pod is in the stack.");
  else {
    lines.push(
      "This project cannot express these yet. The app or pod holding them is not in the stack: Marathon keeps",
      "running it exactly as it is, and no `pulumi up` or `destroy` of this stack touches it.",
      "",
    );
    for (const u of plan.unsupported) lines.push(`- ${u.kind} ${u.id}: \`${u.path}\`: ${u.reason}`);
  }
  lines.push("", "## Secrets", "");
  if (plan.secretSources.length === 0) lines.push("No adopted app or pod references a secret source.");
  else {
    lines.push(
      "The adopted apps reference these DC/OS secret sources. Marathon resolves them from DC/OS's secret store on the",
      "cluster; the stack holds a placeholder for each (encrypted), which only a local run of the stack reads. Set the",
      "real values with these commands; each prompts for the value (hidden) at a terminal, or reads it from stdin",
      "(`printf %s \"$VALUE\" | pulumi config set …`), so that it is in no shell history or process list:",
      "",
      "```sh",
      ...plan.secretSources.map((s) => secretCommand(s, ctx.stack)),
      "```",
    );
  }
  return lines.join("\n") + "\n";
}
