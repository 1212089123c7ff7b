import * as pulumi from "@pulumi/pulumi";

/** The dynamic providers this package ships, by the name each resource passes. */
export type ProviderKind = "VirtualNetwork" | "MarathonApp" | "LocalDockerNetwork" | "MarathonPod" | "LocalAgents" | "DcosOverlayConfig";

/**
 * The dynamic provider Pulumi serialises into each resource's state (`__provider`): a few lines
 * that find this package's compiled provider inside Pulumi's provider process and call it.
 *
 * Why not the implementation itself: Pulumi captures code outside node_modules by value, so the
 * whole module graph would land in every resource's state. Why not a file path: a path ties the
 * state to one checkout. This captures only the package name and the resource kind; the code is
 * resolved where the provider process runs (its cwd is the Pulumi project):
 *   1. `pulumi-dcos-vnet/provider` from the project's own node_modules (a user's program);
 *   2. else the package whose package.json is at or above the project (this repository's stacks).
 * So the same state works from any checkout or machine, and with the next version of the package.
 * Everything it needs is required inside the functions: serialised text must stand alone.
 */
export function providerHandle(kind: ProviderKind): pulumi.dynamic.ResourceProvider {
  const load = () => {
    const fs = require("fs"), path = require("path"), name = "pulumi-dcos-vnet";
    let entry;
    try {
      entry = require.resolve(name + "/provider", { paths: [process.cwd()] });
    } catch (notInstalled) {
      for (let dir = process.cwd(); !entry; dir = path.dirname(dir)) {
        const pkg = path.join(dir, "package.json");
        if (fs.existsSync(pkg) && JSON.parse(fs.readFileSync(pkg, "utf8")).name === name) {
          entry = path.join(dir, JSON.parse(fs.readFileSync(pkg, "utf8")).exports["./provider"]);
        } else if (dir === path.dirname(dir)) throw notInstalled;
      }
    }
    return require(entry).providers[kind];
  };
  return {
    check: (olds, news) => load().check(olds, news),
    diff: (id, olds, news) => load().diff(id, olds, news),
    create: (inputs) => load().create(inputs),
    read: (id, props) => load().read(id, props),
    update: (id, olds, news) => load().update(id, olds, news),
    delete: (id, props) => load().delete(id, props),
  };
}
