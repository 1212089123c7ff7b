// The engine floor of `npm run bench` (bench/scale): the same resource graph as this project's
// stack at a size (one component; per network two resources, the second depending on the first;
// per app one resource taking the network's outputs), each a dynamic resource whose provider does
// nothing. Run by the same Pulumi CLI, language host and kind of backend as the project, so what
// it costs is the engine's own share of a preview, up or destroy.
const pulumi = require("@pulumi/pulumi");

// The provider is a package of its own in node_modules (see noop-provider.js), so Pulumi
// serialises it as one require, exactly as it does this project's providers.
const noop = require("dcos-vnet-bench-noop");

class Noop extends pulumi.dynamic.Resource {
  constructor(name, props, opts) {
    super(noop, name, { ...props, out: undefined }, opts, "floor", "Noop");
  }
}

const config = new pulumi.Config("floor");
const networks = config.requireNumber("networks");
const apps = config.requireNumber("apps");
const revision = config.getNumber("revision") ?? 0;

const cluster = new pulumi.ComponentResource("floor:index:Cluster", "floor");
const nets = [];
for (let i = 0; i < networks; i++) {
  const vn = new Noop(`vn-${i}`, { name: `sc-${i}` }, { parent: cluster });
  const dn = new Noop(`dn-${i}`, { name: vn.name }, { parent: cluster, dependsOn: vn });
  nets.push({ vn, dn });
}
for (let j = 0; j < apps; j++) {
  const { vn, dn } = nets[j % networks];
  new Noop(`app-${j}`, { name: `web-${j}`, network: dn.name, revision: j === 0 ? revision : 0 }, { parent: cluster, dependsOn: vn });
}
