import * as pulumi from "@pulumi/pulumi";
import type { AgentSubnet, Capacity } from "../core/ipam/agentSubnets";
import type { MarathonConnection } from "../core/marathon/connection";
import type { UnhealthyAgent } from "../core/overlay/virtualNetwork";
import { masterAllocationWarnings } from "../core/overlay/masterAllocation";
// The provider: one module-level object (Pulumi caches its serialisation per object), a handle
// that names the installed package (see providerHandle).
import provider = require("./handles/virtualNetwork");

/** A DC/OS virtual network (overlay), as in config.yaml's `dcos_overlay_network.overlays[]`. */
export interface VirtualNetworkArgs {
  /** Overlay name, ≤ 13 characters, a DNS label, not host/bridge/default/none. */
  name: pulumi.Input<string>;
  /** IPv4 overlay subnet, e.g. 9.0.0.0/8. */
  subnet?: pulumi.Input<string>;
  /** Agent block size, e.g. 24: each agent gets one /prefix block. */
  prefix?: pulumi.Input<number>;
  subnet6?: pulumi.Input<string>;
  prefix6?: pulumi.Input<number>;
  /** Disabled overlays allocate nothing (default true). */
  enabled?: pulumi.Input<boolean>;
  /** Agent ids; each gets the lowest free block, and keeps it while listed. */
  agents?: pulumi.Input<pulumi.Input<string>[]>;
  /** Bridge MTU (DC/OS overlays: 1420). */
  mtu?: pulumi.Input<number>;
  labels?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /**
   * A real DC/OS cluster (target marathon): how to reach it, as MarathonApp's `connection`. Its
   * overlay master's blocks become the allocation on create, update and refresh; blocks of agents
   * it has not registered are predictions. Kept secret in the state. Absent: a local cluster.
   */
  connection?: pulumi.Input<MarathonConnection>;
  /** Where `agents` come from, for warnings (DcosCluster: `dcos-vnet:cluster.agents`). */
  agentsKey?: string;
}

export class VirtualNetwork extends pulumi.dynamic.Resource {
  declare public readonly name: pulumi.Output<string>;
  declare public readonly subnet: pulumi.Output<string | undefined>;
  declare public readonly prefix: pulumi.Output<number | undefined>;
  declare public readonly subnet6: pulumi.Output<string | undefined>;
  declare public readonly prefix6: pulumi.Output<number | undefined>;
  declare public readonly enabled: pulumi.Output<boolean>;
  declare public readonly agents: pulumi.Output<string[]>;
  declare public readonly mtu: pulumi.Output<number>;
  /** agent → { block, mesos, docker (and block6, mesos6, docker6) }. */
  declare public readonly agentSubnets: pulumi.Output<Record<string, AgentSubnet>>;
  declare public readonly gateway: pulumi.Output<string | undefined>;
  declare public readonly capacity: pulumi.Output<Capacity>;
  /** Target marathon: agents whose overlay the master does not report STATUS_OK. */
  declare public readonly unhealthyAgents: pulumi.Output<UnhealthyAgent[] | undefined>;

  constructor(name: string, args: VirtualNetworkArgs, opts?: pulumi.CustomResourceOptions) {
    const { connection, agentsKey, ...rest } = args;
    super(
      provider,
      name,
      {
        ...rest,
        // Only given on a real cluster: a local network's inputs stay as they were.
        ...(connection !== undefined ? { connection: pulumi.secret(connection) } : {}),
        agentSubnets: undefined,
        gateway: undefined,
        capacity: undefined,
        ...(connection !== undefined ? { unhealthyAgents: undefined } : {}),
      },
      opts,
      "dcos",
      "VirtualNetwork",
    );
    // Said from the state at every preview and up (a preview never asks the master).
    if (connection !== undefined) {
      pulumi.all([this.name, this.agentSubnets, this.agents, this.unhealthyAgents]).apply(([network, subnets, agents, unhealthy]) => {
        for (const w of masterAllocationWarnings(network, subnets, agents ?? [], unhealthy, agentsKey)) void pulumi.log.warn(w, this);
      });
    }
  }
}
