// `dcos-vnet config export|import`: the stack's networks as DC/OS's install-time
// `dcos_overlay_network` section, and back. Reads and writes Pulumi.<stack>.yaml directly, so it
// needs no backend or login; invalid input is refused with DC/OS's own messages.
import * as fs from "fs";
import { ParsedArgs, UsageError, requireFlag } from "./args";
import { ROOT, configValue, readStackFile, stackConfigFile, writeStackConfig } from "./stackFiles";
import { overlayConfigFromStack, stackFromOverlayConfig, StackVtep } from "../core/overlay/stackOverlay";
import { parseOverlayConfigYaml, renderOverlayConfigYaml } from "../core/overlay/configYaml";
import { validateOverlayConfig } from "../core/overlay/validateOverlaySet";
import { formatFailures } from "../config/stackConfig";

function root(args: ParsedArgs): string {
  return args.flags.root ?? ROOT;
}

export async function configExport(args: ParsedArgs): Promise<number> {
  const stack = requireFlag(args, "stack");
  const doc = readStackFile(stack, root(args));
  const config = overlayConfigFromStack(configValue(doc, "networks"), (configValue(doc, "vtep") ?? {}) as StackVtep);
  const failures = validateOverlayConfig(config);
  if (failures.length > 0) {
    console.error(`stack ${stack} does not make a valid dcos_overlay_network:\n${formatFailures(failures)}`);
    return 1;
  }
  process.stdout.write(renderOverlayConfigYaml(config));
  return 0;
}

export async function configImport(args: ParsedArgs): Promise<number> {
  const stack = requireFlag(args, "stack");
  const file = args.positional[0];
  if (!file) throw new UsageError("config import needs the config.yaml to read");
  const parsed = parseOverlayConfigYaml(fs.readFileSync(file, "utf8"));
  if (!parsed.ok) {
    console.error(`${file} is refused:\n${formatFailures(parsed.failures)}`);
    return 1;
  }
  const exists = fs.existsSync(stackConfigFile(stack, root(args)));
  const doc = exists ? readStackFile(stack, root(args)) : { config: {} };
  const { networks, vtep } = stackFromOverlayConfig(parsed.config, configValue(doc, "networks"));
  writeStackConfig(stack, { networks, vtep }, root(args));
  console.log(`wrote ${networks.length} network(s) (${networks.map((n) => n.name).join(", ")}) and the VTEP settings into ${stackConfigFile(stack, root(args))}`);
  return 0;
}
