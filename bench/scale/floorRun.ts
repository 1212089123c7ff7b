// The engine floor at one size: bench/scale/floor (a program of no-op dynamic resources in the
// project's resource graph) copied to a temporary directory, run by the same CLI on the same kind
// of backend, through the same lifecycle as the project.
import * as fs from "fs";
import * as path from "path";
import { ROOT } from "../../test/support/paths";
import { stackIn, tempDir } from "../../test/support/project";
import { LifecycleTimes, runLifecycle } from "./lifecycle";
import { Size, customResources } from "./spec";

/**
 * The project's node_modules, linked entry by entry, plus the no-op provider as a package of its
 * own (a real directory: Pulumi serialises a module under node_modules as its require).
 */
function installNodeModules(dir: string): void {
  const modules = path.join(dir, "node_modules");
  fs.mkdirSync(modules);
  for (const entry of fs.readdirSync(path.join(ROOT, "node_modules"))) {
    fs.symlinkSync(path.join(ROOT, "node_modules", entry), path.join(modules, entry));
  }
  const noop = path.join(modules, "dcos-vnet-bench-noop");
  fs.mkdirSync(noop);
  fs.writeFileSync(path.join(noop, "package.json"), JSON.stringify({ name: "dcos-vnet-bench-noop", main: "index.js" }));
  fs.copyFileSync(path.join(__dirname, "floor", "noop-provider.js"), path.join(noop, "index.js"));
}

export async function runFloor(size: Size, parallel?: number): Promise<LifecycleTimes> {
  const dir = tempDir("floor");
  const backend = tempDir("floor-state");
  try {
    for (const file of ["Pulumi.yaml", "index.js"]) fs.copyFileSync(path.join(__dirname, "floor", file), path.join(dir, file));
    installNodeModules(dir);
    const stack = await stackIn(dir, "floor", backend);
    const configure = (revision: number) =>
      stack.setAllConfig({
        "floor:networks": { value: String(size.networks) },
        "floor:apps": { value: String(size.apps) },
        "floor:revision": { value: String(revision) },
      });
    return await runLifecycle(stack, {
      initial: () => configure(0),
      oneChanged: () => configure(1),
      oneUpdated: () => configure(2),
    }, customResources(size), parallel);
  } finally {
    for (const d of [dir, backend]) fs.rmSync(d, { recursive: true, force: true });
  }
}
