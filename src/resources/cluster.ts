// Declares a stack's resources from its parsed config: per virtual network, the VirtualNetwork
// (allocation) and, on a local cluster, the Docker network that plays its overlay.
import * as pulumi from "@pulumi/pulumi";
import { StackConfig, NetworkConfig, formatFailures } from "../config/stackConfig";
import { AppDefinition } from "../core/marathon/types";
import { validateApp } from "../core/marathon/validateApp";
import { normalizeApp } from "../core/marathon/normalize";
import { absoluteAppId } from "../core/marathon/appId";
import { assignServicePorts } from "../core/marathon/servicePorts";
import { MarathonApp, readAppFile } from "./marathonApp";
import type { MarathonConnection } from "../backends/marathon/deployer";
import { DockerNetworkSpec, bridgeOptions, dockerSpecForVirtualNetwork, ownerLabels } from "../core/local/dockerNetworkSpec";
import { VirtualNetwork } from "./virtualNetwork";
import { LocalDockerNetwork } from "./localDockerNetwork";

export interface DeclaredNetwork {
  virtualNetwork: VirtualNetwork;
  /** The Docker network's name on the local engine (undefined on a real DC/OS target). */
  dockerNetworkName?: pulumi.Output<string>;
}

export function declareNetworks(config: StackConfig): Record<string, DeclaredNetwork> {
  const declared: Record<string, DeclaredNetwork> = {};
  for (const net of config.networks) {
    const virtualNetwork = new VirtualNetwork(net.name, {
      name: net.name,
      subnet: net.subnet,
      prefix: net.prefix,
      subnet6: net.subnet6,
      prefix6: net.prefix6,
      enabled: net.enabled,
      agents: net.agents ?? config.cluster.agents,
      mtu: net.mtu,
      labels: net.labels,
    });
    declared[net.name] = { virtualNetwork };
    if (config.cluster.target === "local" && net.external) {
      // Another stack owns the Docker network; apps join it by name.
      declared[net.name].dockerNetworkName = pulumi.output(net.name);
    } else if (config.cluster.target === "local" && net.subnet !== undefined) {
      const spec = dockerSpecForVirtualNetwork({ name: net.name, subnet: net.subnet, mtu: net.mtu, labels: net.labels });
      declared[net.name].dockerNetworkName =
        config.cluster.dockerProvider === "pulumi-docker"
          ? declarePulumiDockerNetwork(net, spec, virtualNetwork)
          : new LocalDockerNetwork(net.name, spec, { dependsOn: virtualNetwork }).name;
    }
  }
  return declared;
}

/**
 * The same spec through @pulumi/docker's docker.Network, for machines that can fetch the docker
 * provider plugin. Loaded only when selected: the default path needs no plugin at all.
 */
function declarePulumiDockerNetwork(net: NetworkConfig, spec: DockerNetworkSpec, vn: VirtualNetwork): pulumi.Output<string> {
  const docker: typeof import("@pulumi/docker") = require("@pulumi/docker");
  const owner = { project: pulumi.getProject(), stack: pulumi.getStack() };
  const labels = { ...spec.labels, ...ownerLabels(owner) };
  const network = new docker.Network(
    net.name,
    {
      name: spec.name,
      driver: "bridge",
      attachable: true,
      ipamConfigs: [{ subnet: spec.subnet, gateway: spec.gateway }],
      options: bridgeOptions(spec),
      labels: Object.entries(labels).map(([label, value]) => ({ label, value })),
    },
    { dependsOn: vn },
  );
  return network.name;
}

/** The stack's apps, each from its JSON file or inline definition, on the stack's networks. */
export function declareApps(
  config: StackConfig,
  networks: Record<string, DeclaredNetwork>,
  secrets: pulumi.Output<Record<string, string>>,
  connection?: pulumi.Output<MarathonConnection>,
): Record<string, MarathonApp> {
  // App files are named relative to the project (where Pulumi.yaml is), whatever the cwd.
  const definitions = config.apps.map((entry) => entry.app ?? readAppFile(entry.file!, pulumi.getRootDirectory()));
  const servicePorts = stackServicePorts(definitions);
  const joinable = Object.fromEntries(
    Object.entries(networks).map(([name, n]) => [
      name,
      pulumi.output({ dockerNetwork: n.dockerNetworkName, agentSubnets: n.virtualNetwork.agentSubnets }),
    ]),
  );
  const target = config.cluster.target;
  const declared: Record<string, MarathonApp> = {};
  definitions.forEach((app, i) => {
    const id = typeof app.id === "string" ? absoluteAppId(app.id) : `/apps-${i}`;
    const name = id.slice(1).split("/").join(".") || `apps-${i}`; // "/" is refused by check, but needs a name
    declared[id] = new MarathonApp(
      name,
      {
        app,
        appFile: config.apps[i].file,
        networks: joinable,
        secretEnv: secrets,
        servicePorts: servicePorts[id],
        target,
        connection: target === "marathon" ? connection : undefined,
      },
      { dependsOn: Object.values(networks).map((n) => n.virtualNetwork) },
    );
  });
  return declared;
}

/**
 * Service ports are unique across the stack: assigned here over all apps (explicit ones first,
 * then 0/absent from 10000-20000). Apps that do not validate are left to their resource's check.
 */
function stackServicePorts(definitions: Record<string, unknown>[]): Record<string, number[]> {
  const valid = definitions
    .filter((app) => validateApp(app).length === 0)
    .map((app) => normalizeApp(app as unknown as AppDefinition));
  const assigned = assignServicePorts(valid.map((app) => ({ id: app.id, portMappings: app.container?.portMappings ?? [] })));
  if (assigned.failures.length > 0) {
    throw new pulumi.RunError(`invalid stack configuration:\n${formatFailures(assigned.failures.map((f) => ({ ...f, property: `dcos-vnet:${f.property}` })))}`);
  }
  return assigned.ports;
}

/**
 * How a `target: marathon` stack reaches Marathon: the URL and options from dcos-vnet:marathon,
 * the token or password from the secret keys dcos-vnet:marathonToken / dcos-vnet:marathonPassword.
 */
export function marathonConnection(config: StackConfig, pulumiConfig: pulumi.Config): pulumi.Output<MarathonConnection> | undefined {
  const m = config.marathon;
  if (!m) return undefined;
  const url = /\/service\/marathon\/?$/.test(m.url) || /\/v2\/?$/.test(m.url) ? m.url : `${m.url.replace(/\/+$/, "")}/service/marathon`;
  const caBundle = m.caBundleFile ? require("fs").readFileSync(require("path").resolve(pulumi.getRootDirectory(), m.caBundleFile), "utf8") : undefined;
  return pulumi
    .all([pulumiConfig.getSecret("marathonToken"), pulumiConfig.getSecret("marathonPassword")])
    .apply(([token, password]) => ({
      url,
      ...(token ? { token } : {}),
      ...(m.uid ? { uid: m.uid } : {}),
      ...(password ? { password } : {}),
      ...(caBundle ? { caBundle } : {}),
      ...(m.insecureSkipVerify ? { insecureSkipVerify: true } : {}),
      ...(m.force ? { force: true } : {}),
      ...(m.deploymentTimeoutSeconds ? { deploymentTimeoutSeconds: m.deploymentTimeoutSeconds } : {}),
    }));
}
