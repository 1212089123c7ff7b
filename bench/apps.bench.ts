// Bringing up N app instances through `pulumi up` (real CLI, Automation API, our provider) vs the
// same containers made with the docker CLI in a shell loop, in one run, same machine, same engine.
import { execFile } from "child_process";
import { promisify } from "util";
import { createTestStack } from "../test/support/pulumi";
import { fmt, row } from "./measure";

const run = promisify(execFile);

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

/** Docker CLI baseline: network as our spec makes it, then one `docker run` per instance, in sequence. */
async function dockerLoop(n: number, tag: string): Promise<number> {
  const net = `bench-cli-${tag}`;
  await run("docker", ["network", "create", "--driver", "bridge", "--subnet", "9.252.0.0/16", "--gateway", "9.252.0.1",
    "-o", `com.docker.network.bridge.name=d-${net}`.slice(0, 60), "-o", "com.docker.network.bridge.enable_ip_masquerade=false",
    "-o", "com.docker.network.driver.mtu=1420", net]);
  const script = `for i in $(seq 0 ${n - 1}); do docker run -d --name ${net}-$i --network ${net} --ip 9.252.$((i % 3)).$((130 + i / 3)) ` +
    `--label io.dcos-vnet.bench=cli --restart unless-stopped busybox /bin/sh -c 'exec sleep 3600' > /dev/null; done`;
  try {
    return await timed(() => run("bash", ["-c", script]));
  } finally {
    await run("bash", ["-c", `docker rm -f $(docker ps -aq --filter label=io.dcos-vnet.bench=cli) >/dev/null 2>&1; docker network rm ${net}`]).catch(() => undefined);
  }
}

/** The same through the project: one network, one app of n instances on 3 agents, `pulumi up`. */
async function pulumiUp(n: number, tag: string): Promise<{ up: number; network: number }> {
  const net = `bench-pl-${tag}`;
  const base = { cluster: { agents: ["agent-1", "agent-2", "agent-3"] }, networks: [{ name: net, subnet: "9.253.0.0/16", prefix: 24 }] };
  const t = await createTestStack("bench", { ...base, apps: [] });
  try {
    const network = await timed(() => t.stack.up()); // engine + network alone: the fixed cost
    t.setConfig({ ...base, apps: [{ app: { id: "/bench", cmd: "exec sleep 3600", instances: n, cpus: 0.01, mem: 16,
      container: { type: "DOCKER", docker: { image: "busybox" } }, networks: [{ mode: "container", name: net }] } }] });
    const up = await timed(() => t.stack.up());
    return { up, network };
  } finally {
    await t.dispose();
  }
}

export async function benchApps(sizes = [10, 30]): Promise<string[]> {
  const out = ["## Bringing up N instances: `pulumi up` vs the docker CLI", "",
    row(["N", "docker run loop (s)", "pulumi up of the app (s)", "ratio pulumi/docker", "pulumi up of the network alone (s)", "target"]),
    row(["---", "---", "---", "---", "---", "---"])];
  for (const n of sizes) {
    const cli = await dockerLoop(n, String(n));
    const pl = await pulumiUp(n, String(n));
    out.push(row([n, fmt(cli / 1000, 2), fmt(pl.up / 1000, 2), fmt(pl.up / cli, 2), fmt(pl.network / 1000, 2), "≤ 1.3x"]));
  }
  out.push("", "`pulumi up of the app` includes the engine's fixed cost of an update (program run, plugin start), shown alone in the last column.", "");
  return out;
}
