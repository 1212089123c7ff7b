// Flag parsing for the CLI, with node:util's parseArgs: every flag is declared with its type, so a
// flag that takes no value (--help) never swallows the positional argument after it, and a flag we
// do not know is refused by name rather than taking the next argument as its value.
import { parseArgs as parseNodeArgs } from "node:util";

/** Every flag of every command; each command lists the ones it takes (main.ts). */
export const OPTIONS = {
  stack: { type: "string" },
  out: { type: "string" },
  /** The project folder holding Pulumi.<stack>.yaml (default: this checkout). */
  root: { type: "string" },
  /** preview-md: a policy pack to run the preview with, and its config (as `pulumi preview` takes them). */
  "policy-pack": { type: "string" },
  "policy-pack-config": { type: "string" },
  /** adopt: the cluster read, how to reach it (secrets come from env or files, never flags: see adopt.ts). */
  url: { type: "string" },
  uid: { type: "string" },
  "token-file": { type: "string" },
  "password-file": { type: "string" },
  "ca-bundle": { type: "string" },
  insecure: { type: "boolean" },
  "allow-insecure-http": { type: "boolean" },
  code: { type: "boolean" },
  force: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

export type ValueFlag = { [K in keyof typeof OPTIONS]: (typeof OPTIONS)[K]["type"] extends "string" ? K : never }[keyof typeof OPTIONS];
/** Flags that take no value (besides --help, which every command takes). */
export type SwitchFlag = Exclude<{ [K in keyof typeof OPTIONS]: (typeof OPTIONS)[K]["type"] extends "boolean" ? K : never }[keyof typeof OPTIONS], "help">;

export interface ParsedArgs {
  positional: string[];
  /** The flags that take a value, as given. */
  flags: Partial<Record<ValueFlag, string>>;
  /** The switches given (each true). */
  switches: Partial<Record<SwitchFlag, true>>;
  help: boolean;
}

export class UsageError extends Error {}

/** `--name value`, `--name=value`, `-h`/`--help`, positional arguments in any order. Throws UsageError. */
export function parseArgs(argv: string[]): ParsedArgs {
  let parsed;
  try {
    parsed = parseNodeArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    // node's ERR_PARSE_ARGS_* errors name the flag and the rule ("Unknown option '--x'", "argument missing").
    const code = (err as { code?: string }).code ?? "";
    if (code.startsWith("ERR_PARSE_ARGS_")) throw new UsageError((err as Error).message);
    throw err;
  }
  const { help, ...values } = parsed.values;
  const given = Object.entries(values).filter(([, v]) => v !== undefined);
  const flags = Object.fromEntries(given.filter(([, v]) => typeof v === "string")) as ParsedArgs["flags"];
  const switches = Object.fromEntries(given.filter(([, v]) => v === true)) as ParsedArgs["switches"];
  return { positional: parsed.positionals, flags, switches, help: help === true };
}

export function requireFlag(args: ParsedArgs, name: ValueFlag): string {
  const value = args.flags[name];
  if (!value) throw new UsageError(`--${name} is required`);
  return value;
}
