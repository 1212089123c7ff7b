// Privileged containers (`container.docker.privileged: true`) are root on their agent's host. The
// provider runs them on the local cluster only when the operator allows it
// (dcos-vnet:cluster.allowPrivileged), and DC/OS only with its permissions; this rule says so in
// review too: mandatory in a prod stack, a warning elsewhere. Two rules, because a rule has one
// enforcement level (each can be changed in the policy config like any other).
import type { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { AppView, appView, describeApp, fromPolicyResource } from "../resources";
import { PROD_DEFAULTS, PROD_SCHEMA, ProdConfig, StackIdentity, isProdStack, prodReason } from "../prod";

const FIELD = "app.container.docker.privileged";

/** The app when it asks for a privileged container, and whether the stack is prod. */
function privilegedApp(args: ResourceValidationArgs, stack: StackIdentity): { app: AppView; prod: boolean; config: ProdConfig } | undefined {
  const app = appView(fromPolicyResource(args));
  if (app?.app.container?.docker?.privileged !== true) return undefined;
  const config: ProdConfig = { ...PROD_DEFAULTS, ...args.getConfig<Partial<ProdConfig>>() };
  return { app, prod: isProdStack(stack, args.stackTags, config), config };
}

const WHY = "a privileged container is root on its agent's host (every device and capability)";

export function prodNoPrivilegedContainers(stack: () => StackIdentity): ResourceValidationPolicy {
  return {
    name: "dcos-prod-no-privileged-containers",
    description: `Apps of a prod stack run no privileged container (${FIELD}).`,
    enforcementLevel: "mandatory",
    configSchema: { properties: { ...PROD_SCHEMA } },
    validateResource: (args, reportViolation) => {
      const found = privilegedApp(args, stack());
      if (!found?.prod) return;
      reportViolation(
        `${describeApp(found.app)} of prod ${prodReason(stack(), args.stackTags, found.config)} runs a privileged container ` +
          `(${FIELD}: true); ${WHY}. Prod apps run unprivileged: remove it`,
      );
    },
  };
}

export function privilegedContainers(stack: () => StackIdentity): ResourceValidationPolicy {
  return {
    name: "dcos-privileged-containers",
    description: `Apps of stacks that are not prod are warned about a privileged container (${FIELD}).`,
    enforcementLevel: "advisory",
    configSchema: { properties: { ...PROD_SCHEMA } },
    validateResource: (args, reportViolation) => {
      const found = privilegedApp(args, stack());
      if (!found || found.prod) return; // a prod stack's is dcos-prod-no-privileged-containers'
      reportViolation(`${describeApp(found.app)} runs a privileged container (${FIELD}: true); ${WHY}`);
    },
  };
}
