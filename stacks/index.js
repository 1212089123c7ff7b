// The program of this repository's stacks (Pulumi.yaml `main`). It runs the package's stack-config
// program from node_modules/pulumi-dcos-vnet, installed there by `npm run setup` (scripts/build.sh)
// exactly as `npm install` would, so these stacks' state is a user's state: each resource's
// provider is a require of the installed package, the same from any checkout or machine.
module.exports = require("pulumi-dcos-vnet/stack");
