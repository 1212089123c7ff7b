// The stack program: reads the stack's config (Pulumi.<stack>.yaml) and declares its resources.
// No logic of its own lives here.
import * as pulumi from "@pulumi/pulumi";
import { formatFailures, parseStackConfig } from "../config/stackConfig";
import { declareApps, declareNetworks, marathonConnection } from "../resources/cluster";

const config = new pulumi.Config();
const parsed = parseStackConfig({
  cluster: config.getObject("cluster"),
  networks: config.getObject("networks"),
  apps: config.getObject("apps"),
  marathon: config.getObject("marathon"),
});
if (!parsed.ok) {
  // RunError: printed as is, no stack trace; the preview fails before any resource is declared.
  throw new pulumi.RunError(`invalid stack configuration:\n${formatFailures(parsed.failures)}`);
}

const networks = declareNetworks(parsed.value);
// Values of Marathon secret sources: `pulumi config set --secret --path 'secrets.<source>' <value>`.
const secrets = config.getSecretObject<Record<string, string>>("secrets") ?? pulumi.secret<Record<string, string>>({});
const apps = declareApps(parsed.value, networks, secrets, marathonConnection(parsed.value, config));

export const virtualNetworks = Object.fromEntries(
  Object.entries(networks).map(([name, n]) => [
    name,
    {
      subnet: n.virtualNetwork.subnet,
      agentSubnets: n.virtualNetwork.agentSubnets,
      capacity: n.virtualNetwork.capacity,
      dockerNetwork: n.dockerNetworkName,
    },
  ]),
);

export const marathonApps = Object.fromEntries(
  Object.entries(apps).map(([id, app]) => [
    id,
    { network: app.network, instances: app.instances, servicePorts: app.servicePorts, dnsNames: app.aliases },
  ]),
);
