// The cluster's Marathon apps (`apps:`), each a MarathonApp child of the component, given only the
// networks it joins and the secrets it references, and depending on those alone. Checks that need
// every app at once (network references, service ports, container-name clashes) are made here.
import * as pulumi from "@pulumi/pulumi";
import { StackConfig, formatFailures } from "../config/stackConfig";
import { AppDefinition } from "../core/marathon/types";
import { validateApp } from "../core/marathon/validateApp";
import { normalizeApp } from "../core/marathon/normalize";
import { absoluteAppId } from "../core/marathon/appId";
import { assignServicePorts } from "../core/marathon/servicePorts";
import { secretSources } from "../core/marathon/appInputs";
import type { MarathonConnection } from "../core/marathon/connection";
import type { Failure } from "../core/common/failure";
import { stackNameClashes } from "../core/local/containerNames";
import { MarathonApp, joinable, readAppFile } from "./marathonApp";
import type { HostTargets } from "./multiHost";
import { AppOnAgents, appsOnAgents, declareAgents } from "./clusterAgents";
import type { LocalAgents } from "./localAgents";
import type { ClusterNetwork } from "./cluster";

type ChildOptions = (extra?: pulumi.CustomResourceOptions) => pulumi.CustomResourceOptions;

/**
 * The cluster's apps, each from its JSON file or inline definition. Each app is given only the
 * networks it joins and the secrets it references, and depends on those networks alone.
 */
export function declareApps(
  config: StackConfig,
  networks: Record<string, ClusterNetwork>,
  secrets: pulumi.Input<Record<string, pulumi.Input<string>>> | undefined,
  connection: pulumi.Output<MarathonConnection> | undefined,
  how: {
    baseDir: string; prefix: string; child: ChildOptions; name: string; namespace: string;
    declared?: { agents?: LocalAgents; podsOnAgents?: Array<AppOnAgents | undefined> }; hosts?: HostTargets;
  },
): Record<string, MarathonApp> {
  const { baseDir, prefix, child } = how;
  const key = (k: string) => (how.namespace ? `${how.namespace}:${k}` : k);
  const definitions = config.apps.map((entry) => entry.app ?? readAppFile(entry.file!, baseDir));
  const failures = definitions.flatMap((app, i) => networkReferenceFailures(app, key(`apps[${i}]`), Object.keys(networks)));
  const servicePorts = clusterServicePorts(definitions, failures, key);
  const target = config.cluster.target;
  // Host-mode pods' endpoints hold host ports on the same agents: planned after the apps.
  const podDefinitions = (config.pods ?? []).map((entry) => entry.pod ?? readAppFile(entry.file!, baseDir));
  if (target === "local") {
    // Container names are unique per engine: ids that map to one are refused before anything is declared.
    const agents = appsOnAgents(definitions, podDefinitions).some((a) => a) ? config.cluster.agents : [];
    failures.push(...stackNameClashes(pulumi.getStack(), { apps: definitions, pods: podDefinitions, agents }, key));
  }
  if (failures.length > 0) throw new pulumi.RunError(`DcosCluster ${how.name}: invalid cluster spec:\n${formatFailures(failures)}`);
  const ownOverlays = config.networks.flatMap((n) => (!n.external && networks[n.name]?.dockerNetworkName ? [networks[n.name].dockerNetworkName!] : []));
  const onAgents = declareAgents(config, definitions, prefix, child, podDefinitions, ownOverlays);
  if (how.declared) {
    how.declared.agents = onAgents.find((a) => a)?.agents;
    how.declared.podsOnAgents = onAgents.slice(definitions.length);
  }
  const declared: Record<string, MarathonApp> = {};
  definitions.forEach((app, i) => {
    const id = typeof app.id === "string" ? absoluteAppId(app.id) : `/apps-${i}`;
    const name = id.slice(1).split("/").join(".") || `apps-${i}`; // "/" is refused by check, but needs a name
    const joined = joinedNetworks(app).filter((n) => n in networks);
    const sources = validateApp(app).length === 0 ? secretSources(app as unknown as AppDefinition) : [];
    declared[id] = new MarathonApp(
      prefix + name,
      {
        app,
        appFile: config.apps[i].file,
        networks: Object.fromEntries(
          joined.map((n) => [n, joinable(networks[n].virtualNetwork, networks[n].dockerNetworkName)]),
        ),
        ...(sources.length > 0 && secrets !== undefined ? { secretEnv: pickSecrets(secrets, sources) } : {}),
        servicePorts: servicePorts[id],
        ...(target === "marathon" ? { target, connection } : {}),
        ...(target === "marathon" && config.adopting ? { adopt: true } : {}),
        ...(onAgents[i] ? { hostAgents: onAgents[i]!.hostAgents, hostNetwork: onAgents[i]!.hostNetwork, hostPortsTaken: onAgents[i]!.hostPortsTaken, hostSubnet: onAgents[i]!.hostSubnet } : {}),
        ...(how.hosts ? { engines: how.hosts.engines } : {}),
        ...(config.cluster.allowPrivileged ? { allowPrivileged: true } : {}),
      },
      child({ dependsOn: [...joined.map((n) => networks[n].virtualNetwork), ...(onAgents[i] ? [onAgents[i]!.agents] : [])] }),
    );
  });
  return declared;
}

/** Names of the container networks an app joins (whatever form it is written in); [] if it does not validate. */
function joinedNetworks(app: Record<string, unknown>): string[] {
  if (validateApp(app).length > 0) return [];
  return normalizeApp(app as unknown as AppDefinition).networks.flatMap((n) => (n.mode === "container" ? [n.name] : []));
}

/** An app naming a network the cluster does not declare: said here, where all networks are known. */
function networkReferenceFailures(app: Record<string, unknown>, at: string, known: string[]): Failure[] {
  return joinedNetworks(app)
    .filter((n) => !known.includes(n))
    .map((n) => ({
      property: `${at}.${networkField(app as unknown as AppDefinition, n)}`,
      reason: `network ${n} is not a virtual network of this stack (known: ${known.join(", ") || "none"})`,
    }));
}

/** Where the app names network `name` (legacy or 1.5+ form), for pointing the failure at it. */
function networkField(app: AppDefinition, name: string): string {
  if (app.ipAddress?.networkName === name) return "ipAddress.networkName";
  const i = (app.networks ?? []).findIndex((n) => (n as { name?: string }).name === name);
  return i >= 0 ? `networks[${i}].name` : "container.docker.network";
}

function pickSecrets(secrets: pulumi.Input<Record<string, pulumi.Input<string>>>, sources: string[]): pulumi.Output<Record<string, string>> {
  return pulumi.secret(
    pulumi.output(secrets).apply((all) => Object.fromEntries(sources.filter((s) => s in all).map((s) => [s, all[s]]))),
  );
}

/**
 * Service ports are unique across the cluster: assigned here over all apps (explicit ones first,
 * then 0/absent from 10000-20000). Apps that do not validate are left to their resource's check.
 */
function clusterServicePorts(definitions: Record<string, unknown>[], failures: Failure[], key: (k: string) => string): Record<string, number[]> {
  const valid = definitions.flatMap((app, index) =>
    validateApp(app).length === 0 ? [{ index, app: normalizeApp(app as unknown as AppDefinition) }] : [],
  );
  const assigned = assignServicePorts(valid.map(({ app }) => ({ id: app.id, portMappings: app.container?.portMappings ?? [] })));
  // Failures name apps by their place among the valid ones: point them at their entry in the spec.
  const entry = (property: string) => property.replace(/^apps\[(\d+)\]/, (_, i) => `apps[${valid[Number(i)].index}]`);
  failures.push(...assigned.failures.map((f) => ({ ...f, property: key(entry(f.property)) })));
  return assigned.ports;
}
