// The stack-config way as a Pulumi program, shipped as `pulumi-dcos-vnet/stack`: the stack's
// `dcos-vnet:` config becomes one DcosCluster through the public API, and its allocation and apps
// become the stack's outputs. This repository's own stacks run it (stacks/index.js).
import { clusterFromStackConfig } from "../index";

const cluster = clusterFromStackConfig();

const outputs: Record<string, unknown> = {
  virtualNetworks: cluster.virtualNetworkOutputs(),
  marathonApps: cluster.appOutputs(),
};
// Pods, and the agents' host network with their addresses, only in stacks that have them: an
// export left undefined would warn on every preview ("Undefined value … will not show as a stack
// output"), and other stacks' outputs stay as they were.
if (Object.keys(cluster.pods).length > 0) outputs.marathonPods = cluster.podOutputs();
const hostNetwork = cluster.hostNetworkOutput();
if (hostNetwork !== undefined) outputs.hostNetwork = hostNetwork;

export = outputs;
