// Every Marathon app has a health check: without one, Marathon (and DC/OS's load balancers) treat
// an instance as healthy as long as its process runs, and never replace one that stops answering.
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { appView, describeApp, fromPolicyResource } from "../resources";

export const appHealthCheck: ResourceValidationPolicy = {
  name: "dcos-app-health-check",
  description: "Every Marathon app declares at least one health check (app.healthChecks).",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    const app = appView(fromPolicyResource(args));
    if (app && app.app.healthChecks.length === 0) {
      reportViolation(
        `${describeApp(app)}: app.healthChecks is empty; every app needs at least one health check ` +
          "(HTTP, TCP or COMMAND), so that Marathon replaces instances that stop answering",
      );
    }
  },
};
