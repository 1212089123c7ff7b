// The docker CLI making the same networks and containers as the project, as a user scripting it
// would: every network at once, then every container at once (`xargs -P`), then removing them the
// same way. The reference for `pulumi up` and `pulumi destroy`.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { execFile } from "child_process";
import { promisify } from "util";
import { ContainerObject, EngineObjects, NetworkObject } from "./engineObjects";
import { timed } from "../measure";

const run = promisify(execFile);

/** How many docker CLI processes run at once. */
export const CLI_PARALLEL = 16;

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const flags = (flag: string, values: Record<string, string>) => Object.entries(values).flatMap(([k, v]) => [flag, `${k}=${v}`]);

export function networkCreate(n: NetworkObject): string[] {
  return ["docker", "network", "create", "--driver", "bridge", "--attachable", "--subnet", n.subnet, "--gateway", n.gateway,
    ...flags("-o", n.options), ...flags("--label", n.labels), n.name];
}

export function containerRun(c: ContainerObject): string[] {
  return ["docker", "run", "-d", "--name", c.name, "--network", c.network, "--ip", c.ip,
    ...c.aliases.flatMap((a) => ["--network-alias", a]), ...flags("--label", c.labels), ...flags("-e", c.env),
    "--restart", c.restart, ...(c.memoryBytes ? ["--memory", `${c.memoryBytes}b`] : []),
    ...(c.nanoCpus ? ["--cpus", String(c.nanoCpus / 1e9)] : []), c.image, ...c.cmd];
}

const line = (c: string[]) => c.map(quote).join(" ") + " >/dev/null";

/** Runs each shell line (one per line of a file) with up to CLI_PARALLEL at once; fails if any fails. */
async function inParallel(lines: string[]): Promise<number> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "dcos-vnet-cli-")), "commands");
  fs.writeFileSync(file, lines.join("\n") + "\n");
  try {
    return await timed(() => run("bash", ["-c", `xargs -d '\\n' -P ${CLI_PARALLEL} -n 1 bash -c < ${quote(file)}`], { maxBuffer: 64 * 2 ** 20 }));
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}

/** Networks, then containers; milliseconds for the whole. */
export async function cliCreate(objects: EngineObjects): Promise<number> {
  return (await inParallel(objects.networks.map(networkCreate).map(line))) + (await inParallel(objects.containers.map(containerRun).map(line)));
}

/**
 * Containers (`docker rm -f`), then networks; milliseconds for the whole. dockerd 20.10 may still
 * count a removed container's endpoint for a moment ("has active endpoints"), so a network removal
 * is tried again after 0.2 s, up to 10 times, as a script would have to.
 */
export async function cliRemove(objects: EngineObjects): Promise<number> {
  const retried = (name: string) => `for i in 1 2 3 4 5 6 7 8 9 10; do ${line(["docker", "network", "rm", name])} 2>/dev/null && exit 0; sleep 0.2; done; ${line(["docker", "network", "rm", name])}`;
  return (
    (await inParallel(objects.containers.map((c) => line(["docker", "rm", "-f", c.name])))) +
    (await inParallel(objects.networks.map((n) => retried(n.name))))
  );
}
