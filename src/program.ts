// The stack program: reads the stack's config (Pulumi.<stack>.yaml) and declares its resources.
// No logic of its own lives here.
import * as pulumi from "@pulumi/pulumi";
import { LocalDockerNetwork } from "./resources/localDockerNetwork";

interface NetworkConfig {
  name: string;
  subnet: string;
  prefix?: number;
  mtu?: number;
  labels?: Record<string, string>;
}

const config = new pulumi.Config();
const networks = config.requireObject<NetworkConfig[]>("networks");

export const dockerNetworks = networks.map((net) => {
  const network = new LocalDockerNetwork(net.name, {
    name: net.name,
    subnet: net.subnet,
    bridgeName: `d-${net.name}`,
    mtu: net.mtu ?? 1420,
    labels: net.labels ?? {},
  });
  return { name: network.name, subnet: network.subnet, gateway: network.gateway, networkId: network.networkId };
});
