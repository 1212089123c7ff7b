// `pulumi-dcos-vnet/core`: the pure rules and planners, usable without Pulumi or Docker
// (no import of either below this folder).
import { Failure } from "./common/failure";
import { AgentSubnets } from "./ipam/agentSubnets";
import { VirtualNetworkOutputs, checkVirtualNetwork, virtualNetworkOutputs } from "./overlay/virtualNetwork";

export type { Failure } from "./common/failure";
export type { Instance } from "./local/instance";
export type { MarathonConnection } from "./marathon/connection";
export type { JoinableNetwork } from "./marathon/appInputs";
export type { AgentSubnet, AgentSubnets, AddressPlan, AllocationChange, Capacity } from "./ipam/agentSubnets";
export { allocateAgentSubnets, capacityOf, noFreeSubnetsMessage } from "./ipam/agentSubnets";
export * from "./overlay";
export { validateVirtualNetwork } from "./overlay/virtualNetwork";
export type { VirtualNetworkInputs, VirtualNetworkOutputs } from "./overlay/virtualNetwork";
export * from "./marathon";
export { dockerSpecForVirtualNetwork } from "./local/dockerNetworkSpec";
// Where a local cluster puts an app's instances (agent, and which half of its block): for tools
// that plan ahead of the provider, such as the policy pack's headroom rule.
export { placeInstances } from "./local/placement";
export type { Placed, Placement } from "./local/placement";
export { halfFor } from "./local/instanceSpec";
export type { Half } from "./local/instanceSpec";
export type { DockerNetworkSpec } from "./local/dockerNetworkSpec";

/** A virtual network as declared: DC/OS's overlay fields plus agents, mtu and labels. */
export interface VirtualNetworkSpec {
  name: string;
  subnet?: string;
  prefix?: number;
  subnet6?: string;
  prefix6?: number;
  enabled?: boolean;
  agents?: string[];
  mtu?: number;
  labels?: Record<string, string>;
}

/**
 * What `VirtualNetwork`'s check does, as a plain function: validates one network and plans each
 * agent's block (the lowest free one; agents in `previous` keep theirs, as the DC/OS master does).
 */
export function planVirtualNetwork(
  spec: VirtualNetworkSpec,
  previous: AgentSubnets = {},
): { ok: true; plan: VirtualNetworkOutputs } | { ok: false; failures: Failure[] } {
  const olds = { ...spec, agentSubnets: previous };
  const checked = checkVirtualNetwork(olds, { ...spec }, () => false);
  if (checked.failures.length > 0) return { ok: false, failures: checked.failures };
  return { ok: true, plan: virtualNetworkOutputs(checked.inputs) };
}
