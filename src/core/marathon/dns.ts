// The DNS names DC/OS gives an app (Mesos-DNS and dcos-dns), which the local cluster mirrors as Docker
// network aliases so that apps find each other by the same names as on DC/OS.
import { appIdSegments } from "./appId";

export const MESOS_DNS_DOMAIN = "marathon.mesos";
export const CONTAINER_IP_DOMAIN = "marathon.containerip.dcos.thisdcos.directory";

/**
 * `/mygroup/myapp` → `myapp`, `myapp.mygroup.marathon.mesos`, `myapp-mygroup.marathon.containerip.dcos.thisdcos.directory`.
 * Both DC/OS schemes list the path innermost first: Mesos-DNS joins with '.', dcos-dns with '-'.
 */
export function appDnsNames(appId: string): string[] {
  const inner = appIdSegments(appId).reverse();
  if (inner.length === 0) return [];
  return [inner[0], `${inner.join(".")}.${MESOS_DNS_DOMAIN}`, `${inner.join("-")}.${CONTAINER_IP_DOMAIN}`];
}

export { vipNames, parseVip, isVipLabel, VIP_DOMAIN } from "./vip";
export type { Vip, VipResult } from "./vip";
