// `dcos-vnet` commands. Each lives in its own module, loaded only when asked for.
import { parseArgs, UsageError } from "./args";

type Command = (args: ReturnType<typeof parseArgs>) => Promise<number>;

const COMMANDS: Record<string, { usage: string; load: () => Command }> = {
  "preview-md": {
    usage: "preview-md --stack NAME            pulumi preview as a Markdown summary for a pull request",
    load: () => require("./previewMd").previewMd,
  },
  "config export": {
    usage: "config export --stack NAME         the stack's networks as config.yaml's dcos_overlay_network",
    load: () => require("./configBridge").configExport,
  },
  "config import": {
    usage: "config import FILE --stack NAME    a config.yaml's overlays into the stack's networks",
    load: () => require("./configBridge").configImport,
  },
  map: {
    usage: "map --stack NAME --out plan.svg    picture of the address plan (.svg or .html)",
    load: () => require("./map").map,
  },
};

function usage(): string {
  return ["usage: dcos-vnet <command>", "", ...Object.values(COMMANDS).map((c) => `  dcos-vnet ${c.usage}`)].join("\n");
}

export async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  const two = args.positional.slice(0, 2).join(" ");
  const name = COMMANDS[two] ? two : args.positional[0];
  const command = name ? COMMANDS[name] : undefined;
  if (!command) {
    console.error(usage());
    return 2;
  }
  args.positional = args.positional.slice(name!.split(" ").length);
  try {
    return await command.load()(args);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`dcos-vnet: ${err.message}\n\n${usage()}`);
      return 2;
    }
    throw err;
  }
}
