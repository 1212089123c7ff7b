// Exports what node's own arguments (Pulumi.yaml runtime.options.nodeargs) did.
exports.preloaded = globalThis.preloaded ?? "no";
exports.title = process.title;
