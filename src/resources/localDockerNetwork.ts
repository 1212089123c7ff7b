import * as pulumi from "@pulumi/pulumi";
import type { SwarmTarget } from "../backends/docker/swarm";
import { warnAboutDockerHost, warnAboutInputs } from "./runWarnings";
// The provider: one module-level object (Pulumi caches its serialisation per object), a handle
// that names the installed package (see providerHandle).
import provider = require("./handles/localDockerNetwork");

/** Inputs of a LocalDockerNetwork: the Docker network that stands in for one virtual network. */
export interface LocalDockerNetworkArgs {
  /** Docker network name (the virtual network's name). */
  name: pulumi.Input<string>;
  /** IPv4 subnet, canonical CIDR. */
  subnet: pulumi.Input<string>;
  gateway?: pulumi.Input<string>;
  /** Linux bridge name, ≤ 15 characters (DC/OS: `d-<name>`). */
  bridgeName?: pulumi.Input<string>;
  mtu?: pulumi.Input<number>;
  /** Off by default, as on DC/OS overlays. */
  ipMasquerade?: pulumi.Input<boolean>;
  labels?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** A cluster of several Docker hosts: the network is a swarm overlay over these hosts (kept secret in state: it may hold TLS client keys). */
  swarm?: pulumi.Input<SwarmTarget>;
  /** With swarm: the overlay is encrypted (IPsec between the hosts, Docker's `encrypted` option). Off by default; changing it replaces the network. */
  encrypted?: pulumi.Input<boolean>;
}

/**
 * A Docker user-defined bridge network created through the Docker Engine API (no provider plugin
 * needed, works offline). Ownership labels tie it to this project and stack.
 */
export class LocalDockerNetwork extends pulumi.dynamic.Resource {
  declare public readonly name: pulumi.Output<string>;
  declare public readonly subnet: pulumi.Output<string>;
  declare public readonly gateway: pulumi.Output<string>;
  declare public readonly bridgeName: pulumi.Output<string | undefined>;
  declare public readonly mtu: pulumi.Output<number | undefined>;
  declare public readonly labels: pulumi.Output<Record<string, string>>;
  /** The engine's id of the network (a label change keeps it). */
  declare public readonly networkId: pulumi.Output<string>;

  constructor(name: string, args: LocalDockerNetworkArgs, opts?: pulumi.CustomResourceOptions) {
    // The swarm's hosts carry their engines' TLS client keys: secret in the state and in previews.
    // A state that held them in plaintext diffs the same (the diff does not compare swarm).
    const { swarm, ...spec } = args;
    if (swarm !== undefined) warnAboutInputs({ engines: pulumi.output(swarm).apply((s) => s?.hosts ?? []) });
    else warnAboutDockerHost();
    super(
      provider,
      name,
      {
        ...spec,
        ...(swarm !== undefined ? { swarm: pulumi.secret(swarm) } : {}),
        owner: { project: pulumi.getProject(), stack: pulumi.getStack() },
        gateway: args.gateway ?? undefined,
        networkId: undefined,
      },
      swarm !== undefined ? { ...opts, additionalSecretOutputs: ["swarm"] } : opts,
      "dcos",
      "LocalDockerNetwork",
    );
  }
}
