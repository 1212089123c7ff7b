// The stack's config file and outputs, as the CLI commands read them.
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { execFile } from "child_process";
import { promisify } from "util";

export const ROOT = path.resolve(__dirname, "..", "..");
export const NAMESPACE = "dcos-vnet";

export function stackConfigFile(stack: string, root = ROOT): string {
  return path.join(root, `Pulumi.${stack}.yaml`);
}

/** The whole Pulumi.<stack>.yaml document (config + encryptionsalt …). */
export function readStackFile(stack: string, root = ROOT): Record<string, any> {
  const file = stackConfigFile(stack, root);
  if (!fs.existsSync(file)) throw new Error(`no ${path.basename(file)} in ${root}: is "${stack}" a stack of this project?`);
  return (yaml.load(fs.readFileSync(file, "utf8")) as Record<string, any>) ?? {};
}

export function writeStackFile(stack: string, doc: Record<string, any>, root = ROOT): void {
  fs.writeFileSync(stackConfigFile(stack, root), yaml.dump(doc, { lineWidth: -1, noRefs: true }));
}

/** A project config value of the stack (`dcos-vnet:<key>`), as written in the file. */
export function configValue(doc: Record<string, any>, key: string): unknown {
  return doc.config?.[`${NAMESPACE}:${key}`];
}

/** Runs the Pulumi CLI of this project's toolchain (scripts/env.sh sets PATH and the backend). */
export async function pulumi(args: string[], root = ROOT): Promise<string> {
  const { stdout } = await promisify(execFile)("bash", ["-c", `source "${root}/scripts/env.sh" && pulumi "$@"`, "pulumi", ...args], {
    cwd: root,
    maxBuffer: 256 * 2 ** 20,
  });
  return stdout;
}
