import * as pulumi from "@pulumi/pulumi";

/**
 * A dynamic provider whose implementation is loaded, inside Pulumi's provider process, from a
 * module path known at run time.
 *
 * Why: Pulumi serialises a dynamic provider's closure into every resource's state (`__provider`),
 * and code outside node_modules is captured by value — the provider's whole module graph (core,
 * backends) would land in the state of each resource and make any code change look like a
 * provider change. This shim captures only the module path and a few lines; the implementation is
 * `require`d when a method first runs (with ts-node registered, since the provider process is
 * plain node and our sources are TypeScript).
 */
export function lazyProvider(modulePath: string): pulumi.dynamic.ResourceProvider {
  const load = (): pulumi.dynamic.ResourceProvider => {
    if (!require.extensions[".ts"]) {
      const tsNode = require(require.resolve("ts-node", { paths: [modulePath] }));
      tsNode.register({
        transpileOnly: true,
        skipProject: true,
        compilerOptions: { module: "commonjs", target: "ES2022", esModuleInterop: true },
      });
    }
    return require(modulePath).provider;
  };
  return {
    check: (olds, news) => load().check!(olds, news),
    diff: (id, olds, news) => load().diff!(id, olds, news),
    create: (inputs) => load().create(inputs),
    read: (id, props) => load().read!(id, props),
    update: (id, olds, news) => load().update!(id, olds, news),
    delete: (id, props) => load().delete!(id, props),
  };
}
