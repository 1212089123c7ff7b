// Reads a plain and a secret config value and exports both: the test checks what reached the engine.
const pulumi = require("@pulumi/pulumi");
const config = new pulumi.Config();
exports.greeting = `hello ${config.require("name")}`;
exports.token = config.requireSecret("token");
exports.answer = 42;
