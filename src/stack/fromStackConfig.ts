// The stack-config way: a DcosCluster from the `dcos-vnet:` keys of the current stack's config
// (Pulumi.<stack>.yaml), as this repository's own stacks declare theirs.
import * as pulumi from "@pulumi/pulumi";
import { CONFIG_NAMESPACE, formatFailures, parseStackConfig } from "../config/stackConfig";
import { DcosCluster } from "../resources/cluster";

/**
 * Reads `dcos-vnet:cluster`, `networks`, `apps`, `pods`, `marathon`, `vtep`, the secret `secrets` map and the secret
 * keys `marathonToken` / `marathonPassword`, and declares the cluster. A wrong value fails the
 * preview before any resource is declared, naming the config key and field.
 */
export function clusterFromStackConfig(name: string = pulumi.getStack()): DcosCluster {
  const config = new pulumi.Config(CONFIG_NAMESPACE);
  const raw = {
    cluster: config.getObject("cluster"),
    networks: config.getObject("networks"),
    apps: config.getObject("apps"),
    pods: config.getObject("pods"),
    marathon: config.getObject("marathon"),
    vtep: config.getObject("vtep"),
    // Set by `dcos-vnet adopt` for its own run only: apps and pods are recorded, not deployed.
    adopting: config.getObject<unknown>("adopting"),
  };
  const marathonToken = config.getSecret("marathonToken");
  const marathonPassword = config.getSecret("marathonPassword");
  // Whether credentials are given decides if an http:// Marathon URL is refused.
  const parsed = parseStackConfig({ ...raw, marathonToken, marathonPassword });
  if (!parsed.ok) {
    // RunError: printed as is, no stack trace.
    throw new pulumi.RunError(`invalid stack configuration:\n${formatFailures(parsed.failures)}`);
  }
  return new DcosCluster(
    name,
    {
      ...parsed.value,
      // Values of Marathon secret sources: `pulumi config set --secret --path 'secrets.<source>' <value>`.
      secrets: config.getSecretObject<Record<string, string>>("secrets"),
      marathonToken,
      marathonPassword,
    },
    { configNamespace: CONFIG_NAMESPACE },
  );
}
