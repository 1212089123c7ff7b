// The pulumi-dcos-vnet resources as the policies see them (the inputs the program declared; at
// preview, values other resources compute are still unknown, so only declared inputs are read).
// Apps are read through the package's own normaliser, so the legacy `ipAddress` form and
// Marathon's defaults mean here what they mean to the provider.
import type { PolicyResource } from "@pulumi/policy";
import { normalizeApp, validateApp } from "pulumi-dcos-vnet/core";
import type { CanonicalApp } from "pulumi-dcos-vnet/core";

/** The stable type tokens of the package's resources (part of its public API). */
export const TYPES = {
  virtualNetwork: "pulumi-nodejs:dynamic/dcos:VirtualNetwork",
  marathonApp: "pulumi-nodejs:dynamic/dcos:MarathonApp",
  localDockerNetwork: "pulumi-nodejs:dynamic/dcos:LocalDockerNetwork",
  /** The same Docker network through @pulumi/docker (cluster.dockerProvider: pulumi-docker). */
  pulumiDockerNetwork: "docker:index/network:Network",
};

/** A resource as a rule needs it: the analyzer gives `props`, a stack export gives `inputs`. */
export interface DeclaredResource {
  type: string;
  /** Pulumi's resource name (the last part of the URN). */
  name: string;
  urn?: string;
  props: Record<string, unknown>;
}

export interface NetworkView {
  resource: DeclaredResource;
  /** The virtual network's name (`name` input). */
  name: string;
  subnet?: string;
  prefix?: number;
  subnet6?: string;
  prefix6?: number;
  agents: string[];
  labels: Record<string, string>;
}

export interface AppView {
  resource: DeclaredResource;
  app: CanonicalApp;
  /** The virtual networks the app joins, each with the field of the app definition that names it. */
  networks: Array<{ name: string; field: string }>;
  target: "local" | "marathon";
}

/** A resource the analyzer gives (a stack's `PolicyResource`, or a resource policy's args). */
export const fromPolicyResource = (r: Pick<PolicyResource, "type" | "name" | "urn" | "props">): DeclaredResource => ({
  type: r.type,
  name: r.name,
  urn: r.urn,
  props: r.props,
});

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === "number" ? v : undefined);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export function networkView(r: DeclaredResource): NetworkView | undefined {
  if (r.type !== TYPES.virtualNetwork) return undefined;
  const labels = isObject(r.props.labels)
    ? Object.fromEntries(Object.entries(r.props.labels).filter((e): e is [string, string] => typeof e[1] === "string"))
    : {};
  return {
    resource: r,
    name: str(r.props.name) ?? r.name,
    subnet: str(r.props.subnet),
    prefix: num(r.props.prefix),
    subnet6: str(r.props.subnet6),
    prefix6: num(r.props.prefix6),
    agents: Array.isArray(r.props.agents) ? r.props.agents.filter((a): a is string => typeof a === "string") : [],
    labels,
  };
}

/** An app whose definition is valid (an invalid one fails the provider's own check first). */
export function appView(r: DeclaredResource): AppView | undefined {
  if (r.type !== TYPES.marathonApp || !isObject(r.props.app)) return undefined;
  // As plain data: the analyzer hands the inputs over as proxies (which throw on values unknown at
  // preview), and the normaliser's structuredClone cannot copy a proxy.
  const raw = JSON.parse(JSON.stringify(r.props.app)) as Record<string, unknown>;
  if (validateApp(raw).length > 0) return undefined;
  const app = normalizeApp(raw as never);
  const networks: AppView["networks"] = [];
  app.networks.forEach((n, i) => {
    if (n.mode !== "container" || n.name === undefined) return;
    const field = Array.isArray(raw.networks) ? `app.networks[${i}].name` : "app.ipAddress.networkName";
    networks.push({ name: n.name, field });
  });
  return { resource: r, app, networks, target: r.props.target === "marathon" ? "marathon" : "local" };
}

/** `MarathonApp shop.web (/shop/web)`: the resource and the Marathon id a reviewer knows it by. */
export const describeApp = (a: AppView) => `MarathonApp ${a.resource.name} (${a.app.id})`;

/**
 * The networks a stack shares rather than owns: on a local cluster, a network declared
 * `external: true` has its VirtualNetwork but no Docker network of its own in the stack.
 * A stack that deploys to a real DC/OS cluster (target marathon) owns its networks' allocation.
 */
export function externalNetworks(resources: DeclaredResource[]): Set<string> {
  const docker = new Set(
    resources
      .filter((r) => r.type === TYPES.localDockerNetwork || r.type === TYPES.pulumiDockerNetwork)
      .map((r) => str(r.props.name))
      .filter((n): n is string => n !== undefined),
  );
  const onDcos = resources.some((r) => r.type === TYPES.marathonApp && r.props.target === "marathon");
  const external = new Set<string>();
  for (const n of resources.map(networkView)) {
    if (n && !onDcos && !docker.has(n.name)) external.add(n.name);
  }
  return external;
}
