// Each agent's half-blocks keep room to grow: a half that the planned instances nearly fill leaves
// no address for a scale-up, a rolling upgrade's extra instance, or an instance restarting while
// its old container is still there. Advisory by default (a warning in the preview).
//
// The plan is the provider's own: instances placed on the network's agents as the local cluster
// places them (fewest of the app first, constraints on hostname honoured), each in its agent's
// Docker half (Docker apps) or Mesos half (others). Apps deployed to a real DC/OS cluster (target
// marathon) are placed by Marathon, not planned here.
import type { StackValidationPolicy } from "@pulumi/policy";
import { capacityOf, halfFor, placeInstances } from "pulumi-dcos-vnet/core";
import { AppView, fromPolicyResource, networkView, appView } from "../resources";

export interface HeadroomConfig {
  minHeadroomPercent: number;
}

export const HEADROOM_DEFAULT = 20;

interface HalfLoad {
  agent: string;
  half: "docker" | "mesos";
  used: number;
  apps: string[];
}

/** Instances planned per agent half of one network. */
export function plannedLoad(agents: string[], apps: AppView[]): HalfLoad[] {
  const loads = new Map<string, HalfLoad>();
  for (const a of apps) {
    const placement = placeInstances(agents, a.app.constraints, [], a.app.instances, 0);
    if (!placement.ok) continue; // the provider's check reports it
    const half = halfFor(a.app);
    for (const p of placement.placed) {
      const key = `${p.agent} ${half}`;
      const load = loads.get(key) ?? { agent: p.agent, half, used: 0, apps: [] };
      load.used += 1;
      if (!load.apps.includes(a.app.id)) load.apps.push(a.app.id);
      loads.set(key, load);
    }
  }
  return [...loads.values()];
}

export const networkHeadroom: StackValidationPolicy = {
  name: "dcos-network-headroom",
  description: "Each agent half-block of a network keeps at least minHeadroomPercent of its container addresses free.",
  enforcementLevel: "advisory",
  configSchema: {
    properties: { minHeadroomPercent: { type: "number", minimum: 0, maximum: 100, default: HEADROOM_DEFAULT } },
  },
  validateStack: (args, reportViolation) => {
    const { minHeadroomPercent } = { minHeadroomPercent: HEADROOM_DEFAULT, ...args.getConfig<Partial<HeadroomConfig>>() };
    const resources = args.resources.map(fromPolicyResource);
    const apps = resources.map(appView).filter((a): a is AppView => a !== undefined && a.target === "local");
    for (const network of resources.map(networkView)) {
      if (!network) continue;
      const size = capacityOf(
        { name: network.name, subnet: network.subnet, prefix: network.prefix, subnet6: network.subnet6, prefix6: network.prefix6 },
        network.agents.length,
      )?.containersPerHalf;
      if (!size) continue;
      const joining = apps.filter((a) => a.networks.some((n) => n.name === network.name));
      for (const load of plannedLoad(network.agents, joining)) {
        const free = ((size - load.used) / size) * 100;
        if (free >= minHeadroomPercent) continue;
        reportViolation(
          `VirtualNetwork ${network.resource.name}: ${load.agent}'s ${load.half === "docker" ? "Docker" : "Mesos"} half ` +
            `would hold ${load.used} of its ${size} container addresses (${Math.max(0, Math.floor(free))}% free) with ` +
            `${[...load.apps].sort().join(", ")}; keep at least ${minHeadroomPercent}% of each half free (policy config ` +
            `minHeadroomPercent): a shorter prefix gives each agent a bigger block (prefix), or move apps to another network`,
          network.resource.urn,
        );
      }
    }
  },
};
