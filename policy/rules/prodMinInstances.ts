// A prod app runs enough instances to survive losing one (an agent drained, an instance
// restarting): at least `minInstances` (default 2).
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { appView, describeApp, fromPolicyResource } from "../resources";
import { PROD_DEFAULTS, PROD_SCHEMA, ProdConfig, StackIdentity, isProdStack, prodReason } from "../prod";

export interface MinInstancesConfig extends ProdConfig {
  minInstances: number;
}

export const MIN_INSTANCES_DEFAULT = 2;

export function prodMinInstances(stack: () => StackIdentity): ResourceValidationPolicy {
  return {
    name: "dcos-prod-app-min-instances",
    description: "Apps of a prod stack run at least minInstances instances (app.instances).",
    enforcementLevel: "mandatory",
    configSchema: {
      properties: { minInstances: { type: "integer", minimum: 1, default: MIN_INSTANCES_DEFAULT }, ...PROD_SCHEMA },
    },
    validateResource: (args, reportViolation) => {
      const config: MinInstancesConfig = { ...PROD_DEFAULTS, minInstances: MIN_INSTANCES_DEFAULT, ...args.getConfig<Partial<MinInstancesConfig>>() };
      if (!isProdStack(stack(), args.stackTags, config)) return;
      const app = appView(fromPolicyResource(args));
      if (app && app.app.instances < config.minInstances) {
        reportViolation(
          `${describeApp(app)} of prod ${prodReason(stack(), args.stackTags, config)}: app.instances is ` +
            `${app.app.instances}; prod apps run at least ${config.minInstances} instances (policy config minInstances)`,
        );
      }
    },
  };
}
