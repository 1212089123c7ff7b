// `dcos-vnet` commands. Each lives in its own module, loaded only when asked for.
import { ParsedArgs, SwitchFlag, UsageError, ValueFlag, parseArgs } from "./args";

type Command = (args: ParsedArgs) => Promise<number>;

/** Each command with the flags it takes (besides --help); any other flag is refused. */
const COMMANDS: Record<string, { usage: string; flags: Array<ValueFlag | SwitchFlag>; load: () => Command }> = {
  "preview-md": {
    usage:
      "preview-md --stack NAME            pulumi preview as a Markdown summary for a pull request\n" +
      "             [--policy-pack DIR [--policy-pack-config FILE]]   with that policy pack's violations",
    flags: ["stack", "policy-pack", "policy-pack-config"],
    load: () => require("./previewMd").previewMd,
  },
  "config export": {
    usage: "config export --stack NAME         the stack's networks as config.yaml's dcos_overlay_network",
    flags: ["stack", "root"],
    load: () => require("./configBridge").configExport,
  },
  "config import": {
    usage: "config import FILE --stack NAME    a config.yaml's overlays into the stack's networks",
    flags: ["stack", "root"],
    load: () => require("./configBridge").configImport,
  },
  adopt: {
    usage:
      "adopt --stack NAME --url URL        a running DC/OS cluster's overlays, apps and pods into a stack, in sync\n" +
      "             [--uid USER] [--token-file F | --password-file F] [--ca-bundle PEM] [--insecure] [--allow-insecure-http]\n" +
      "             [--out DIR] [--code] [--force] [--root DIR]   (token also from $DCOS_VNET_MARATHON_TOKEN, password from $DCOS_VNET_MARATHON_PASSWORD)",
    flags: ["stack", "url", "uid", "token-file", "password-file", "ca-bundle", "insecure", "allow-insecure-http", "out", "code", "force", "root"],
    load: () => require("./adopt").adopt,
  },
  map: {
    usage: "map --stack NAME --out plan.svg    picture of the address plan (.svg or .html)",
    flags: ["stack", "out"],
    load: () => require("./map").map,
  },
};

function usage(): string {
  return ["usage: dcos-vnet <command>", "", ...Object.values(COMMANDS).map((c) => `  dcos-vnet ${c.usage}`)].join("\n");
}

export async function main(argv: string[]): Promise<number> {
  try {
    const args = parseArgs(argv);
    if (args.help) {
      console.log(usage());
      return 0;
    }
    const two = args.positional.slice(0, 2).join(" ");
    const name = COMMANDS[two] ? two : args.positional[0];
    const command = name ? COMMANDS[name] : undefined;
    if (!command) {
      console.error(usage());
      return 2;
    }
    const foreign = [...Object.keys(args.flags), ...Object.keys(args.switches)].find((flag) => !(command.flags as string[]).includes(flag));
    if (foreign) {
      const takes = command.flags.map((f) => `--${f}`).join(", ");
      throw new UsageError(`--${foreign} is not an option of "${name}" (it takes ${takes})`);
    }
    args.positional = args.positional.slice(name!.split(" ").length);
    return await command.load()(args);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`dcos-vnet: ${err.message}\n\n${usage()}`);
      return 2;
    }
    throw err;
  }
}
