// Throwaway stacks of this project driven through the Automation API with the real Pulumi CLI,
// each on its own temporary file backend.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as yaml from "js-yaml";
import { LocalWorkspace, PulumiCommand, Stack } from "@pulumi/pulumi/automation";
import { execFile, execFileSync } from "child_process";
import { promisify } from "util";
import { PROJECT, ROOT, TOOLS_BIN } from "./paths";
import { countPulumiCommand } from "./testTimes";
import { pulumiEnded, pulumiOutput, pulumiStarted } from "./pulumiRuns";
import { destroyTestStack } from "./stackCleanup";

const execFileAsync = promisify(execFile);

const PINNED_VERSION: string = require(path.join(ROOT, "package.json")).devDependencies["@pulumi/pulumi"];

let built = false;

// Every command the Automation API runs goes through PulumiCommand's run method (public in its
// JavaScript, absent from its typings): wrapped to count them for the per-file timing table
// (testTimes.ts) and to keep their output for the report of a failing test (pulumiRuns.ts). The
// output callbacks are passed on; nothing else about the call changes.
type OutputCallback = (data: string) => void;
const commandPrototype = PulumiCommand.prototype as unknown as { run: (...args: unknown[]) => Promise<{ code: number }> };
const runCommand = commandPrototype.run;
commandPrototype.run = function (this: unknown, ...args: unknown[]) {
  const [commandArgs, cwd, env, onOutput, onError, ...rest] = args;
  countPulumiCommand(commandArgs as string[]);
  const record = pulumiStarted(commandArgs as string[]);
  const tee = (stream: "stdout" | "stderr", callback: unknown) => (data: string) => {
    pulumiOutput(record, stream, data);
    if (typeof callback === "function") (callback as OutputCallback)(data);
  };
  return runCommand.call(this, commandArgs, cwd, env, tee("stdout", onOutput), tee("stderr", onError), ...rest).then(
    (result) => {
      pulumiEnded(record, result.code);
      return result;
    },
    (err: unknown) => {
      pulumiEnded(record, exitCodeOf(err), err);
      throw err;
    },
  );
};

// After up, refresh and destroy the Automation API reads the update's summary with `stack history
// --show-secrets` unless the call passed showSecrets: false. Showing secrets makes the CLI derive
// the passphrase key (PBKDF2, about 0.2 s of CPU) once more per operation, and no test reads the
// summary's config, so the summary is read without them unless a test asks (showSecrets: true).
const stackPrototype = Stack.prototype as unknown as { info: (showSecrets?: boolean) => Promise<unknown> };
const readSummary = stackPrototype.info;
stackPrototype.info = function (this: Stack, showSecrets?: boolean) {
  return readSummary.call(this, showSecrets ?? false);
};

/**
 * The CLI's exit code in a CommandError: the Automation API reports a failed command with code -2
 * and the process error (execa's, with exitCode) or a first CommandError inside.
 */
function exitCodeOf(err: unknown): number {
  let result = (err as { commandResult?: { code?: number; err?: unknown } }).commandResult;
  for (let depth = 0; result?.code === -2 && depth < 3; depth++) {
    const inner = result.err as { exitCode?: number; commandResult?: { code?: number; err?: unknown } } | undefined;
    if (typeof inner?.exitCode === "number") return inner.exitCode;
    result = inner?.commandResult;
  }
  return typeof result?.code === "number" ? result.code : -1;
}

/**
 * Fails (never skips) when the Pulumi CLI built by setup is missing or at another version. Also
 * brings dist/ and its installed copy up to date (scripts/build.sh, a no-op when nothing changed):
 * the stacks run the compiled package.
 */
export async function requirePulumi(toolsRoot = path.dirname(TOOLS_BIN)): Promise<PulumiCommand> {
  if (!built) {
    execFileSync("bash", [path.join(ROOT, "scripts", "build.sh")], { stdio: "inherit" });
    built = true;
  }
  // PulumiCommand.get runs `pulumi version` (about 0.25 s of CPU) each time, and every test stack
  // asks: a usable CLI is checked once per worker and tools folder. A failed check is not kept.
  let usable = usableClis.get(toolsRoot);
  if (!usable) {
    usable = checkedCli(toolsRoot);
    usableClis.set(toolsRoot, usable);
    usable.catch(() => usableClis.delete(toolsRoot));
  }
  return usable;
}

const usableClis = new Map<string, Promise<PulumiCommand>>();

async function checkedCli(toolsRoot: string): Promise<PulumiCommand> {
  let cmd: PulumiCommand;
  try {
    cmd = await PulumiCommand.get({ root: toolsRoot });
  } catch (err) {
    throw new Error(
      `These tests need the Pulumi CLI in ${toolsRoot}/bin and it is not usable (${(err as Error).message}). ` +
        "Run `npm run setup` to build it.",
    );
  }
  // setup uses a pulumi at the SDK's version or newer (scripts/pulumi-toolchain.sh).
  if (!cmd.version || cmd.version.compare(PINNED_VERSION) < 0) {
    throw new Error(`Pulumi CLI is ${cmd.version?.version}, older than the SDK's ${PINNED_VERSION}; run npm run setup`);
  }
  return cmd;
}

export type StackConfig = Record<string, unknown>;

export interface TestStack {
  name: string;
  stack: Stack;
  backendDir: string;
  /** Environment for running the CLI on this stack by hand (PATH, backend, passphrase). */
  env: Record<string, string>;
  /** Runs the real `pulumi` CLI on this stack (same backend and passphrase); resolves to stdout. */
  cli(args: string[]): Promise<string>;
  /** Replaces the stack's project config (keys without the `dcos-vnet:` prefix). */
  setConfig(config: StackConfig): void;
  /**
   * Encrypts a value with this stack's passphrase the way `pulumi config set --secret` does, and
   * returns what the config file stores (`{secure: …}`), to put into setConfig's objects.
   */
  secret(value: string): Promise<unknown>;
  /** Destroys what is left, removes the stack, its config file and its backend. */
  dispose(): Promise<void>;
}

export function uniqueSuffix(): string {
  return `${process.pid.toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

export async function createTestStack(label: string, config: StackConfig): Promise<TestStack> {
  const pulumiCommand = await requirePulumi();
  const name = `t-${label}-${uniqueSuffix()}`;
  const configFile = path.join(ROOT, `Pulumi.${name}.yaml`);
  const backendDir = fs.mkdtempSync(path.join(os.tmpdir(), "dcos-vnet-state-"));
  const envVars = {
    PATH: `${TOOLS_BIN}:${process.env.PATH}`,
    PULUMI_BACKEND_URL: `file://${backendDir}`,
    PULUMI_CONFIG_PASSPHRASE: "dcos-vnet-test",
    PULUMI_SKIP_UPDATE_CHECK: "true",
  };
  const setConfig = (cfg: StackConfig) => {
    const current = fs.existsSync(configFile) ? ((yaml.load(fs.readFileSync(configFile, "utf8")) as any) ?? {}) : {};
    const prefixed = Object.fromEntries(Object.entries(cfg).map(([k, v]) => [`${PROJECT}:${k}`, v]));
    fs.writeFileSync(configFile, yaml.dump({ ...current, config: prefixed }));
  };
  setConfig(config);
  const workspace = await LocalWorkspace.create({ workDir: ROOT, pulumiCommand, envVars });
  const stack = await Stack.createOrSelect(name, workspace);
  const cli = async (args: string[]) => {
    countPulumiCommand(args);
    const fullArgs = [...args, "--stack", name, "--non-interactive"];
    const record = pulumiStarted(fullArgs);
    try {
      const { stdout, stderr } = await execFileAsync(path.join(TOOLS_BIN, "pulumi"), fullArgs, {
        cwd: ROOT,
        env: { ...process.env, ...envVars },
        maxBuffer: 64 * 2 ** 20,
      });
      pulumiOutput(record, "stdout", stdout);
      pulumiOutput(record, "stderr", stderr);
      pulumiEnded(record, 0);
      return stdout;
    } catch (err) {
      const e = err as { code?: unknown; stdout?: string; stderr?: string };
      pulumiOutput(record, "stdout", e.stdout ?? "");
      pulumiOutput(record, "stderr", e.stderr ?? "");
      pulumiEnded(record, typeof e.code === "number" ? e.code : -1, err);
      throw err;
    }
  };
  const secret = async (value: string) => {
    const saved = fs.readFileSync(configFile, "utf8");
    await cli(["config", "set", "--secret", `${PROJECT}:scratch-secret`, value]);
    const stored = (yaml.load(fs.readFileSync(configFile, "utf8")) as any).config[`${PROJECT}:scratch-secret`];
    const salt = (yaml.load(fs.readFileSync(configFile, "utf8")) as any).encryptionsalt;
    const restored = yaml.load(saved) as any;
    fs.writeFileSync(configFile, yaml.dump({ ...restored, encryptionsalt: salt }));
    return stored;
  };
  return {
    name,
    stack,
    backendDir,
    env: envVars,
    cli,
    secret,
    setConfig,
    async dispose() {
      try {
        await destroyTestStack(name, stack, () => cli(["destroy", "--yes", "--skip-preview", "--remove"]));
      } finally {
        fs.rmSync(configFile, { force: true });
        fs.rmSync(backendDir, { recursive: true, force: true });
      }
    },
  };
}

/**
 * Resources of a given type in the stack's state. (The Automation API's exportStack decrypts
 * secrets: use `t.cli(["stack", "export"])` to see the state as stored.)
 */
export async function resourcesOfType(stack: Stack, typeSuffix: string): Promise<any[]> {
  const state = await stack.exportStack();
  return (state.deployment.resources ?? []).filter((r: any) => String(r.type).endsWith(typeSuffix));
}

/** Operation per resource, as the engine reported it: e.g. { "LocalDockerNetwork::dcos-1": "create" }. */
export type Ops = Record<string, string>;

/** Event callback collecting each resource's step op; pass `ops.onEvent` to preview/up/refresh/destroy. */
export function opsRecorder(): { ops: Ops; onEvent: (e: any) => void } {
  const ops: Ops = {};
  const onEvent = (e: any) => {
    const meta = e.resourcePreEvent?.metadata;
    if (!meta || meta.type === "pulumi:pulumi:Stack") return;
    // A replacement is reported as replace + create-replacement + delete-replaced: keep "replace".
    if (meta.op === "create-replacement" || meta.op === "delete-replaced") return;
    const type = String(meta.type).split(":").pop();
    const name = String(meta.urn).split("::").pop();
    ops[`${type}::${name}`] = meta.op;
  };
  return { ops, onEvent };
}

/**
 * One of the project's real stacks (dev, marketing, prod) with its committed Pulumi.<stack>.yaml,
 * but state in a temporary backend, so a test never touches the user's own state.
 */
export async function openProjectStack(name: string): Promise<{ stack: Stack; dispose(): Promise<void> }> {
  const pulumiCommand = await requirePulumi();
  const backendDir = fs.mkdtempSync(path.join(os.tmpdir(), "dcos-vnet-state-"));
  const envVars = {
    PATH: `${TOOLS_BIN}:${process.env.PATH}`,
    PULUMI_BACKEND_URL: `file://${backendDir}`,
    PULUMI_CONFIG_PASSPHRASE: "dcos-vnet-local", // the committed encryptionsalt's passphrase
    PULUMI_SKIP_UPDATE_CHECK: "true",
  };
  const workspace = await LocalWorkspace.create({ workDir: ROOT, pulumiCommand, envVars });
  const stack = await Stack.createOrSelect(name, workspace);
  return {
    stack,
    async dispose() {
      try {
        await destroyTestStack(name, stack);
      } finally {
        fs.rmSync(backendDir, { recursive: true, force: true });
      }
    },
  };
}
