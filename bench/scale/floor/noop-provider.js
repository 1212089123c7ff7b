// The engine floor's dynamic provider: only create, which returns the inputs. check keeps the
// inputs, diff is the engine's own comparison of inputs, update and delete do nothing.
// Installed by the benchmark as node_modules/dcos-vnet-bench-noop of the floor's project.
module.exports = {
  async create(inputs) {
    return { id: inputs.name, outs: inputs };
  },
};
