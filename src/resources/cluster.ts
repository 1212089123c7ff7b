// A whole DC/OS cluster as one ComponentResource: its virtual networks (allocation, and on a local
// cluster the Docker network that plays each) and its Marathon apps, all children of the component,
// from the same typed spec a stack's config produces.
import * as pulumi from "@pulumi/pulumi";
import * as fs from "fs";
import * as path from "path";
import { ClusterSpec, NetworkConfig, StackConfig, formatFailures, parseStackConfig } from "../config/stackConfig";
import { stripTrailingSlashes } from "../core/common/text";
import type { MarathonConnection } from "../core/marathon/connection";
import { DockerNetworkSpec, bridgeOptions, dockerSpecForVirtualNetwork, ownerLabels } from "../core/local/dockerNetworkSpec";
import type { MarathonApp } from "./marathonApp";
import { VirtualNetwork } from "./virtualNetwork";
import { LocalDockerNetwork } from "./localDockerNetwork";
import { HostTargets, hostTargets } from "./multiHost";
import { MarathonPod } from "./marathonPod";
import { declarePods, podOutputs } from "./clusterPods";
import type { AppOnAgents } from "./clusterAgents";
import type { LocalAgents } from "./localAgents";
import { warnAboutConnection, warnAboutEngines, warnIfDefaultPassphrase } from "./runWarnings";
import { declareOverlayConfig, guardedBy } from "./clusterOverlayConfig";
import { declareApps } from "./clusterApps";

export interface DcosClusterArgs extends ClusterSpec {
  /**
   * Values of the Marathon secret sources apps reference (`secrets.<name>.source`). Each app gets
   * the ones it references, kept secret in its state.
   */
  secrets?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** target marathon: a DC/OS token, or the password of `marathon.uid`. */
  marathonToken?: pulumi.Input<string>;
  marathonPassword?: pulumi.Input<string>;
  /** Where app `file`s and `marathon.caBundleFile` are found (default: the Pulumi project's root). */
  baseDir?: string;
}

/** One declared virtual network and, on a local cluster, the name of the Docker network playing it. */
export interface ClusterNetwork {
  virtualNetwork: VirtualNetwork;
  dockerNetworkName?: pulumi.Output<string>;
}

/**
 * A DC/OS cluster's virtual networks and Marathon apps. Children keep their own names (the network
 * name, the app id with `/` as `.`): those are unique within a cluster and are what a reviewer
 * recognises in `pulumi preview`. Two clusters in one program need distinct `namePrefix`es.
 */
export class DcosCluster extends pulumi.ComponentResource {
  /** The cluster as validated, with defaults filled in. */
  public readonly spec: StackConfig;
  public readonly networks: Record<string, ClusterNetwork>;
  /** Apps by absolute Marathon id. */
  public readonly apps: Record<string, MarathonApp>;
  /** Pods by absolute Marathon id. */
  public readonly pods: Record<string, MarathonPod>;
  /** The local cluster's agents, when an app runs on them (host or bridge networking). */
  public readonly agents?: LocalAgents;

  constructor(name: string, args: DcosClusterArgs, opts?: DcosClusterOptions) {
    super("dcos-vnet:index:DcosCluster", name, {}, opts);
    const namespace = opts?.configNamespace ?? "";
    const parsed = parseStackConfig(args, namespace);
    if (!parsed.ok) throw new pulumi.RunError(`DcosCluster ${name}: invalid cluster spec:\n${formatFailures(parsed.failures)}`);
    this.spec = parsed.value;
    const baseDir = args.baseDir ?? pulumi.getRootDirectory();
    const prefix = opts?.namePrefix ?? "";
    // Children of this component; stacks declared before the component existed had them at the
    // stack's root, and keep their URNs through this alias (no replace on upgrade).
    const child = (extra?: pulumi.CustomResourceOptions): pulumi.CustomResourceOptions => ({
      ...extra,
      parent: this,
      aliases: [{ parent: pulumi.rootStackResource }],
    });
    // Secrets given here are kept (encrypted) in the stack's config or state even when no app uses
    // them; the resources say the rest (engines over plain HTTP, Marathon without verification).
    if (args.secrets !== undefined || args.marathonToken !== undefined || args.marathonPassword !== undefined) warnIfDefaultPassphrase();
    const hosts = hostTargets(this.spec, baseDir);
    // A real cluster: changes DC/OS applies only by reinstalling are refused before any child changes.
    const guarded = this.spec.cluster.target === "marathon" ? guardedBy(child, declareOverlayConfig(this.spec, { baseDir, prefix, child, namespace })) : child;
    const connection = marathonConnection(this.spec, baseDir, args.marathonToken, args.marathonPassword);
    this.networks = declareNetworks(this.spec, prefix, guarded, hosts, connection, namespace);
    // Said here too, so that a cluster whose resources do not carry them (no apps yet) still says them.
    hosts?.swarm.apply((s) => warnAboutEngines(s.hosts));
    connection?.apply(warnAboutConnection);
    const declared: { agents?: LocalAgents; podsOnAgents?: Array<AppOnAgents | undefined> } = {};
    this.apps = declareApps(this.spec, this.networks, args.secrets, connection, { baseDir, prefix, child: guarded, name, namespace, declared, hosts });
    this.agents = declared.agents;
    this.pods = declarePods(this.spec, this.networks, connection, { baseDir, prefix, child: guarded, onAgents: declared.podsOnAgents });
    // The component's outputs in the state name its networks and apps. (Registering the resources
    // themselves would store a reference to every one of them in the component's state, which
    // Pulumi rewrites at each step of an up: ~34 KB at 100 apps, for nothing the program reads.)
    // Pods only when there are some, so stacks without pods keep their state as it was.
    this.registerOutputs({
      networks: Object.keys(this.networks),
      apps: Object.keys(this.apps),
      ...(Object.keys(this.pods).length > 0 ? { pods: Object.keys(this.pods) } : {}),
    });
  }

  /** The allocation per network, as stack outputs show it. */
  virtualNetworkOutputs(): Record<string, pulumi.Output<unknown>> {
    return Object.fromEntries(
      Object.entries(this.networks).map(([name, n]) => [
        name,
        pulumi.output({
          subnet: n.virtualNetwork.subnet,
          // An IPv6-only network's address space, for the map (other stacks' outputs stay as they were).
          ...(ipv6Only(this.spec, name) ? { subnet6: n.virtualNetwork.subnet6 } : {}),
          agentSubnets: n.virtualNetwork.agentSubnets,
          capacity: n.virtualNetwork.capacity,
          dockerNetwork: n.dockerNetworkName,
        }),
      ]),
    );
  }

  /** The agents' host network and each agent's address (undefined when no app runs on the agents). */
  hostNetworkOutput(): pulumi.Output<unknown> | undefined {
    return this.agents?.hostNetwork;
  }

  /** Each app's network, instances (with their IPs), service ports and DNS names, as stack outputs show them. */
  appOutputs(): Record<string, pulumi.Output<unknown>> {
    return Object.fromEntries(
      Object.entries(this.apps).map(([id, app]) => [
        id,
        pulumi.output({ network: app.network, instances: app.instances, servicePorts: app.servicePorts, dnsNames: app.aliases, vips: app.vips }),
      ]),
    );
  }

  /** Each pod's network and instances (with their IPs), as stack outputs show them. */
  podOutputs(): Record<string, pulumi.Output<unknown>> {
    return podOutputs(this.pods);
  }
}

export interface DcosClusterOptions extends pulumi.ComponentResourceOptions {
  /** Prefix of every child's name: needed when one program declares two clusters. */
  namePrefix?: string;
  /** Name failures by this config namespace (`dcos-vnet:networks[0].subnet`), as a stack program does. */
  configNamespace?: string;
}

function ipv6Only(spec: StackConfig, network: string): boolean {
  const net = spec.networks.find((n) => n.name === network);
  return net?.subnet === undefined && net?.subnet6 !== undefined;
}

type ChildOptions = (extra?: pulumi.CustomResourceOptions) => pulumi.CustomResourceOptions;

function declareNetworks(
  config: StackConfig,
  prefix: string,
  child: ChildOptions,
  hosts?: HostTargets,
  connection?: pulumi.Output<MarathonConnection>,
  namespace = "",
): Record<string, ClusterNetwork> {
  const declared: Record<string, ClusterNetwork> = {};
  const key = (k: string) => (namespace ? `${namespace}:${k}` : k);
  // On a real cluster the overlay master's blocks are the allocation: each network reads them.
  const onCluster = config.cluster.target === "marathon" && connection !== undefined;
  for (const [i, net] of config.networks.entries()) {
    const virtualNetwork = new VirtualNetwork(
      prefix + net.name,
      {
        name: net.name,
        subnet: net.subnet,
        prefix: net.prefix,
        subnet6: net.subnet6,
        prefix6: net.prefix6,
        enabled: net.enabled,
        agents: net.agents ?? config.cluster.agents,
        mtu: net.mtu,
        labels: net.labels,
        ...(onCluster ? { connection, agentsKey: key(net.agents ? `networks[${i}].agents` : "cluster.agents") } : {}),
      },
      child(),
    );
    declared[net.name] = { virtualNetwork };
    if (config.cluster.target === "local" && net.external) {
      // Another stack owns the Docker network; apps join it by name.
      declared[net.name].dockerNetworkName = pulumi.output(net.name);
    } else if (config.cluster.target === "local" && net.subnet !== undefined) {
      const spec = dockerSpecForVirtualNetwork({ name: net.name, subnet: net.subnet, mtu: net.mtu, labels: net.labels });
      declared[net.name].dockerNetworkName =
        config.cluster.dockerProvider === "pulumi-docker"
          ? declarePulumiDockerNetwork(prefix + net.name, spec, child({ dependsOn: virtualNetwork }))
          : new LocalDockerNetwork(prefix + net.name, { ...spec, ...(hosts ? { swarm: hosts.swarm } : {}), ...(config.cluster.swarmEncrypted ? { encrypted: true } : {}) }, child({ dependsOn: virtualNetwork })).name;
    }
  }
  return declared;
}

/**
 * The same spec through @pulumi/docker's docker.Network, for machines that can fetch the docker
 * provider plugin. Loaded only when selected: the default path needs no plugin at all.
 */
function declarePulumiDockerNetwork(name: string, spec: DockerNetworkSpec, opts: pulumi.CustomResourceOptions): pulumi.Output<string> {
  const docker: typeof import("@pulumi/docker") = require("@pulumi/docker");
  const labels = { ...spec.labels, ...ownerLabels({ project: pulumi.getProject(), stack: pulumi.getStack() }) };
  const network = new docker.Network(
    name,
    {
      name: spec.name,
      driver: "bridge",
      attachable: true,
      ipamConfigs: [{ subnet: spec.subnet, gateway: spec.gateway }],
      options: bridgeOptions(spec),
      labels: Object.entries(labels).map(([label, value]) => ({ label, value })),
    },
    opts,
  );
  return network.name;
}

/** How a `target: marathon` cluster reaches Marathon: the URL and options, plus the token or password. */
function marathonConnection(
  config: StackConfig,
  baseDir: string,
  token: pulumi.Input<string> | undefined,
  password: pulumi.Input<string> | undefined,
): pulumi.Output<MarathonConnection> | undefined {
  const m = config.marathon;
  if (!m) return undefined;
  const url = /\/service\/marathon\/?$/.test(m.url) || /\/v2\/?$/.test(m.url) ? m.url : `${stripTrailingSlashes(m.url)}/service/marathon`;
  const caBundle = m.caBundleFile ? fs.readFileSync(path.resolve(baseDir, m.caBundleFile), "utf8") : undefined;
  return pulumi.all([token, password]).apply(([t, p]) => ({
    url,
    ...(t ? { token: t } : {}),
    ...(m.uid ? { uid: m.uid } : {}),
    ...(p ? { password: p } : {}),
    ...(caBundle ? { caBundle } : {}),
    ...(m.insecureSkipVerify ? { insecureSkipVerify: true } : {}),
    ...(m.allowInsecureHttp ? { allowInsecureHttp: true } : {}),
    ...(m.force ? { force: true } : {}),
    ...(m.deploymentTimeoutSeconds ? { deploymentTimeoutSeconds: m.deploymentTimeoutSeconds } : {}),
  }));
}

export type { NetworkConfig };
