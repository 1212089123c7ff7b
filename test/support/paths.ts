import * as path from "path";

export const ROOT = path.resolve(__dirname, "..", "..");
export const TOOLS_BIN = path.join(ROOT, ".tools", "bin");
export const PROJECT = "dcos-vnet";
