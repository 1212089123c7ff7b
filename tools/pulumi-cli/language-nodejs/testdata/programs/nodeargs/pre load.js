// Loaded by `nodeargs: --require "./pre load.js"`: a path with a space, one shell word.
globalThis.preloaded = "yes";
