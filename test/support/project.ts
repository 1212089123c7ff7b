// Pulumi projects outside this checkout, for the package's own promises: a user's program that
// installs the packed tarball, a copy of this project moved elsewhere, and the previous release's
// program. Each lives in its own temporary directory with its own file backend.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { execFileSync } from "child_process";
import { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import { ROOT, TOOLS_BIN } from "./paths";
import { requirePulumi } from "./pulumi";

let tarball: string | undefined;

/** `npm pack` of this checkout (prepack builds dist/), once per test run. */
export function packPackage(): string {
  if (tarball && fs.existsSync(tarball)) return tarball;
  const dest = fs.mkdtempSync(path.join(os.tmpdir(), "dcos-vnet-pack-"));
  // The tarball serves the whole run; it goes with the process (a run used to leave one behind).
  process.on("exit", () => fs.rmSync(dest, { recursive: true, force: true }));
  const out = execFileSync("npm", ["pack", "--json", "--pack-destination", dest], { cwd: ROOT, encoding: "utf8" });
  const info = JSON.parse(out.slice(out.indexOf("[")))[0];
  tarball = path.join(dest, info.filename);
  return tarball;
}

/** Files of the tarball, as `npm pack --dry-run` lists them. */
export function packedFiles(): string[] {
  const out = execFileSync("npm", ["pack", "--dry-run", "--json"], { cwd: ROOT, encoding: "utf8" });
  return JSON.parse(out.slice(out.indexOf("[")))[0].files.map((f: { path: string }) => f.path);
}

export function tempDir(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `dcos-vnet-${label}-`));
}

/** Environment for the real CLI on a stack of a project outside the checkout. */
export function cliEnv(backendDir: string): Record<string, string> {
  return {
    PATH: `${TOOLS_BIN}:${process.env.PATH}`,
    PULUMI_BACKEND_URL: `file://${backendDir}`,
    PULUMI_CONFIG_PASSPHRASE: "dcos-vnet-test",
    PULUMI_SKIP_UPDATE_CHECK: "true",
  };
}

/** The stack `name` of the project in `workDir`, created if needed, on `backendDir`. */
export async function stackIn(workDir: string, name: string, backendDir: string, extraEnv: Record<string, string> = {}): Promise<Stack> {
  const pulumiCommand = await requirePulumi();
  const workspace = await LocalWorkspace.create({ workDir, pulumiCommand, envVars: { ...cliEnv(backendDir), ...extraEnv } });
  return Stack.createOrSelect(name, workspace);
}

/** This project's tracked files, its built dist/ and its node_modules, copied to `dest`. */
export function copyCheckout(dest: string): void {
  const tracked = execFileSync("git", ["ls-files", "-z"], { cwd: ROOT, encoding: "utf8" }).split("\0").filter(Boolean);
  for (const file of tracked) {
    if (!fs.existsSync(path.join(ROOT, file))) continue;
    fs.mkdirSync(path.dirname(path.join(dest, file)), { recursive: true });
    fs.copyFileSync(path.join(ROOT, file), path.join(dest, file));
  }
  execFileSync("cp", ["-a", path.join(ROOT, "node_modules"), path.join(ROOT, "dist"), dest]);
}

/** Writes a stack's config file (keys under the dcos-vnet: namespace) into a project directory. */
/** The repository's files at commit `rev`, written into `dir` (`git archive`: this checkout is untouched). */
export function extractRevision(rev: string, dir: string): void {
  const archive = execFileSync("git", ["archive", "--format=tar", rev], { cwd: ROOT, maxBuffer: 256 * 2 ** 20 });
  execFileSync("tar", ["-x", "-C", dir], { input: archive });
}

/**
 * The package as it was at commit `rev`, built in a project directory of its own (returned) whose
 * node_modules links to this checkout's, except for the package itself: an old release's program.
 */
export function oldRelease(rev: string, label: string): string {
  const dir = tempDir(label);
  extractRevision(rev, dir);
  fs.mkdirSync(path.join(dir, "node_modules"));
  for (const entry of fs.readdirSync(path.join(ROOT, "node_modules"))) {
    if (entry !== "pulumi-dcos-vnet") fs.symlinkSync(path.join(ROOT, "node_modules", entry), path.join(dir, "node_modules", entry));
  }
  execFileSync("bash", [path.join(dir, "scripts/build.sh"), "--force"], { cwd: dir, stdio: "ignore" });
  return dir;
}

/** An upgrade test's end: its stack destroyed, its config in this checkout and its directories removed. */
export async function disposeUpgrade(current: Stack | undefined, name: string, dirs: Array<string | undefined>): Promise<void> {
  try {
    if (current) await current.destroy();
  } finally {
    fs.rmSync(path.join(ROOT, `Pulumi.${name}.yaml`), { force: true });
    for (const d of dirs) if (d) fs.rmSync(d, { recursive: true, force: true });
  }
}

export function writeStackConfig(dir: string, stack: string, config: Record<string, unknown>): void {
  const lines = [`config:`, ...Object.entries(config).map(([k, v]) => `  dcos-vnet:${k}: ${JSON.stringify(v)}`)];
  fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), lines.join("\n") + "\n");
}

/** `__provider` of each custom resource in a stack's state, by type suffix and name. */
export async function providersInState(stack: Stack): Promise<Array<{ name: string; type: string; provider: string }>> {
  const state = await stack.exportStack();
  return (state.deployment.resources ?? [])
    .filter((r: any) => r.outputs?.__provider)
    .map((r: any) => ({ name: String(r.urn).split("::").pop()!, type: String(r.type), provider: String(r.outputs.__provider) }));
}

/** main before the transport hardening (issue 23): engines and swarm in plaintext in the state, plain tcp:// engines accepted. */
export const BEFORE_TRANSPORT_HARDENING = "c50612f";

/**
 * A project directory whose node_modules holds `pulumi-dcos-vnet` as a real copy of `packageDir`'s
 * package.json and dist/ (as `npm install` leaves it), and every other package of this checkout as
 * a link: switching the copy is an upgrade of the package, and nothing is installed from a registry.
 */
export function linkDependencies(projectDir: string): void {
  const modules = path.join(projectDir, "node_modules");
  fs.mkdirSync(modules, { recursive: true });
  for (const entry of fs.readdirSync(path.join(ROOT, "node_modules"))) {
    if (entry === "pulumi-dcos-vnet" || entry === ".bin" || entry.startsWith(".")) continue;
    fs.symlinkSync(path.join(ROOT, "node_modules", entry), path.join(modules, entry));
  }
}

/** Puts `packageDir`'s build (package.json, dist/) into the project as node_modules/pulumi-dcos-vnet. */
export function installPackageFrom(projectDir: string, packageDir: string): void {
  const target = path.join(projectDir, "node_modules", "pulumi-dcos-vnet");
  fs.rmSync(target, { recursive: true, force: true });
  fs.mkdirSync(target, { recursive: true });
  execFileSync("cp", ["-R", path.join(packageDir, "package.json"), path.join(packageDir, "dist"), target]);
}

/** The package as it was at commit `rev`, compiled into `dir` (dir/package.json, dir/dist). */
export function buildRevision(rev: string, dir: string): void {
  extractRevision(rev, dir);
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
  execFileSync(process.execPath, [path.join(ROOT, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"], { cwd: dir, stdio: "inherit" });
}
