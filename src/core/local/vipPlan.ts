// How the local cluster serves an app's DC/OS VIPs (`VIP_0: "/shop/web:80"`, `VIP_0: "9.10.255.250:80"`):
// one HAProxy container per VIP address on the app's network, answering on the VIP port (under the
// l4lb name as a Docker network alias, or at the IP VIP itself) and forwarding each connection to a
// running, healthy instance's container port. The backends are found by HAProxy through the
// engine's DNS (the app's `<app>.<group>.marathon.mesos` alias, which every running instance carries
// and a stopped one loses at once), so scaling, rolling and healing need no reconfiguration, as
// DC/OS's l4lb follows the tasks. A TCP check every second takes an instance that stops answering
// out of rotation, and a connection whose backend does not accept is re-sent to another one.
// Pure: what to run is computed here; src/backends/docker/vipProxy.ts runs it.
import { createHash } from "crypto";
import { Failure } from "../common/failure";
import { containsAddress, parseAddress, parseCidr } from "../ip/cidr";
import { usableRange } from "../ipam/addressPool";
import { appDnsNames } from "../marathon/dns";
import { CanonicalApp } from "../marathon/types";
import { Vip, VIP_DOMAIN, vipNames } from "../marathon/vip";

/** Built by scripts/setup.sh with `docker import` from Debian's haproxy (no registry is needed). */
export const VIP_PROXY_IMAGE = "dcos-vnet-haproxy:2.6";

/** Most instances one VIP port forwards to (HAProxy `server-template` slots). */
export const VIP_MAX_BACKENDS = 64;

export interface VipRoute {
  vipPort: number;
  containerPort: number;
}

export interface VipProxyPlan {
  /** The VIP as clients name it: the l4lb hostname or the IP. */
  address: string;
  hostname?: string;
  ip?: string;
  /** The proxy's container name: `<stack>.<app path>.vip-<name or IP>`. */
  container: string;
  routes: VipRoute[];
  /** The DNS name HAProxy resolves to find the app's running instances. */
  backendName: string;
  /** haproxy.cfg */
  config: string;
  /** Short digest of the config: a proxy running another config is replaced. */
  configDigest: string;
}

/** What MarathonApp's outputs report of each VIP proxy, and what refresh compares. */
export interface VipProxyState {
  address: string;
  ports: number[];
  container: string;
  containerId: string;
  /** The proxy's own address on the app's network (for an IP VIP, the VIP itself). */
  ip: string;
  state: "running" | "stopped" | "missing";
}

function vipsOf(app: CanonicalApp): Vip[] {
  return vipNames(app.container?.portMappings ?? []).vips;
}

export function proxyContainerName(stack: string, appId: string, vip: Vip): string {
  const label = vip.hostname ? vip.hostname.slice(0, -(VIP_DOMAIN.length + 1)) : String(vip.ip).replace(/\./g, "-");
  const path = appId.replace(/^\//, "").split("/").join(".");
  return `${stack}.${path}.vip-${label}`.replace(/[^a-zA-Z0-9_.-]/g, "-");
}

/** Each distinct VIP address of the app, with its port routes, as one proxy. */
export function planVipProxies(app: CanonicalApp, stack: string): VipProxyPlan[] {
  const byAddress = new Map<string, { vip: Vip; routes: VipRoute[] }>();
  for (const vip of vipsOf(app)) {
    const mapping = app.container?.portMappings?.[vip.portIndex ?? -1];
    if (!mapping?.containerPort) continue; // refused at check (vipFailures)
    const entry = byAddress.get(vip.address) ?? { vip, routes: [] };
    if (!entry.routes.some((r) => r.vipPort === vip.port)) entry.routes.push({ vipPort: vip.port, containerPort: mapping.containerPort });
    byAddress.set(vip.address, entry);
  }
  const backendName = appDnsNames(app.id)[1];
  return [...byAddress.values()]
    .sort((a, b) => a.vip.address.localeCompare(b.vip.address))
    .map(({ vip, routes }) => {
      const sorted = routes.sort((a, b) => a.vipPort - b.vipPort);
      const config = haproxyConfig(sorted, backendName);
      return {
        address: vip.address,
        ...(vip.hostname ? { hostname: vip.hostname } : { ip: vip.ip }),
        container: proxyContainerName(stack, app.id, vip),
        routes: sorted,
        backendName,
        config,
        configDigest: createHash("sha256").update(config).digest("hex").slice(0, 16),
      };
    });
}

/**
 * Every VIP proxy's HAProxy head: TCP, a connect that does not succeed within 1 s is retried on
 * another backend (`option redispatch 1`), idle connections kept an hour.
 */
export const HAPROXY_HEAD: readonly string[] = [
  "global",
  "  maxconn 4096",
  "defaults",
  "  mode tcp",
  "  timeout connect 1s",
  "  timeout client 1h",
  "  timeout server 1h",
  "  retries 3",
  "  option redispatch 1",
];

/**
 * TCP mode; backends from the engine's DNS (127.0.0.11) every second, an address that leaves the
 * answer leaves the pool at once (`hold obsolete 0s`); a TCP check every second (`fall 1`); a
 * connection that cannot connect within 1 s is retried on another instance (`option redispatch 1`).
 */
export function haproxyConfig(routes: VipRoute[], backendName: string): string {
  const lines = [
    ...HAPROXY_HEAD,
    "  default-server init-addr none check inter 1s fall 1 rise 1 resolvers engine resolve-prefer ipv4",
    "resolvers engine",
    "  nameserver docker 127.0.0.11:53",
    "  accepted_payload_size 8192",
    "  hold valid 1s",
    "  hold obsolete 0s",
    "  timeout resolve 1s",
    "  timeout retry 1s",
  ];
  for (const r of routes) {
    lines.push(
      `frontend vip-${r.vipPort}`,
      `  bind :${r.vipPort}`,
      `  default_backend app-${r.vipPort}`,
      `backend app-${r.vipPort}`,
      "  balance roundrobin",
      `  server-template task ${VIP_MAX_BACKENDS} ${backendName}:${r.containerPort}`,
    );
  }
  return lines.join("\n") + "\n";
}

/** A network the app joins, as far as its VIPs need it: the overlay subnet (when known) and each agent's block. */
export interface VipNetwork {
  name: string;
  subnet?: string;
  agentSubnets: Record<string, { block?: string; mesos?: string; docker?: string }>;
}

/**
 * The local cluster's rules for an app's VIP ports, by the label's JSON path (under `app.`): a VIP
 * forwards to the port mapping's containerPort, so it must be set, and TCP carried; one VIP address
 * and port go to one container port.
 */
export function vipPortFailures(app: CanonicalApp): Failure[] {
  const failures: Failure[] = [];
  const seen = new Map<string, number>();
  for (const vip of vipsOf(app)) {
    const fail = (reason: string) => failures.push({ property: vip.property, reason: `VIP ${JSON.stringify(`${vip.address}:${vip.port}`)} ${reason}` });
    const mapping = app.container?.portMappings?.[vip.portIndex ?? -1];
    if (!mapping?.containerPort) {
      fail("needs the port mapping's containerPort: the local cluster forwards the VIP port to it");
      continue;
    }
    if (!String(mapping.protocol ?? "tcp").split(",").includes("tcp")) fail(`is on a ${mapping.protocol} port; the local cluster's VIPs carry TCP`);
    const key = `${vip.address}:${vip.port}`;
    const other = seen.get(key);
    if (other !== undefined && other !== mapping.containerPort) {
      fail(`forwards to containerPort ${other} and ${mapping.containerPort}; one VIP port goes to one container port`);
    }
    seen.set(key, mapping.containerPort);
  }
  return failures;
}

/**
 * An IP VIP is an address the VIP's proxy takes on the app's virtual network: inside the overlay
 * subnet (when known) and outside every agent's block, where instance addresses come from.
 */
export function ipVipFailures(app: CanonicalApp, network: VipNetwork): Failure[] {
  return vipsOf(app).flatMap((vip) => (vip.ip ? ipVipFailure(vip, network) : []));
}

function ipVipFailure(vip: Vip, network: VipNetwork): Failure[] {
  const rule = `on the local cluster an IP VIP is an address of the app's virtual network ${network.name}` +
    `${network.subnet ? ` (${network.subnet})` : ""} outside every agent's block, which the VIP's proxy takes`;
  const fail = (why: string): Failure[] => [{ property: vip.property, reason: `VIP ${JSON.stringify(`${vip.ip}:${vip.port}`)}: ${rule}; ${why}` }];
  const addr = parseAddress(vip.ip);
  if (!addr.ok) return fail(addr.reason);
  if (network.subnet) {
    const subnet = parseCidr(network.subnet);
    if (subnet.ok) {
      if (!containsAddress(subnet.value, addr.value.family, addr.value.value)) return fail(`${vip.ip} is outside ${network.subnet}`);
      const { first, last } = usableRange(subnet.value);
      // The first host is the Docker network's gateway.
      if (addr.value.value < first || addr.value.value > last) return fail(`${vip.ip} is the network's own, gateway or broadcast address`);
    }
  }
  for (const [agent, s] of Object.entries(network.agentSubnets ?? {})) {
    for (const range of [s.block, s.mesos, s.docker]) {
      const cidr = range ? parseCidr(range) : undefined;
      if (cidr?.ok && containsAddress(cidr.value, addr.value.family, addr.value.value)) {
        return fail(`${vip.ip} lies in ${agent}'s block ${s.block ?? range}`);
      }
    }
  }
  return [];
}
