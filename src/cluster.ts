// Declares a stack's resources from its parsed config: per virtual network, the VirtualNetwork
// (allocation) and, on a local cluster, the Docker network that plays its overlay.
import * as pulumi from "@pulumi/pulumi";
import { StackConfig, NetworkConfig } from "./core/stackConfig";
import { DockerNetworkSpec, bridgeOptions, dockerSpecForVirtualNetwork, ownerLabels } from "./core/dockerNetworkSpec";
import { VirtualNetwork } from "./resources/virtualNetwork";
import { LocalDockerNetwork } from "./resources/localDockerNetwork";

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
    if (config.cluster.target === "local" && net.subnet !== undefined) {
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
