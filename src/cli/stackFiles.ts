// The stack's config file and outputs, as the CLI commands read them. Pulumi.<stack>.yaml is the
// user's file: edits go through the `yaml` package's document API (see yamlEdit.ts), so comments,
// key order and styles survive, as they do with `pulumi config set`.
import * as fs from "fs";
import * as path from "path";
import { Document, parseDocument } from "yaml";
import { execFile } from "child_process";
import { promisify } from "util";
import { syncNode } from "./yamlEdit";

export const ROOT = path.resolve(__dirname, "..", "..");
export const NAMESPACE = "dcos-vnet";

export function stackConfigFile(stack: string, root = ROOT): string {
  return path.join(root, `Pulumi.${stack}.yaml`);
}

function readDocument(stack: string, root: string): Document {
  const file = stackConfigFile(stack, root);
  if (!fs.existsSync(file)) throw new Error(`no ${path.basename(file)} in ${root}: is "${stack}" a stack of this project?`);
  const doc = parseDocument(fs.readFileSync(file, "utf8"));
  if (doc.errors.length > 0) throw new Error(`${file} is not valid YAML: ${doc.errors[0].message}`);
  return doc;
}

/** The whole Pulumi.<stack>.yaml document (config + encryptionsalt …) as plain values. */
export function readStackFile(stack: string, root = ROOT): Record<string, any> {
  return (readDocument(stack, root).toJS() as Record<string, any> | null) ?? {};
}

/**
 * Sets project config values of the stack (`dcos-vnet:<key>`), creating the file if need be. Only
 * the nodes whose values change are rewritten; every other line, comment included, stays.
 */
export function writeStackConfig(stack: string, values: Record<string, unknown>, root = ROOT): void {
  const file = stackConfigFile(stack, root);
  const doc = fs.existsSync(file) ? readDocument(stack, root) : new Document({ config: {} });
  if (doc.contents === null) doc.contents = doc.createNode({ config: {} }) as Document["contents"];
  const config = { ...((doc.toJS() as Record<string, any>)?.config ?? {}) };
  for (const [key, value] of Object.entries(values)) config[`${NAMESPACE}:${key}`] = value;
  doc.setIn(["config"], syncNode(doc, doc.getIn(["config"], true), config));
  fs.writeFileSync(file, doc.toString({ lineWidth: 0, flowCollectionPadding: false }));
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
