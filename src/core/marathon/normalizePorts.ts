// Port mappings and port definitions in canonical form, with Marathon's defaults filled in.
import {
  AppDefinition, CanonicalNetwork, CanonicalPortDefinition, CanonicalPortMapping, DiscoveryPort, Labels, PortDefinition, PortMapping,
} from "./types";
import { APP_DEFAULTS } from "./rules";

function withOptional<T extends object>(target: T, name: string | undefined, labels: Labels | undefined): T {
  if (name !== undefined) Object.assign(target, { name });
  if (labels !== undefined) Object.assign(target, { labels: { ...labels } });
  return target;
}

/** In bridge mode a missing hostPort means 0 (= pick one), as before Marathon 1.5; in container mode it means none. */
export function canonicalPortMapping(m: PortMapping, bridged: boolean): CanonicalPortMapping {
  const out: CanonicalPortMapping = {
    containerPort: m.containerPort ?? 0,
    servicePort: m.servicePort ?? 0,
    protocol: m.protocol ?? APP_DEFAULTS.protocol,
  };
  const hostPort = m.hostPort ?? (bridged ? 0 : undefined);
  if (hostPort !== undefined) out.hostPort = hostPort;
  if (m.networkNames !== undefined) out.networkNames = [...m.networkNames];
  return withOptional(out, m.name, m.labels);
}

/** Marathon's migrateIpDiscovery: a Mesos container's discovery ports become mappings without host ports. */
function fromDiscovery(p: DiscoveryPort): PortMapping {
  return withOptional({ containerPort: p.number, protocol: p.protocol ?? APP_DEFAULTS.protocol } as PortMapping, p.name, p.labels);
}

/** The mappings the user declared, wherever: container.portMappings, docker.portMappings, or discovery ports. */
export function declaredPortMappings(app: AppDefinition, engine: string): PortMapping[] {
  const container = app.container;
  if (container?.portMappings !== undefined) return container.portMappings;
  if (container?.docker?.portMappings !== undefined) return container.docker.portMappings;
  const discovery = app.ipAddress?.discovery?.ports;
  return engine === "MESOS" && discovery ? discovery.map(fromDiscovery) : [];
}

export function canonicalPortMappings(mappings: PortMapping[], networks: CanonicalNetwork[]): CanonicalPortMapping[] {
  if (networks.some((n) => n.mode === "host")) return []; // host networking has portDefinitions instead
  const bridged = networks.some((n) => n.mode === "container/bridge");
  return mappings.map((m) => canonicalPortMapping(m, bridged));
}

/** Only host networking has port definitions; legacy `ports` are port definitions with only a number. */
export function canonicalPortDefinitions(app: AppDefinition, networks: CanonicalNetwork[]): CanonicalPortDefinition[] {
  if (!networks.some((n) => n.mode === "host")) return [];
  const declared: PortDefinition[] = app.portDefinitions ?? app.ports?.map((port) => ({ port })) ?? [];
  return declared.map((d) => withOptional({ port: d.port ?? 0, protocol: d.protocol ?? APP_DEFAULTS.protocol }, d.name, d.labels));
}
