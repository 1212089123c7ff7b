import * as pulumi from "@pulumi/pulumi";
import type { AgentSubnet, Capacity } from "../core/ipam/agentSubnets";
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

  constructor(name: string, args: VirtualNetworkArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      provider,
      name,
      { ...args, agentSubnets: undefined, gateway: undefined, capacity: undefined },
      opts,
      "dcos",
      "VirtualNetwork",
    );
  }
}
