// Scale: this project at 5 networks × 20 apps and 20 × 100 (one instance each), side by side in one
// run with the engine floor (the same resource graph of no-op dynamic resources), the docker CLI
// making the same networks and containers in parallel, and docker-compose. Everything runs on a
// private Docker engine that the benchmark starts (test/support/privateEngine.ts) and removes:
// never the user's engine.
import * as os from "os";
import Docker from "dockerode";
import { startPrivateEngine } from "../test/support/privateEngine";
import { requirePulumi } from "../test/support/pulumi";
import { SIZES, Size, sizeLabel } from "./scale/spec";
import { runProject, runProjectUpDestroy } from "./scale/projectRun";
import { runFloor } from "./scale/floorRun";
import { cliCreate, cliRemove } from "./scale/dockerCli";
import { composeUpDown, ensureCompose } from "./scale/compose";
import { EngineObjects, countPresent } from "./scale/engineObjects";
import { SizeResult, growthTable, machineLine, previewCpuTable, stateTable, timingTable } from "./scale/table";
import { installCpuAccounting } from "./scale/cpuSplit";

/** `DCOS_VNET_BENCH_SIZES=5x20` runs only the sizes named (for profiling); default both. */
function sizes(): Size[] {
  const wanted = process.env.DCOS_VNET_BENCH_SIZES;
  if (!wanted) return SIZES;
  return wanted.split(",").map((w) => {
    const [networks, apps] = w.split("x").map(Number);
    return { networks, apps };
  });
}

/**
 * --parallel of every pulumi command, project and floor alike: 16, as `npm run up` runs
 * (scripts/stack.sh); `DCOS_VNET_BENCH_PARALLEL=N` for another. The project's up and destroy are
 * also measured at Pulumi's own default (4 × cores).
 */
const parallel = Number(process.env.DCOS_VNET_BENCH_PARALLEL) || 16;

const log = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);

async function expectPresent(client: Docker, objects: EngineObjects, who: string, want: { networks: number; running: number }): Promise<void> {
  const got = await countPresent(client, objects);
  if (got.networks !== want.networks || got.running !== want.running) {
    throw new Error(`${who}: expected ${JSON.stringify(want)} of the project's networks / running containers, found ${JSON.stringify(got)}`);
  }
}

/** Removes every container and user network of the benchmark's own engine. */
async function clearEngine(client: Docker): Promise<void> {
  for (const c of await client.listContainers({ all: true })) await client.getContainer(c.Id).remove({ force: true });
  // dockerd may count a removed container's endpoint for a moment: a few tries, 0.2 s apart.
  for (let attempt = 0; attempt < 10; attempt++) {
    const left = (await client.listNetworks()).filter((n) => !["bridge", "host", "none"].includes(n.Name));
    if (left.length === 0) return;
    for (const n of left) await client.getNetwork(n.Id).remove().catch(() => undefined);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The first container an engine starts pays for mounting the image; not part of any tool's figure. */
async function warmUp(client: Docker): Promise<void> {
  const c = await client.createContainer({ Image: "busybox:latest", Cmd: ["true"] });
  await c.start();
  await c.wait();
  await c.remove({ force: true });
}

async function atSize(client: Docker, size: Size, compose: ReturnType<typeof ensureCompose>): Promise<SizeResult> {
  log(`${sizeLabel(size)}: this project`);
  const project = await runProject(client, size, parallel);
  const objects = project.objects;
  const all = { networks: objects.networks.length, running: objects.containers.length };
  const none = { networks: 0, running: 0 };
  await expectPresent(client, objects, "after the project's destroy", none);

  log(`${sizeLabel(size)}: docker CLI`);
  const create = await cliCreate(objects);
  await expectPresent(client, objects, "docker CLI create", all);
  const remove = await cliRemove(objects);
  await expectPresent(client, objects, "docker CLI remove", none);

  let composed: SizeResult["compose"];
  if ("skipped" in compose) composed = compose;
  else {
    log(`${sizeLabel(size)}: docker-compose`);
    try {
      composed = await composeUpDown(objects, () => expectPresent(client, objects, "docker-compose up", all));
    } catch (err) {
      // Reported under the table; the engine is cleared for the runs that follow.
      const e = err as { killed?: boolean; message: string };
      composed = { skipped: `docker-compose failed at ${sizeLabel(size)}: ${e.killed ? "killed after 300 s without finishing" : e.message.split("\n")[0]}` };
      await clearEngine(client);
    }
    await expectPresent(client, objects, "docker-compose down", none);
  }

  log(`${sizeLabel(size)}: engine floor`);
  const floor = await runFloor(size, parallel);

  log(`${sizeLabel(size)}: this project, up and destroy at Pulumi's default --parallel`);
  const atDefault = await runProjectUpDestroy(size);
  await expectPresent(client, objects, "after the project's destroy", none);
  return { size, project: project.times, atDefault, floor, cli: { create, remove }, compose: composed, state: project.state };
}

export async function benchScale(): Promise<string[]> {
  const load = os.loadavg().map((l) => l.toFixed(2)).join(", ");
  const pulumi = await requirePulumi(); // also builds and installs the package the stacks run
  installCpuAccounting(); // before any stack exists: stacks keep the PATH of their creation
  const compose = ensureCompose();
  log("starting a private Docker engine");
  const engine = await startPrivateEngine("bench");
  const savedHost = process.env.DOCKER_HOST;
  process.env.DOCKER_HOST = engine.host; // for the Pulumi CLI's providers, the docker CLI and compose
  // This repository's node_modules holds @pulumi/docker (a dev dependency, for the optional
  // pulumi-docker path), so every pulumi command looks for its plugin; offline, the download is
  // retried with backoff for ~3 s before the engine goes on without it. A user's project does not
  // install @pulumi/docker; neither the project nor the floor pays for it here.
  const savedAcquisition = process.env.PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION;
  process.env.PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION = "true";
  try {
    await warmUp(engine.client);
    const version = await engine.client.version();
    const results: SizeResult[] = [];
    for (const size of sizes()) results.push(await atSize(engine.client, size, compose));

    const cpu = os.cpus();
    const out = [
      "## Scale: networks × apps, each app one instance",
      "",
      machineLine({
        cpus: `${cpu.length} cores (${cpu[0]?.model.trim() ?? "unknown"})`,
        memory: `${fmt1(os.totalmem() / 2 ** 30)} GiB`,
        docker: version.Version,
        pulumi: pulumi.version?.toString() ?? "?",
        node: process.version,
        load,
      }),
      "",
      `Pulumi runs with --parallel ${parallel} (as \`npm run up\`; its default here is ${4 * os.cpus().length}) and ` +
        "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true (no offline download attempts for @pulumi/docker's plugin); " +
        ("skipped" in compose ? `docker-compose is left out: ${compose.skipped}.` : `docker-compose ${compose.version}.`),
      "",
      ...timingTable(results),
      "",
      ...results.flatMap((r) => ("skipped" in r.compose && !("skipped" in compose) ? [r.compose.skipped + ".", ""] : [])),
    ];
    if (results.length >= 2) out.push(...growthTable(results[0], results[results.length - 1]), "");
    out.push("CPU of a no-change `preview`, by process (one more run after the timed ones; CPU seconds, which other work on the machine changes far less than wall time):", "", ...previewCpuTable(results), "");
    out.push("State per resource, from `pulumi stack export` after the first `up` (bytes; secrets encrypted):", "", ...stateTable(results), "");
    return out;
  } finally {
    restoreEnv("DOCKER_HOST", savedHost);
    restoreEnv("PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION", savedAcquisition);
    await engine.dispose();
  }
}

function restoreEnv(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

function fmt1(n: number): string {
  return n.toFixed(1);
}
