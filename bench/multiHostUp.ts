// `pulumi up` of a 6-instance app: on one Docker engine (today's default: one bridge network) and
// over three Docker hosts (swarm formed by the project, overlay network, 2 instances per host).
// The hosts are the tests' harness (test/support/hostCluster.ts): run as root, like the e2e tests.
//   npx ts-node --transpile-only bench/multiHostUp.ts
import { createTestStack } from "../test/support/pulumi";
import { startHostCluster } from "../test/support/hostCluster";

const app = (network: string) => ({
  app: { id: "/web", cmd: "exec sleep 3600", instances: 6, cpus: 0.1, mem: 32, container: { type: "DOCKER", docker: { image: "busybox" } }, networks: [{ mode: "container", name: network }] },
});
const agents = ["agent-1", "agent-2", "agent-3"];

async function timeUp(label: string, config: Record<string, unknown>): Promise<number> {
  const t = await createTestStack(label, config);
  try {
    const began = Date.now();
    await t.stack.up();
    return Date.now() - began;
  } finally {
    await t.dispose();
  }
}

(async () => {
  const cluster = await startHostCluster("bench");
  try {
    process.env.DOCKER_HOST = cluster.hosts[0].engine.host; // the one-engine stack's engine
    const oneHost = await timeUp("b1", { cluster: { agents }, networks: [{ name: "bench-1", subnet: "9.246.0.0/16", prefix: 24 }], apps: [app("bench-1")] });
    const hosts = Object.fromEntries(cluster.hosts.map((h, k) => [h.name, { docker: h.engine.host, advertiseAddr: h.address, agents: [agents[k]] }]));
    const threeHosts = await timeUp("b3", { cluster: { agents, hosts }, networks: [{ name: "bench-3", subnet: "9.247.0.0/16", prefix: 24 }], apps: [app("bench-3")] });
    const again = await timeUp("b3b", { cluster: { agents, hosts }, networks: [{ name: "bench-4", subnet: "9.248.0.0/16", prefix: 24 }], apps: [app("bench-4")] });
    console.log(JSON.stringify({ "up, 6 instances, 1 host (ms)": oneHost, "up, 6 instances, 3 hosts, forming the swarm (ms)": threeHosts, "up, 6 instances, 3 hosts, swarm already formed (ms)": again }));
  } finally {
    await cluster.dispose();
  }
})().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
