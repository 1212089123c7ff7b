// How the local cluster serves the VIPs of host- and bridge-mode apps (`portDefinitions[i].labels`
// in host mode, `container.portMappings[i].labels` in bridge mode): as for container-network apps
// (core/local/vipPlan.ts), one HAProxy container per VIP address, but on the cluster's host network
// (`<stack>-host`), where such apps are reached. Their tasks have no DNS name of their own on that
// network (they are agent-ip:hostPort, as DC/OS's l4lb sees them), so the proxy's backends are
// written into its config: each instance's agent address and the host port of the port carrying
// the label. The config's digest labels the proxy; an app whose instances move (another agent or
// host port) gets a new proxy, one whose tasks are only replaced on their slots (a roll) keeps it.
// HAProxy checks every backend each second (`fall 1`) and re-sends a connection a backend refuses
// (`option redispatch`), so a stopped task stops receiving connections.
// Pure: what to run is computed here; src/backends/docker/hostVipProxy.ts runs it.
import { createHash } from "crypto";
import { Failure } from "../common/failure";
import { containsAddress, formatCidr, parseAddress, parseCidr } from "../ip/cidr";
import { usableRange } from "../ipam/addressPool";
import { CanonicalApp } from "../marathon/types";
import { Vip, vipNames } from "../marathon/vip";
import { hostHalves } from "./agents";
import { networkingMode } from "./hostPorts";
import { HAPROXY_HEAD, proxyContainerName } from "./vipPlan";

/** One VIP port of a host/bridge app: the port index whose host port it forwards to. */
export interface HostVipRoute {
  vipPort: number;
  portIndex: number;
}

export interface HostVipProxy {
  /** The VIP as clients name it: the l4lb hostname or the IP. */
  address: string;
  hostname?: string;
  ip?: string;
  /** `<stack>.<app path>.vip-<name or IP>`, as for container-network apps. */
  container: string;
  routes: HostVipRoute[];
}

/** What the proxy needs of an instance: its agent's address and the host ports it holds there. */
export interface HostVipBackend {
  ip: string;
  ports?: number[];
}

/** Where a host/bridge app's VIP labels are: `portDefinitions` (host) or `container.portMappings` (bridge). */
export function hostVipsOf(app: CanonicalApp): { vips: Vip[]; failures: Failure[] } {
  const mode = networkingMode(app);
  if (mode === "host") return vipNames(app.portDefinitions, "portDefinitions");
  if (mode === "bridge") return vipNames(app.container?.portMappings ?? [], "container.portMappings");
  return { vips: [], failures: [] };
}

/** Each distinct VIP address of a host/bridge app, with its port routes, as one proxy. */
export function planHostVipProxies(app: CanonicalApp, stack: string): HostVipProxy[] {
  const byAddress = new Map<string, { vip: Vip; routes: HostVipRoute[] }>();
  for (const vip of hostVipsOf(app).vips) {
    if (vip.portIndex === undefined) continue;
    const entry = byAddress.get(vip.address) ?? { vip, routes: [] };
    if (!entry.routes.some((r) => r.vipPort === vip.port)) entry.routes.push({ vipPort: vip.port, portIndex: vip.portIndex });
    byAddress.set(vip.address, entry);
  }
  return [...byAddress.values()]
    .sort((a, b) => a.vip.address.localeCompare(b.vip.address))
    .map(({ vip, routes }) => ({
      address: vip.address,
      ...(vip.hostname ? { hostname: vip.hostname } : { ip: vip.ip }),
      container: proxyContainerName(stack, app.id, vip),
      routes: routes.sort((a, b) => a.vipPort - b.vipPort),
    }));
}

/**
 * TCP mode; one static server per instance at agent-ip:hostPort, checked every second (`fall 1`,
 * `rise 1`); a connection that cannot connect within 1 s is retried on another instance.
 */
export function hostVipConfig(routes: HostVipRoute[], backends: HostVipBackend[]): string {
  const lines = [
    ...HAPROXY_HEAD,
    "  default-server check inter 1s fall 1 rise 1",
  ];
  const servers = [...backends].sort((a, b) => a.ip.localeCompare(b.ip) || String(a.ports).localeCompare(String(b.ports)));
  for (const r of routes) {
    lines.push(`frontend vip-${r.vipPort}`, `  bind :${r.vipPort}`, `  default_backend app-${r.vipPort}`, `backend app-${r.vipPort}`, "  balance roundrobin");
    servers.forEach((b, k) => {
      const port = b.ports?.[r.portIndex];
      if (port) lines.push(`  server task-${k} ${b.ip}:${port}`);
    });
  }
  return lines.join("\n") + "\n";
}

export function configDigest(config: string): string {
  return createHash("sha256").update(config).digest("hex").slice(0, 16);
}

/**
 * The local cluster's rules for a host/bridge app's VIP labels, by the label's JSON path (under
 * `app.`): the port carries TCP; one VIP address and port go to one port of the app; an IP VIP is an
 * address of the host network's task half (when the host subnet is known), which the proxy takes.
 */
export function hostVipFailures(app: CanonicalApp, hostSubnet?: string): Failure[] {
  const failures: Failure[] = [];
  const { vips } = hostVipsOf(app);
  const ports = networkingMode(app) === "host" ? app.portDefinitions : app.container?.portMappings ?? [];
  const seen = new Map<string, number>();
  for (const vip of vips) {
    const fail = (reason: string) => failures.push({ property: vip.property, reason: `VIP ${JSON.stringify(`${vip.address}:${vip.port}`)} ${reason}` });
    if (vip.portIndex === undefined) continue;
    const protocol = String(ports[vip.portIndex]?.protocol ?? "tcp");
    if (!protocol.split(",").includes("tcp")) fail(`is on a ${protocol} port; the local cluster's VIPs carry TCP`);
    const key = `${vip.address}:${vip.port}`;
    const other = seen.get(key);
    if (other !== undefined && other !== vip.portIndex) {
      fail(`is declared on ports ${other} and ${vip.portIndex}; one VIP port goes to one port of the app`);
    }
    seen.set(key, vip.portIndex);
    if (vip.ip && hostSubnet) failures.push(...ipVipOnHostFailure(vip, hostSubnet));
  }
  return failures;
}

function ipVipOnHostFailure(vip: Vip, hostSubnet: string): Failure[] {
  const subnet = parseCidr(hostSubnet);
  if (!subnet.ok || subnet.value.family !== 4) return [];
  const tasks = hostHalves(subnet.value).tasks;
  const rule = `on the local cluster a host or bridge app's IP VIP is an address of the host network's task half ` +
    `${formatCidr(tasks)} (cluster.hostSubnet ${hostSubnet}), which the VIP's proxy takes`;
  const fail = (why: string): Failure[] => [{ property: vip.property, reason: `VIP ${JSON.stringify(`${vip.ip}:${vip.port}`)}: ${rule}; ${why}` }];
  const addr = parseAddress(vip.ip);
  if (!addr.ok) return fail(addr.reason);
  if (!containsAddress(tasks, addr.value.family, addr.value.value)) {
    return fail(containsAddress(subnet.value, addr.value.family, addr.value.value) ? `${vip.ip} is in the agents' half` : `${vip.ip} is outside ${hostSubnet}`);
  }
  const { first, last } = usableRange(tasks);
  if (addr.value.value < first || addr.value.value > last) return fail(`${vip.ip} is the half's first, second or last address`);
  return [];
}

/**
 * The host subnet, where check can know it: `hostSubnet` (the cluster's config, known at every
 * preview) or the host network's (LocalAgents' output, unknown before the agents first exist).
 */
export function knownHostSubnet(news: Record<string, any>, isUnknown: (v: unknown) => boolean): string | undefined {
  if (typeof news.hostSubnet === "string") return news.hostSubnet;
  const net = news.hostNetwork;
  if (!net || isUnknown(net) || isUnknown(net.subnet) || typeof net.subnet !== "string") return undefined;
  return net.subnet;
}
