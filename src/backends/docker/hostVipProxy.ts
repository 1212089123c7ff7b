// The VIP proxies of a host- or bridge-mode app on the local Docker cluster (what to run:
// core/local/hostVipPlan.ts): one HAProxy container per VIP address on the cluster's host network,
// labelled as a container-network app's proxies are (vipProxy.ts lists and removes both alike). A
// named VIP's proxy takes an address of the host network's task half (the allocator bridge tasks
// use, keeping its address when replaced) and answers to the l4lb name; an IP VIP's proxy takes the
// IP VIP itself. Its backends are the instances' agent-ip:hostPort, written into its config: after
// each create or update the proxy is kept if it runs the config of the instances now, else
// replaced; a stopped or removed one is drift, as for container-network apps.
import { ResolvedApp } from "../../core/marathon/appInputs";
import { AppState, runningInstancesChanged } from "../../core/local/instance";
import { hostHalves } from "../../core/local/agents";
import { formatCidr, parseCidr } from "../../core/ip/cidr";
import { HostVipProxy, configDigest, hostVipConfig, planHostVipProxies } from "../../core/local/hostVipPlan";
import { VIP_PROXY_IMAGE, VipProxyState } from "../../core/local/vipPlan";
import { statusOf } from "./client";
import { runAddressed, withNetworkLock } from "./addressedRun";
import { AddressInUseError, ContainerSpec, ContainerState, removeContainer, runContainer } from "./containers";
import { STATS, VIP_LABELS, listVipContainers, stateOf, waitUntilReady } from "./vipProxy";

/** Whether the app has host-network VIP proxies to run, or had some to remove. */
export function hasHostVips(app: ResolvedApp, previous?: AppState): boolean {
  return planHostVipProxies(app.canonical, app.owner.stack).length > 0 || (previous?.vips?.length ?? 0) > 0;
}

function hostNetworkOf(app: ResolvedApp): string {
  const name = app.hostNetwork?.dockerNetwork;
  if (!name) throw new Error(`app ${app.canonical.id}: no host network on this local cluster to serve its VIPs on`);
  return name;
}

/** The app's VIP proxies as the engine has them now (refresh): a stopped or missing one is drift. */
export async function observeHostVipProxies(app: ResolvedApp): Promise<VipProxyState[]> {
  const plans = planHostVipProxies(app.canonical, app.owner.stack);
  if (plans.length === 0) return [];
  const network = hostNetworkOf(app);
  const byName = new Map((await listVipContainers(app.owner, app.canonical.id)).map((c) => [c.name, c]));
  return plans.map((p) => stateOf(p, network, byName.get(p.container)));
}

/**
 * Makes the engine run exactly the planned proxies for the instances of `state`: keeps those
 * running the config of these instances, removes the others (another config, stopped, no longer
 * declared), starts what is missing (a named VIP's on its previous address when free), and waits
 * (bounded) until each new one, and each kept one when tasks were replaced or restarted (a roll
 * on the same slots, a heal), sees every running task UP. Returns the state with its `vips`.
 */
export async function withHostVips(app: ResolvedApp, state: AppState, previous?: AppState): Promise<AppState> {
  if (!hasHostVips(app, previous)) return state;
  const plans = planHostVipProxies(app.canonical, app.owner.stack);
  const network = plans.length > 0 ? hostNetworkOf(app) : "";
  const running = state.instances.filter((i) => i.state === "running");
  const tasksChanged = runningInstancesChanged(previous, state);
  const existing = await listVipContainers(app.owner, app.canonical.id);
  const configs = new Map(plans.map((p) => [p.container, hostVipConfig(p.routes, running)]));
  const kept = new Map<string, ContainerState>();
  for (const p of plans) {
    const c = existing.find((e) => e.name === p.container);
    if (c && c.running && c.labels[VIP_LABELS.config] === configDigest(configs.get(p.container)!)) kept.set(p.container, c);
  }
  await Promise.all(existing.filter((c) => kept.get(c.name) !== c).map((c) => removeContainer(c.id, app.owner, c)));
  const vips: VipProxyState[] = [];
  for (const p of plans) {
    const before = previous?.vips?.find((v) => v.container === p.container)?.ip;
    const c = kept.get(p.container) ?? (await startProxy(app, network, p, configs.get(p.container)!, before));
    if ((!kept.has(p.container) || tasksChanged) && running.length > 0) await waitUntilReady(c, p, running.length);
    vips.push(stateOf(p, network, c));
  }
  return { ...state, ...(vips.length > 0 ? { vips } : {}) };
}

function specFor(app: ResolvedApp, network: string, p: HostVipProxy, config: string): Omit<ContainerSpec, "ip"> {
  return {
    name: p.container,
    image: VIP_PROXY_IMAGE,
    // The image holds no config: it comes in the environment and is written before HAProxy starts.
    cmd: ["/bin/sh", "-c", 'printf "%s" "$HAPROXY_CFG" > /tmp/haproxy.cfg && exec haproxy -db -f /tmp/haproxy.cfg'],
    env: { HAPROXY_CFG: config.replace(/^global\n/, `global\n  stats socket ipv4@${STATS} level user\n`) },
    labels: { [VIP_LABELS.of]: app.canonical.id, [VIP_LABELS.address]: p.address, [VIP_LABELS.config]: configDigest(config) },
    network,
    aliases: p.hostname ? [p.hostname] : [],
  };
}

async function startProxy(app: ResolvedApp, network: string, p: HostVipProxy, config: string, previousIp?: string): Promise<ContainerState> {
  const spec = specFor(app, network, p, config);
  try {
    if (p.ip) {
      const ip = p.ip;
      return await withNetworkLock(network, () => runContainer({ ...spec, ip }, app.owner));
    }
    const subnet = parseCidr(app.hostNetwork!.subnet);
    if (!subnet.ok) throw new Error(`host network subnet: ${subnet.reason}`);
    const half = formatCidr(hostHalves(subnet.value).tasks);
    const context = `the task half of the host network ${half} (for the proxy of VIP ${p.address})`;
    const [started] = await runAddressed(network, [{ spec, half, context, preferredIp: previousIp }], app.owner);
    return started;
  } catch (err) {
    if (err instanceof AddressInUseError) {
      throw new Error(`IP VIP ${p.ip} of ${app.canonical.id}: the address is already in use on network ${network} (another app's VIP, a bridge task or a container holds it)`);
    }
    if (statusOf(err) === 404 || /no such image/i.test(String((err as Error).message))) {
      throw new Error(`VIP ${p.address} of ${app.canonical.id}: image ${VIP_PROXY_IMAGE} is not on the Docker engine; \`npm run setup\` builds it from Debian's haproxy`);
    }
    throw err;
  }
}
