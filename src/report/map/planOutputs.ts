// The part of a stack's outputs (`pulumi stack output --json`, shaped by src/stack/program.ts) that the
// address-plan picture reads. Every field is optional: the picture is drawn from whatever a stack
// holds (a disabled network has no blocks, a Marathon-target app has no local instances).

export interface PlanAgentSubnet {
  block?: string;
  mesos?: string;
  docker?: string;
  block6?: string;
  mesos6?: string;
  docker6?: string;
  /** Target marathon: the agent has not registered with the overlay master; the block is a prediction. */
  predicted?: boolean;
}

export interface PlanCapacity {
  blocks?: number;
  blocksUsed?: number;
  blocksFree?: number;
  containersPerHalf?: number;
}

export interface PlanVirtualNetwork {
  subnet?: string;
  /** An IPv6 overlay's subnet (`fd01:b::/64`). */
  subnet6?: string;
  agentSubnets?: Record<string, PlanAgentSubnet>;
  capacity?: PlanCapacity;
  dockerNetwork?: string;
}

export type InstanceState = "running" | "stopped" | "missing";

export interface PlanInstance {
  index?: number;
  agent?: string;
  ip?: string;
  container?: string;
  containerId?: string;
  half?: "docker" | "mesos";
  state?: InstanceState | string;
  /** Host- and bridge-mode instances: host ports on their agent, and a bridge task's own address. */
  ports?: number[];
  taskIp?: string;
}

export interface PlanMarathonApp {
  network?: string;
  instances?: PlanInstance[];
}

export interface PlanOutputs {
  virtualNetworks?: Record<string, PlanVirtualNetwork>;
  marathonApps?: Record<string, PlanMarathonApp>;
  /** The local cluster's host network and each agent's address (stacks with host or bridge apps). */
  hostNetwork?: { subnet?: string; dockerNetwork?: string; agents?: Record<string, { ip?: string }> };
}
