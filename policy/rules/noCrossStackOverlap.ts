// No two stacks' networks overlap unless one declares the other's network external: overlapping
// address spaces route ambiguously across the overlay, and two stacks allocating from the same
// space hand out the same addresses. Sharing one network is how two stacks run apps side by side
// (`external: true` in the stack that does not own it), and is allowed.
//
// The address spaces are compared with DC/OS's own overlay rule (validateOverlaySet), whose
// wording the message quotes.
import type { StackValidationPolicy } from "@pulumi/policy";
import { validateOverlaySet } from "pulumi-dcos-vnet/core";
import { DeclaredResource, NetworkView, externalNetworks, fromPolicyResource, networkView } from "../resources";
import { StackResources, otherStacks, shortName } from "../otherStacks";
import { StackIdentity } from "../prod";

export interface OverlapConfig {
  /** Stacks to compare with (default: every other stack of the project in the backend). */
  stacks: string[];
}

export interface Overlap {
  network: NetworkView;
  field: "subnet" | "subnet6";
  message: string;
}

function networksOf(resources: DeclaredResource[]): NetworkView[] {
  return resources.map(networkView).filter((n): n is NetworkView => n !== undefined);
}

/** This stack's networks that overlap another stack's, except networks shared through `external`. */
export function overlaps(mine: DeclaredResource[], others: StackResources[]): Overlap[] {
  const myExternal = externalNetworks(mine);
  const found: Overlap[] = [];
  for (const other of others) {
    const theirExternal = externalNetworks(other.resources);
    for (const theirs of networksOf(other.resources)) {
      for (const network of networksOf(mine)) {
        const shared = network.name === theirs.name && (myExternal.has(network.name) || theirExternal.has(theirs.name));
        if (shared) continue;
        const label = `${shortName(other.stack)}/${theirs.name}`;
        const pair = [
          { name: label, subnet: theirs.subnet, subnet6: theirs.subnet6 },
          { name: network.name, subnet: network.subnet, subnet6: network.subnet6 },
        ];
        // DC/OS's rule finds the overlap (and names whichever network starts later): the message
        // keeps its wording, about this stack's network.
        for (const f of validateOverlaySet(pair)) {
          if (!f.reason.includes("overlapping address spaces")) continue;
          const field = f.property.endsWith("subnet6") ? "subnet6" : "subnet";
          found.push({
            network,
            field,
            message:
              `Incorrect address space for the overlay network '${network.name}': Found overlapping address spaces ` +
              `(${JSON.stringify(network[field])} overlaps '${label}' ${JSON.stringify(theirs[field])})`,
          });
        }
      }
    }
  }
  return found;
}

export function noCrossStackOverlap(
  stack: () => StackIdentity,
  read: (project: string, current: string, names?: string[]) => Promise<StackResources[]> = otherStacks,
): StackValidationPolicy {
  return {
    name: "dcos-no-cross-stack-overlap",
    description: "No two stacks' virtual networks overlap, unless one stack declares the other's network external.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { stacks: { type: "array", items: { type: "string" }, default: [] } } },
    validateStack: async (args, reportViolation) => {
      const config: OverlapConfig = { stacks: [], ...args.getConfig<Partial<OverlapConfig>>() };
      const { name, project } = stack();
      let others: StackResources[];
      try {
        others = await read(project, name, config.stacks);
      } catch (err) {
        reportViolation(`cannot read the other stacks of project ${project} to compare networks: ${(err as Error).message}`);
        return;
      }
      for (const o of overlaps(args.resources.map(fromPolicyResource), others)) {
        reportViolation(
          `VirtualNetwork ${o.network.resource.name} (${o.field}): ${o.message}. Networks of two stacks may ` +
            "overlap only when they are one network that one of the stacks declares external " +
            "(dcos-vnet:networks[].external: true); otherwise give this one an address space of its own",
          o.network.resource.urn,
        );
      }
    },
  };
}
