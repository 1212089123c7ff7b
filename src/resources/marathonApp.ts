import * as pulumi from "@pulumi/pulumi";
import * as fs from "fs";
import * as path from "path";
import type { AppDefinition } from "../core/marathon/types";
import type { JoinableNetwork } from "../core/marathon/appInputs";
import type { AgentSubnets } from "../core/ipam/agentSubnets";
import type { Instance } from "../core/local/instance";
import type { VipProxyState } from "../core/local/vipPlan";
import type { MarathonConnection } from "../core/marathon/connection";
import type { EngineRef } from "../backends/docker/engines";
import type { HostNetwork } from "../core/local/agents";
import type { TakenPorts } from "../core/local/hostPorts";
import { warnAboutDockerHost, warnAboutInputs } from "./runWarnings";
// The provider: one module-level object (Pulumi caches its serialisation per object), a handle
// that names the installed package (see providerHandle).
import provider = require("./handles/marathonApp");

export interface MarathonAppArgs {
  /** The app definition as Marathon JSON (legacy `ipAddress` form or 1.5+ `networks`). */
  app?: pulumi.Input<AppDefinition | Record<string, unknown>>;
  /** Or a path to a JSON file holding it (read when the program runs). */
  appFile?: string;
  /**
   * The virtual network(s) the app joins, by name: each its agent allocation and, on a local
   * cluster, its Docker network (see `joinable`). Others given are dropped by check: an app's
   * state holds only what it uses.
   */
  networks: pulumi.Input<Record<string, pulumi.Input<JoinableNetwork>>>;
  /** Values of the Marathon secret sources the app references (`secrets.<name>.source`). Kept secret. */
  secretEnv?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Service ports assigned across the stack (default: assigned for this app alone). */
  servicePorts?: pulumi.Input<number[]>;
  /** Where it runs: the local Docker cluster (default) or a real Marathon. */
  target?: "local" | "marathon";
  /** How to reach Marathon when target is marathon (kept secret in state). */
  connection?: pulumi.Input<MarathonConnection>;
  /** A cluster of several Docker hosts: each agent's engine (kept secret in state: it may hold TLS client keys). */
  engines?: pulumi.Input<Record<string, EngineRef>>;
  /** Host- and bridge-mode apps on a local cluster: its agents, their host network (LocalAgents.hostNetwork), and the ports other apps hold. */
  hostAgents?: string[];
  hostNetwork?: pulumi.Input<HostNetwork>;
  hostPortsTaken?: TakenPorts;
  /** The cluster's hostSubnet: check places a host or bridge app's IP VIPs in it at every preview (not kept in state). */
  hostSubnet?: string;
  /** The local cluster runs the app's privileged container (`container.docker.privileged`); refused at check without it (not kept in state). */
  allowPrivileged?: boolean;
  /**
   * target marathon: record the app as Marathon already runs it instead of creating it, with no
   * write (refused, naming the fields, if Marathon's copy differs or there is none). Never a change:
   * diff ignores it, and the outputs do not keep it. `dcos-vnet adopt` sets it (DcosCluster `adopting`).
   */
  adopt?: boolean;
}

/** Reads a Marathon JSON file; a file that does not parse stops the program with its name and the parser's reason. */
export function readAppFile(file: string, baseDir = process.cwd()): Record<string, unknown> {
  let text: string;
  try {
    text = fs.readFileSync(path.resolve(baseDir, file), "utf8");
  } catch (err) {
    throw new pulumi.RunError(`${file}: cannot read the app definition: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new pulumi.RunError(`${file}: the app definition is not valid JSON: ${(err as Error).message}`);
  }
}

/**
 * What an app needs of a virtual network it joins: its agent allocation and, on a local cluster,
 * the Docker network that plays it. The app then depends on those two resources.
 */
export function joinable(
  network: { agentSubnets: pulumi.Input<AgentSubnets>; subnet?: pulumi.Input<string | undefined> },
  dockerNetwork?: pulumi.Input<string>,
): pulumi.Output<JoinableNetwork> {
  // The subnet only lets check place IP VIPs; check drops it, so the state does not grow.
  return pulumi.output({
    agentSubnets: network.agentSubnets,
    ...(network.subnet !== undefined ? { subnet: network.subnet } : {}),
    ...(dockerNetwork !== undefined ? { dockerNetwork } : {}),
  }) as pulumi.Output<JoinableNetwork>;
}

/**
 * A Marathon app. On the local Docker cluster: each instance a container with its own IP on the
 * app's virtual network, from its agent's Docker half (Docker apps) or Mesos half (Mesos apps).
 * On a real DC/OS cluster: the app in Marathon, each change waiting for its deployment.
 */
export class MarathonApp extends pulumi.dynamic.Resource {
  declare public readonly appId: pulumi.Output<string>;
  declare public readonly network: pulumi.Output<string>;
  declare public readonly instances: pulumi.Output<Instance[]>;
  declare public readonly servicePorts: pulumi.Output<number[]>;
  declare public readonly aliases: pulumi.Output<string[]>;
  /** Local cluster: the proxy serving each VIP address (absent when the app declares none). */
  declare public readonly vips: pulumi.Output<VipProxyState[] | undefined>;

  constructor(name: string, args: MarathonAppArgs, opts?: pulumi.CustomResourceOptions) {
    const app = args.app ?? (args.appFile ? readAppFile(args.appFile) : undefined);
    if (app === undefined) throw new pulumi.RunError(`MarathonApp ${name}: give app or appFile`);
    // Only the properties given: the SDK makes each property of a resource an Output with a
    // handful of promises (and their stack traces) in the program, so a preview of many apps pays
    // for every key passed, set or not. check fills the defaults (target local, no secrets).
    // Secret in the state and in previews, whoever declares the app (DcosCluster or a program of
    // its own). A state that held them in plaintext diffs the same: no diff compares their secrecy.
    const secret = {
      ...(args.secretEnv ? { secretEnv: pulumi.secret(args.secretEnv) } : {}),
      ...(args.connection ? { connection: pulumi.secret(args.connection) } : {}),
      ...(args.engines !== undefined ? { engines: pulumi.secret(args.engines) } : {}),
    };
    // The one engine of DOCKER_HOST runs a local app that names no engines of its own.
    if ((args.target ?? "local") === "local" && args.engines === undefined) warnAboutDockerHost();
    warnAboutInputs({
      secretEnv: args.secretEnv,
      connection: args.connection,
      ...(args.engines !== undefined ? { engines: pulumi.output(args.engines).apply((e) => Object.values(e ?? {})) } : {}),
    });
    super(
      provider,
      name,
      {
        app,
        ...(args.appFile !== undefined ? { appFile: args.appFile } : {}),
        networks: args.networks,
        ...secret,
        servicePorts: args.servicePorts,
        ...(args.target !== undefined ? { target: args.target } : {}),
        owner: { project: pulumi.getProject(), stack: pulumi.getStack() },
        ...(args.hostNetwork !== undefined ? { hostAgents: args.hostAgents, hostNetwork: args.hostNetwork, hostPortsTaken: args.hostPortsTaken ?? {} } : {}),
        ...(args.hostSubnet !== undefined ? { hostSubnet: args.hostSubnet } : {}),
        ...(args.allowPrivileged !== undefined ? { allowPrivileged: args.allowPrivileged } : {}),
        ...(args.adopt ? { adopt: true } : {}),
        appId: undefined,
        instances: undefined,
        aliases: undefined,
        vips: undefined,
        network: undefined,
      },
      Object.keys(secret).length > 0 ? { ...opts, additionalSecretOutputs: Object.keys(secret) } : opts,
      "dcos",
      "MarathonApp",
    );
  }
}
