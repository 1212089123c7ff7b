// What `dcos-vnet adopt` writes on disk, and its refusal to write over an earlier adoption.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { AdoptPlan } from "../core/adopt/adoptPlan";
import { configValue, readStackFile, stackConfigFile, NAMESPACE } from "./stackFiles";

/** The files and folders adopt writes (under out), each refused when present unless --force. */
export const OUT_ENTRIES = ["apps", "pods", "not-adopted", "adopt-report.md"];
/** The program `--code` writes (in the project folder, --root). */
export const CODE_FILE = "index.ts";

/** What an earlier adoption (or the user) already has there; empty when adopt may write. */
export function existingOutputs(stack: string, root: string, outDir: string, code: boolean): string[] {
  const found: string[] = [];
  const file = stackConfigFile(stack, root);
  if (fs.existsSync(file)) {
    const doc = readStackFile(stack, root);
    const keys = ["cluster", "networks", "apps", "pods", "marathon", "vtep"].filter((k) => configValue(doc, k) !== undefined);
    if (keys.length > 0) found.push(`${file} (${keys.map((k) => `${NAMESPACE}:${k}`).join(", ")})`);
  }
  for (const entry of OUT_ENTRIES) if (fs.existsSync(path.join(outDir, entry))) found.push(path.join(outDir, entry));
  if (code && fs.existsSync(path.join(root, CODE_FILE))) found.push(path.join(root, CODE_FILE));
  return found;
}

/** Writes one JSON file per app and pod (2-space indent, as users keep them), after clearing adopt's own folders. */
export function writeDefinitions(plan: AdoptPlan, outDir: string): void {
  for (const entry of OUT_ENTRIES) fs.rmSync(path.join(outDir, entry), { recursive: true, force: true });
  for (const f of plan.files) {
    const file = path.join(outDir, f.path);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(f.definition, null, 2) + "\n");
  }
}

/** A path as the stack config names it: relative to the project when inside it, else absolute. */
export function projectPath(root: string, file: string): string {
  const abs = path.resolve(root, file);
  const rel = path.relative(root, abs);
  return rel.startsWith("..") || path.isAbsolute(rel) ? abs : rel.split(path.sep).join("/");
}

/**
 * The `--code` project's Pulumi.yaml (TypeScript, nodejs) where missing: `pulumi stack select` needs
 * it. Returns a function that removes it again if it was written here (adopt stopped before its files).
 */
export function writeCodeProjectFile(root: string): () => void {
  fs.mkdirSync(root, { recursive: true });
  const yaml = path.join(root, "Pulumi.yaml");
  if (fs.existsSync(yaml)) return () => undefined;
  fs.writeFileSync(yaml, `name: ${path.basename(root).toLowerCase().replace(/[^a-z0-9-]/g, "-") || "dcos-adopted"}\nruntime:\n  name: nodejs\n  options:\n    typescript: true\nmain: ${CODE_FILE}\n`);
  return () => fs.rmSync(yaml, { force: true });
}

/** The `--code` program, and where missing a strict tsconfig.json. Its dependencies are the user's: `npm install pulumi-dcos-vnet @pulumi/pulumi`. */
export function writeCodeProject(root: string, program: string): void {
  fs.writeFileSync(path.join(root, CODE_FILE), program);
  const tsconfig = path.join(root, "tsconfig.json");
  if (!fs.existsSync(tsconfig)) {
    const options = { strict: true, target: "es2020", module: "commonjs", moduleResolution: "node", skipLibCheck: true, noEmit: true };
    fs.writeFileSync(tsconfig, JSON.stringify({ compilerOptions: options, files: [CODE_FILE] }, null, 2) + "\n");
  }
}

/**
 * A copy of what adopt is about to overwrite (the stack's config file, its folders and report under
 * out, index.ts): `restore` puts it back when adopt refuses after writing, `drop` forgets it.
 */
export function keepOutputs(stack: string, root: string, outDir: string): { restore: () => void; drop: () => void } {
  const kept = fs.mkdtempSync(path.join(os.tmpdir(), "dcos-vnet-adopt-kept-"));
  const places = [stackConfigFile(stack, root), ...OUT_ENTRIES.map((e) => path.join(outDir, e)), path.join(root, CODE_FILE)];
  const copies = places.map((place, i) => ({ place, copy: path.join(kept, String(i)), existed: fs.existsSync(place) }));
  for (const c of copies) if (c.existed) fs.cpSync(c.place, c.copy, { recursive: true });
  const drop = () => fs.rmSync(kept, { recursive: true, force: true });
  const restore = () => {
    for (const c of copies) {
      fs.rmSync(c.place, { recursive: true, force: true });
      if (c.existed) fs.cpSync(c.copy, c.place, { recursive: true });
    }
    drop();
  };
  return { restore, drop };
}
