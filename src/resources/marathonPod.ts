import * as pulumi from "@pulumi/pulumi";
import type { PodDefinition } from "../core/marathon/podTypes";
import type { JoinableNetwork } from "../core/marathon/appInputs";
import type { Instance } from "../core/local/instance";
import type { VipProxyState } from "../core/local/vipPlan";
import type { MarathonConnection } from "../core/marathon/connection";
import { readAppFile } from "./marathonApp";
import type { HostNetwork } from "../core/local/agents";
import type { TakenPorts } from "../core/local/hostPorts";
import { warnAboutInputs } from "./runWarnings";
// One module-level provider object, a handle naming the installed package (see providerHandle).
import provider = require("./handles/marathonPod");

export interface MarathonPodArgs {
  /** The pod definition as Marathon's `/v2/pods` takes it. */
  pod?: pulumi.Input<PodDefinition | Record<string, unknown>>;
  /** Or a path to a JSON file holding it (read when the program runs). */
  podFile?: string;
  /** The virtual networks the pod joins, by name (see `joinable`); others given are dropped by check. */
  networks: pulumi.Input<Record<string, pulumi.Input<JoinableNetwork>>>;
  /** Where it runs: the local Docker cluster (default) or a real Marathon. */
  target?: "local" | "marathon";
  /** How to reach Marathon when target is marathon (kept secret in state). */
  connection?: pulumi.Input<MarathonConnection>;
  /** A host-mode or published pod (endpoint hostPorts on container networks) on the local cluster: its agents, their host network (LocalAgents), and the ports other apps and pods hold there (DcosCluster gives them). */
  hostAgents?: string[];
  hostNetwork?: pulumi.Input<HostNetwork>;
  hostPortsTaken?: TakenPorts;
  /** The cluster's hostSubnet: check places a host-mode pod's IP VIPs in it at every preview, before the agents exist (not kept in state). */
  hostSubnet?: pulumi.Input<string>;
  /** target marathon: record the pod as Marathon already runs it, with no write (see MarathonAppArgs.adopt). */
  adopt?: boolean;
}

/**
 * A Marathon pod. On the local Docker cluster each instance is a holder container with one IP per
 * container network (from its agent's Mesos half of each) and the pod's containers in its network
 * namespace: they share those IPs and reach each other on localhost. Scaling, rolling and healing
 * work as for MarathonApp. A host-mode pod runs on the cluster's agents instead (its containers in
 * the agent's network namespace, its endpoints on host ports), and a container-network pod's
 * endpoint hostPorts are published at its agent's address: both need hostAgents and hostNetwork.
 * On a real DC/OS cluster: the pod through Marathon's `/v2/pods`.
 */
export class MarathonPod extends pulumi.dynamic.Resource {
  declare public readonly podId: pulumi.Output<string>;
  declare public readonly network: pulumi.Output<string>;
  declare public readonly instances: pulumi.Output<Instance[]>;
  /** Local cluster: the proxy serving each endpoint VIP address (absent when the pod declares none). */
  declare public readonly vips: pulumi.Output<VipProxyState[] | undefined>;

  constructor(name: string, args: MarathonPodArgs, opts?: pulumi.CustomResourceOptions) {
    const pod = args.pod ?? (args.podFile ? readAppFile(args.podFile) : undefined);
    if (pod === undefined) throw new pulumi.RunError(`MarathonPod ${name}: give pod or podFile`);
    warnAboutInputs({ connection: args.connection });
    super(
      provider,
      name,
      {
        pod,
        networks: args.networks,
        target: args.target ?? "local",
        connection: args.connection ? pulumi.secret(args.connection) : undefined,
        owner: { project: pulumi.getProject(), stack: pulumi.getStack() },
        // Only host-mode or published pods carry these (so any other container-network pod's inputs are as they were).
        ...(args.hostNetwork !== undefined ? { hostAgents: args.hostAgents, hostNetwork: args.hostNetwork, hostPortsTaken: args.hostPortsTaken ?? {} } : {}),
        ...(args.hostSubnet !== undefined ? { hostSubnet: args.hostSubnet } : {}),
        ...(args.adopt ? { adopt: true } : {}),
        podId: undefined,
        instances: undefined,
        network: undefined,
      },
      { ...opts, additionalSecretOutputs: ["connection"] },
      "dcos",
      "MarathonPod",
    );
  }
}
