// pulumi-dcos-vnet resources as a stack program declares them, for the policy unit tests: the
// inputs DcosCluster gives each resource (src/resources/cluster.ts).
import { TestResource } from "../../policy/testing";
import { TYPES } from "../../policy/resources";

export const AGENTS = ["agent-1", "agent-2", "agent-3"];

export function vnet(name: string, subnet: string, extra: { prefix?: number; agents?: string[]; labels?: Record<string, string>; subnet6?: string; prefix6?: number } = {}): TestResource {
  return { type: TYPES.virtualNetwork, name, props: { name, subnet, prefix: extra.prefix ?? 24, agents: extra.agents ?? AGENTS, ...extra } };
}

/** The Docker network a local stack creates for a network it owns (none for an external one). */
export function dockerNet(name: string, subnet: string): TestResource {
  return { type: TYPES.localDockerNetwork, name, props: { name, subnet } };
}

/** An owned network: its VirtualNetwork and its Docker network. */
export const owned = (name: string, subnet: string, extra: Parameters<typeof vnet>[2] = {}) => [vnet(name, subnet, extra), dockerNet(name, subnet)];

export const HEALTH = [{ protocol: "MESOS_HTTP", path: "/", portIndex: 0 }];

export function app(id: string, network: string, extra: Record<string, unknown> = {}, target: "local" | "marathon" = "local"): TestResource {
  const name = id.replace(/^\//, "").split("/").join(".");
  return {
    type: TYPES.marathonApp,
    name,
    props: {
      app: {
        id, cmd: "sleep 3600", cpus: 0.1, mem: 32, instances: 2,
        container: { type: "DOCKER", docker: { image: "busybox" } },
        networks: [{ mode: "container", name: network }],
        ...extra,
      },
      target,
    },
  };
}
