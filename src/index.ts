// pulumi-dcos-vnet: DC/OS virtual networks (IP-per-container) and Marathon apps as Pulumi
// resources, with a local Docker-backed cluster. The pure planners are also at
// `pulumi-dcos-vnet/core`, which loads no Pulumi.
export { VirtualNetwork } from "./resources/virtualNetwork";
export type { VirtualNetworkArgs } from "./resources/virtualNetwork";
export { MarathonApp, joinable, readAppFile } from "./resources/marathonApp";
export type { MarathonAppArgs } from "./resources/marathonApp";
export { MarathonPod } from "./resources/marathonPod";
export type { MarathonPodArgs } from "./resources/marathonPod";
export type { PodDefinition } from "./core/marathon/podTypes";
export { LocalDockerNetwork } from "./resources/localDockerNetwork";
export type { LocalDockerNetworkArgs } from "./resources/localDockerNetwork";
export { LocalAgents } from "./resources/localAgents";
export type { LocalAgentsArgs } from "./resources/localAgents";
export { DcosCluster } from "./resources/cluster";
export type { ClusterNetwork, DcosClusterArgs, DcosClusterOptions } from "./resources/cluster";
export { clusterFromStackConfig } from "./stack/fromStackConfig";
export { CONFIG_NAMESPACE, formatFailures, parseStackConfig } from "./config/stackConfig";
export type {
  AppConfig, PodConfig, ClusterConfig, ClusterSpec, MarathonTargetConfig, NetworkConfig, ParsedStackConfig, StackConfig,
} from "./config/stackConfig";
export * from "./core";
