// `dcos-vnet adopt`: brings a running DC/OS cluster under a stack without redeploying anything.
// It reads the cluster (GETs only), writes the stack config and one JSON file per app and pod,
// then runs one `pulumi up` with `dcos-vnet:adopting: true`, in which every app and pod is
// recorded as Marathon has it and nothing is written to Marathon (dynamic providers cannot
// `import`: pulumi/pulumi#16175). Afterwards the key is removed: the next preview is empty.
//
// Credentials never go on the command line (shell history, process lists): the token comes from
// $DCOS_VNET_MARATHON_TOKEN or --token-file, the password from $DCOS_VNET_MARATHON_PASSWORD or
// --password-file, and they reach the stack config through `pulumi config set --secret` on stdin.
import * as fs from "fs";
import * as path from "path";
import { ParsedArgs, UsageError, requireFlag } from "./args";
import { ROOT, configValue, readStackFile, stackConfigFile, writeStackConfig } from "./stackFiles";
import { runPulumi } from "./pulumiRun";
import { existingOutputs, keepOutputs, projectPath, writeCodeProject, writeCodeProjectFile, writeDefinitions } from "./adoptFiles";
import { AdoptPreviewRefusal, runAdoptingUp } from "./adoptRun";
import { AdoptPlan, planAdoption } from "../core/adopt/adoptPlan";
import { differingFields } from "../core/adopt/compare";
import { ReportContext, renderAdoptReport, secretConfigPath } from "../core/adopt/report";
import { renderAdoptedProgram } from "../core/adopt/codeProgram";
import { credentialsOverHttp, insecureHttpReason } from "../core/marathon/connection";
import type { AppDefinition } from "../core/marathon/types";
import type { PodDefinition } from "../core/marathon/podTypes";

/** What a secret source's placeholder holds until the user sets the value (report, "Secrets"). */
const PLACEHOLDER = "adopted: set the value with pulumi config set --secret (see adopt-report.md)";

interface Credentials {
  token?: string;
  password?: string;
}

function credentials(args: ParsedArgs): Credentials {
  const read = (file: string | undefined) => (file === undefined ? undefined : fs.readFileSync(file, "utf8").trim());
  const token = read(args.flags["token-file"]) ?? process.env.DCOS_VNET_MARATHON_TOKEN;
  const password = read(args.flags["password-file"]) ?? process.env.DCOS_VNET_MARATHON_PASSWORD;
  if (password && !args.flags.uid) throw new UsageError("a password needs --uid (the DC/OS user it belongs to)");
  return { ...(token ? { token } : {}), ...(password ? { password } : {}) };
}

/** Compares a written file with Marathon's copy as the provider's diff will: its observed view of each. */
function roundTrip(kind: "app" | "pod", answer: Record<string, unknown>, written: Record<string, unknown>): string[] {
  const { observedOf, observedOfMarathon } = require("../backends/marathon/deployer") as typeof import("../backends/marathon/deployer");
  const { observedPodOf, observedPodOfMarathon } = require("../backends/marathon/podDeployer") as typeof import("../backends/marathon/podDeployer");
  const json = (v: object) => v as unknown as Record<string, unknown>;
  // A `/v2/pods/::status` entry wraps the definition in `spec`.
  const definition = (kind === "pod" && typeof answer.spec === "object" && answer.spec !== null ? answer.spec : answer) as Record<string, unknown>;
  if (kind === "pod") return differingFields(json(observedPodOfMarathon(definition)), json(observedPodOf(written as unknown as PodDefinition)));
  return differingFields(json(observedOfMarathon(answer)), json(observedOf(written as unknown as AppDefinition)));
}

export async function adopt(args: ParsedArgs): Promise<number> {
  const stack = requireFlag(args, "stack");
  const url = requireFlag(args, "url");
  if (!/^https?:\/\/[^/]+/.test(url)) throw new UsageError(`--url must be the cluster's http(s) URL, got ${url}`);
  const root = path.resolve(args.flags.root ?? ROOT);
  const outDir = path.resolve(root, args.flags.out ?? "marathon");
  const code = args.switches.code === true;
  // The program is a Pulumi project of its own: never written into this package's folder by default.
  if (code && !args.flags.root) throw new UsageError("--code writes a Pulumi program: give its project folder with --root DIR");
  const creds = credentials(args);
  const allowInsecureHttp = args.switches["allow-insecure-http"] === true;
  if (credentialsOverHttp(url, Boolean(creds.token || creds.password), allowInsecureHttp)) {
    throw new UsageError(insecureHttpReason("--allow-insecure-http"));
  }
  const existing = existingOutputs(stack, root, outDir, code);
  if (existing.length > 0 && !args.switches.force) {
    console.error(`dcos-vnet adopt: stack ${stack} was adopted already (or holds a cluster); nothing was read or written. Found:\n` +
      existing.map((e) => `  ${e}`).join("\n") + "\nRe-run with --force to overwrite them from the cluster as it is now.");
    return 1;
  }

  const caFile = args.flags["ca-bundle"];
  const { readCluster } = require("../backends/marathon/clusterReader") as typeof import("../backends/marathon/clusterReader");
  const snapshot = await readCluster({
    clusterUrl: url,
    token: creds.token,
    uid: args.flags.uid,
    password: creds.password,
    caBundle: caFile ? fs.readFileSync(caFile, "utf8") : undefined,
    insecureSkipVerify: args.switches.insecure === true,
  });
  const plan = planAdoption(snapshot, {
    url,
    uid: args.flags.uid,
    caBundleFile: caFile ? projectPath(root, caFile) : undefined,
    insecureSkipVerify: args.switches.insecure === true,
    allowInsecureHttp,
    outDir: projectPath(root, outDir),
    roundTrip,
  });

  // The stack first: a backend that cannot be reached leaves no files behind to refuse the next try.
  const unwriteProject = code ? writeCodeProjectFile(root) : () => undefined;
  try {
    await runPulumi(["stack", "select", "--create", stack], { root });
  } catch (err) {
    unwriteProject();
    throw err;
  }
  // What this adoption overwrites, put back if its preview finds that it would remove an app or pod.
  const kept = keepOutputs(stack, root, outDir);
  // --code: the program declares the cluster; the stack config holds only secrets (and adopting).
  if (code) writeCodeProject(root, renderAdoptedProgram(plan, { url, marathonVersion: snapshot.marathonVersion }));
  writeDefinitions(plan, outDir);
  if (!code) writeStackConfig(stack, plan.config, root);
  await setSecrets(stack, root, creds, plan);

  const context = (imported: boolean): ReportContext => ({
    stack, url, marathonVersion: snapshot.marathonVersion, configFile: projectPath(root, stackConfigFile(stack, root)),
    outDir: projectPath(root, outDir), imported, code, overlayUrl: snapshot.overlayUrl,
  });
  try {
    await runAdoptingUp(stack, root, kept.restore);
  } catch (err) {
    if (err instanceof AdoptPreviewRefusal) {
      console.error(`dcos-vnet adopt: ${err.message}`);
      return 1;
    }
    writeReport(plan, outDir, context(false));
    throw err;
  } finally {
    kept.drop();
  }
  writeReport(plan, outDir, context(true));
  return 0;
}

function writeReport(plan: AdoptPlan, outDir: string, ctx: ReportContext): void {
  const report = renderAdoptReport(plan, ctx);
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, "adopt-report.md"), report);
  console.log(report);
}

/**
 * The token or password, and a placeholder per secret source the stack has no value for (a value
 * the user set, before an adopt --force, stays), each with `pulumi config set --secret` (value on stdin).
 */
async function setSecrets(stack: string, root: string, creds: Credentials, plan: AdoptPlan): Promise<void> {
  const set = (key: string, value: string, asPath = false) =>
    runPulumi(["config", "set", "--secret", ...(asPath ? ["--path"] : []), key, "--stack", stack], { root, input: value });
  if (creds.token) await set("dcos-vnet:marathonToken", creds.token);
  if (creds.password) await set("dcos-vnet:marathonPassword", creds.password);
  const held = configValue(readStackFile(stack, root), "secrets");
  const has = (source: string) => typeof held === "object" && held !== null && Object.prototype.hasOwnProperty.call(held, source);
  for (const source of plan.secretSources) if (!has(source)) await set(secretConfigPath(source), PLACEHOLDER, true);
}
