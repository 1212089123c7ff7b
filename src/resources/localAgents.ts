import * as pulumi from "@pulumi/pulumi";
import type { HostNetwork } from "../core/local/agents";
// The provider: one module-level object, a handle that names the installed package (see providerHandle).
import provider = require("./handles/localAgents");

export interface LocalAgentsArgs {
  /** The Docker network playing the cluster's host network (a LocalDockerNetwork's name). */
  dockerNetwork: pulumi.Input<string>;
  /** Its subnet: agents take addresses of the first half, bridge-mode tasks of the second. */
  subnet: pulumi.Input<string>;
  agents: pulumi.Input<string[]>;
  /** DNS names each agent's address answers to on the host network. */
  aliases?: pulumi.Input<Record<string, string[]>>;
  /**
   * The Docker networks of the stack's overlays: each is opened to the host network and back (rules
   * in our DCOS-VNET chain, jumped to from the engine's DOCKER-USER chain), as DC/OS routes between
   * agents and overlay containers.
   */
  overlays?: pulumi.Input<pulumi.Input<string>[]>;
}

/**
 * The agents of a local cluster: each a container holding a network namespace with the agent's own
 * address on the host network. Host-mode tasks join it; bridge-mode ports are published in it.
 * `hostNetwork` is what a host- or bridge-mode MarathonApp takes.
 */
export class LocalAgents extends pulumi.dynamic.Resource {
  declare public readonly hostNetwork: pulumi.Output<HostNetwork>;
  declare public readonly agentStates: pulumi.Output<Record<string, string>>;
  /** Each overlay's routes to the host network: "present", "missing" (drift) or "unmanaged" (Docker does not isolate bridges there). */
  declare public readonly routeStates: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: LocalAgentsArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      provider,
      name,
      { ...args, aliases: args.aliases ?? {}, overlays: args.overlays ?? [], owner: { project: pulumi.getProject(), stack: pulumi.getStack() }, hostNetwork: undefined, agentStates: undefined, routeStates: undefined },
      opts,
      "dcos",
      "LocalAgents",
    );
  }
}
