// An app's VIP proxies on the local Docker cluster (what to run: core/local/vipPlan.ts): one HAProxy
// container per VIP address on the app's network, owned and labelled like the instances but never
// counted as one of them. A named VIP's proxy takes an address from the app's own half of its first
// agent's block (the allocator the instances use) and answers to the l4lb name; an IP VIP's proxy
// takes the IP VIP itself. Created with the app, kept when it runs the planned config, replaced
// when its config changed or it is stopped or gone (drift), removed with the app.
import { ResolvedApp } from "../../core/marathon/appInputs";
import { halfFor, halfRange } from "../../core/local/instanceSpec";
import { OWNER_LABELS, Owner } from "../../core/local/dockerNetworkSpec";
import { VIP_PROXY_IMAGE, VipProxyPlan, VipProxyState, planVipProxies } from "../../core/local/vipPlan";
import { docker, engineCall, statusOf } from "./client";
import { runInContainer } from "./exec";
import { runAddressed, withNetworkLock } from "./addressedRun";
import { AddressInUseError, ContainerSpec, ContainerState, ROLE_LABELS, removeContainer, runContainer } from "./containers";

export const VIP_LABELS = {
  /** The app whose VIP it serves (not APP_LABELS.app: a proxy is no instance of the app). */
  of: ROLE_LABELS.vipOf,
  address: "io.dcos-vnet.vip",
  config: "io.dcos-vnet.vip-config",
} as const;

/** HAProxy's stats socket inside the proxy, for the readiness wait only (not published). */
export const STATS = "127.0.0.1:9999";
/** How long `up` waits for a new proxy to see the app's instances before going on. */
const READY_WITHIN_MS = 15_000;
/** How long the proxy must be seen serving on end: more than a check's 1 s timeout plus its 1 s interval. */
const SETTLE_MS = 2_500;

export async function listVipContainers(owner: Owner, appId: string): Promise<ContainerState[]> {
  const label = [`${OWNER_LABELS.project}=${owner.project}`, `${OWNER_LABELS.stack}=${owner.stack}`, `${VIP_LABELS.of}=${appId}`];
  const list = await engineCall("list containers", () => docker().listContainers({ all: true, filters: { label } }));
  return list.map((raw: any) => ({
    id: raw.Id,
    name: String(raw.Names?.[0] ?? "").replace(/^\//, ""),
    running: raw.State === "running" || raw.State === "restarting",
    status: raw.State,
    labels: raw.Labels ?? {},
    addresses: Object.fromEntries(
      Object.entries<any>(raw.NetworkSettings?.Networks ?? {}).map(([n, ep]) => [n, ep.IPAddress || ep.IPAMConfig?.IPv4Address || ""]),
    ),
  }));
}

/** A proxy's state as outputs report it (container-network and host-network proxies alike). */
export function stateOf(
  plan: Pick<VipProxyPlan, "address" | "container" | "ip"> & { routes: Array<{ vipPort: number }> },
  network: string,
  c: ContainerState | undefined,
): VipProxyState {
  return {
    address: plan.address,
    ports: plan.routes.map((r) => r.vipPort),
    container: plan.container,
    containerId: c?.id ?? "",
    ip: c?.addresses[network] ?? plan.ip ?? "",
    state: !c ? "missing" : c.running ? "running" : "stopped",
  };
}

/** The app's VIP proxies as the engine has them now (refresh): a stopped or missing one is drift. */
export async function observeVipProxies(app: ResolvedApp, network: string): Promise<VipProxyState[]> {
  const plans = planVipProxies(app.canonical, app.owner.stack);
  if (plans.length === 0) return [];
  const byName = new Map((await listVipContainers(app.owner, app.canonical.id)).map((c) => [c.name, c]));
  return plans.map((p) => stateOf(p, network, byName.get(p.container)));
}

/**
 * Makes the engine run exactly the planned proxies: keeps those running the planned config,
 * removes the others (old config, stopped, no longer declared), starts what is missing, and waits
 * (bounded) until each new one, and each kept one when the instances changed (a roll, a heal, a
 * scale), forwards to exactly the running instances' addresses (`runningIps`).
 */
export async function ensureVipProxies(app: ResolvedApp, network: string, runningIps: string[], instancesChanged: boolean): Promise<VipProxyState[]> {
  const plans = planVipProxies(app.canonical, app.owner.stack);
  const existing = await listVipContainers(app.owner, app.canonical.id);
  const kept = new Map<string, ContainerState>();
  for (const p of plans) {
    const c = existing.find((e) => e.name === p.container);
    if (c && c.running && c.labels[VIP_LABELS.config] === p.configDigest) kept.set(p.container, c);
  }
  await Promise.all(existing.filter((c) => kept.get(c.name) !== c).map((c) => removeContainer(c.id, app.owner, c)));
  const out: VipProxyState[] = [];
  for (const p of plans) {
    const c = kept.get(p.container) ?? (await startProxy(app, network, p));
    if (!kept.has(p.container) || instancesChanged) await waitUntilServing(c, p, runningIps);
    out.push(stateOf(p, network, c));
  }
  return out;
}

/** Removes every VIP proxy of the app (with the app). */
export async function removeVipProxies(owner: Owner, appId: string): Promise<void> {
  const existing = await listVipContainers(owner, appId);
  await Promise.all(existing.map((c) => removeContainer(c.id, owner, c)));
}

function specFor(app: ResolvedApp, network: string, p: VipProxyPlan): Omit<ContainerSpec, "ip"> {
  return {
    name: p.container,
    image: VIP_PROXY_IMAGE,
    // The image holds no config: it comes in the environment and is written before HAProxy starts.
    cmd: ["/bin/sh", "-c", 'printf "%s" "$HAPROXY_CFG" > /tmp/haproxy.cfg && exec haproxy -db -f /tmp/haproxy.cfg'],
    env: { HAPROXY_CFG: p.config.replace(/^global\n/, `global\n  stats socket ipv4@${STATS} level user\n`) },
    labels: { [VIP_LABELS.of]: app.canonical.id, [VIP_LABELS.address]: p.address, [VIP_LABELS.config]: p.configDigest },
    network,
    aliases: p.hostname ? [p.hostname] : [],
  };
}

async function startProxy(app: ResolvedApp, network: string, p: VipProxyPlan): Promise<ContainerState> {
  const spec = specFor(app, network, p);
  try {
    if (p.ip) {
      const ip = p.ip;
      return await withNetworkLock(network, () => runContainer({ ...spec, ip }, app.owner));
    }
    const half = halfFor(app.canonical);
    const agents = Object.keys(app.networks[app.network]?.agentSubnets ?? {}).sort();
    const agent = agents.find((a) => halfRange(app.networks[app.network].agentSubnets[a], half));
    if (!agent) throw new Error(`VIP ${p.address} of ${app.canonical.id}: the ${app.network} overlay has no agent block to give its proxy an address`);
    const range = halfRange(app.networks[app.network].agentSubnets[agent], half)!;
    const context = `${agent}'s ${half === "docker" ? "Docker" : "Mesos"} half of the ${app.network} overlay (for the proxy of VIP ${p.address})`;
    const [started] = await runAddressed(network, [{ spec, half: range, context }], app.owner);
    return started;
  } catch (err) {
    if (err instanceof AddressInUseError) {
      throw new Error(`IP VIP ${p.ip} of ${app.canonical.id}: the address is already in use on network ${network} (another app's VIP or container holds it)`);
    }
    if (statusOf(err) === 404 || /no such image/i.test(String((err as Error).message))) {
      throw new Error(`VIP ${p.address} of ${app.canonical.id}: image ${VIP_PROXY_IMAGE} is not on the Docker engine; \`npm run setup\` builds it from Debian's haproxy`);
    }
    throw err;
  }
}


/** Servers UP per backend, from HAProxy's `show stat` (CSV: pxname, svname, …, status in column 18). */
function upServers(csv: string): Map<string, number> {
  const up = new Map<string, number>();
  for (const line of csv.split("\n")) {
    const f = line.split(",");
    if (!f[0]?.startsWith("app-") || f[1] === "BACKEND") continue;
    up.set(f[0], (up.get(f[0]) ?? 0) + (f[17] === "UP" ? 1 : 0));
  }
  return up;
}

/**
 * Until every VIP port of the proxy forwards to as many instances as are running (or the bound
 * passes: an app that does not listen on its port must not fail `up`, as on DC/OS), so a client
 * connecting right after `up` is served and balanced.
 */
export function waitUntilReady(c: ContainerState, p: { routes: Array<{ vipPort: number }> }, runningInstances: number): Promise<void> {
  const want = Math.max(1, Math.min(runningInstances, 64));
  return waitUntilSettled(c, "show stat", (csv) => {
    const up = upServers(csv);
    return p.routes.every((r) => (up.get(`app-${r.vipPort}`) ?? 0) >= want);
  });
}

/** The addresses of each backend's UP servers, from HAProxy's `show servers state` (srv_addr is field 5, srv_op_state field 6: 2 is running). */
function upAddresses(text: string): Map<string, Set<string>> {
  const up = new Map<string, Set<string>>();
  for (const line of text.split("\n")) {
    const f = line.trim().split(/\s+/);
    if (line.startsWith("#") || f.length < 7 || !f[1].startsWith("app-")) continue;
    if (!up.has(f[1])) up.set(f[1], new Set());
    if (f[5] === "2") up.get(f[1])!.add(f[4]);
  }
  return up;
}

/**
 * Until every VIP port of the proxy forwards to exactly the running instances' addresses (or the
 * bound passes: an app that does not listen on its port must not fail `up`, as on DC/OS). A kept
 * proxy re-resolves the app's name each second: after a roll, `up` returns once it has, so a
 * client connecting right after `up` reaches new instances only, and all of them.
 */
export function waitUntilServing(c: ContainerState, p: VipProxyPlan, runningIps: string[]): Promise<void> {
  const want = [...new Set(runningIps)].sort().join(",");
  return waitUntilSettled(c, "show servers state", (text) => {
    const up = upAddresses(text);
    return p.routes.every((r) => [...(up.get(`app-${r.vipPort}`) ?? [])].sort().join(",") === want);
  });
}

/**
 * Until `serving` holds of the answer to a stats command for SETTLE_MS on end (or READY_WITHIN_MS
 * pass). Once is not enough: when DNS moves a server slot from a removed instance's address to a
 * new one, the slot keeps its UP state, and the check already in flight to the old address times
 * out a second later and takes the slot DOWN (`fall 1`) for one more check interval. Seen in a
 * roll: `up` returned with one of two new instances out of the pool, every connection went to the
 * other. Holding on end for longer than a check's timeout plus its interval rules that out.
 */
async function waitUntilSettled(c: ContainerState, command: string, serving: (answer: string) => boolean): Promise<void> {
  const deadline = Date.now() + READY_WITHIN_MS;
  let since: number | undefined;
  while (Date.now() < deadline) {
    const answer = await runInContainer(c.id, ["/bin/busybox", "sh", "-c", `echo '${command}' | busybox nc ${STATS.replace(":", " ")}`]).then((r) => r.output, () => "");
    if (!serving(answer)) since = undefined;
    else if (since === undefined) since = Date.now();
    else if (Date.now() - since >= SETTLE_MS) return;
    await new Promise((r) => setTimeout(r, 250));
  }
}
