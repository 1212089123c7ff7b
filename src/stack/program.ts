// The stack-config way as a Pulumi program, shipped as `pulumi-dcos-vnet/stack`: the stack's
// `dcos-vnet:` config becomes one DcosCluster through the public API, and its allocation and apps
// become the stack's outputs. This repository's own stacks run it (stacks/index.js).
import { clusterFromStackConfig } from "../index";

const cluster = clusterFromStackConfig();

export const virtualNetworks = cluster.virtualNetworkOutputs();
export const marathonApps = cluster.appOutputs();
// Only stacks with pods have this output, so other stacks' outputs stay as they were.
export const marathonPods = Object.keys(cluster.pods).length > 0 ? cluster.podOutputs() : undefined;
/** The agents' host network and their addresses: only in stacks with host- or bridge-mode apps. */
export const hostNetwork = cluster.hostNetworkOutput();
