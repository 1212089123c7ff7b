// Apps of a prod stack join only prod networks: a prod app on a network shared with non-prod work
// could reach (and be reached by) it, which DC/OS's per-network isolation exists to prevent.
import type { StackValidationPolicy } from "@pulumi/policy";
import { appView, describeApp, fromPolicyResource, networkView, NetworkView } from "../resources";
import { PROD_DEFAULTS, PROD_SCHEMA, ProdConfig, StackIdentity, isProdStack, prodReason } from "../prod";

export function prodAppsOnProdNetworks(stack: () => StackIdentity): StackValidationPolicy {
  return {
    name: "dcos-prod-apps-on-prod-networks",
    description: "Apps of a prod stack join only virtual networks labelled prod (labels.env: prod by default).",
    enforcementLevel: "mandatory",
    configSchema: { properties: { ...PROD_SCHEMA } },
    validateStack: (args, reportViolation) => {
      const config: ProdConfig = { ...PROD_DEFAULTS, ...args.getConfig<Partial<ProdConfig>>() };
      if (!isProdStack(stack(), args.stackTags, config)) return;
      const resources = args.resources.map(fromPolicyResource);
      const networks = new Map<string, NetworkView>();
      for (const n of resources.map(networkView)) if (n) networks.set(n.name, n);
      const label = `${config.tagKey}: ${config.prodValue}`;
      for (const app of resources.map(appView)) {
        for (const joined of app?.networks ?? []) {
          const network = networks.get(joined.name);
          if (network?.labels[config.tagKey] === config.prodValue) continue;
          const why = network
            ? `VirtualNetwork ${network.resource.name} has no label ${label} (labels.${config.tagKey})`
            : "it is not a virtual network of this stack";
          reportViolation(
            `${describeApp(app!)} of prod ${prodReason(stack(), args.stackTags, config)} joins network ` +
              `${joined.name} (${joined.field}), which is not a prod network: ${why}. Join a network labelled ${label}, ` +
              `or label this one (dcos-vnet:networks[].labels)`,
            app!.resource.urn,
          );
        }
      }
    },
  };
}
