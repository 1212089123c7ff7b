// Preloaded (`node --require`) into the Node.js processes the toolchain starts: a Pulumi program
// (language-nodejs) and a dynamic provider (dynamic-provider).
//
// Why: @pulumi/pulumi's runtime/index.js re-exports serializeFunction and computeCodePaths, and so
// loads, whenever @pulumi/pulumi is loaded, the two modules behind them: `typescript` (through
// typescript-shim.js, to parse a serialised function's text) and `@npmcli/arborist` (to list a
// closure's node_modules). That is about 0.35 s of CPU of a 0.55 s load, paid by every program
// and every provider process, while a provider never serialises a function and no program of
// this package computes code paths. The SDK means them to load on demand (its dynamic/index.js
// says "Load runtime/closure on demand, as its dependencies are slow to load").
//
// What: a `require` of either one from inside @pulumi/pulumi returns a stand-in that loads the
// real module, by the same require, the first time a property is read. Nothing else changes:
// the same module, found the same way (typescript-shim keeps its fallback to the SDK's vendored
// TypeScript), only later. `__esModule` reads true without loading, so TypeScript's __importStar
// hands the stand-in through as it is rather than copying its (not yet known) keys.
"use strict";
const Module = require("module");

const ON_FIRST_USE = new Set(["@npmcli/arborist", "../../typescript-shim", "./typescript-shim"]);
const INSIDE_PULUMI_SDK = /[\\/]node_modules[\\/]@pulumi[\\/]pulumi[\\/]/;

const load = Module._load;
Module._load = function (request, parent, isMain) {
  if (!ON_FIRST_USE.has(request) || !parent || !INSIDE_PULUMI_SDK.test(parent.filename || "")) {
    return load.apply(this, arguments);
  }
  const self = this;
  let real;
  const loaded = () => (real === undefined ? (real = load.call(self, request, parent, isMain)) : real);
  return new Proxy(
    {},
    {
      get: (_, key) => (key === "__esModule" ? true : Reflect.get(loaded(), key)),
      has: (_, key) => key in loaded(),
    },
  );
};
