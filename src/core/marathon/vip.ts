// DC/OS named and IP VIPs: a port label `"VIP_0": "/mygroup/myapp:80"` asks dcos-l4lb for a load-balanced
// address `mygroupmyapp.marathon.l4lb.thisdcos.directory:80` (named VIPs come from 11.0.0.0/8).
import { Failure } from "../common/failure";
import { field, item } from "./paths";
import { Labels } from "./types";

export const VIP_DOMAIN = "marathon.l4lb.thisdcos.directory";

export interface Vip {
  /** Path of the label that declared it. */
  property: string;
  /** Index of the port mapping/definition, when read from ports. */
  portIndex?: number;
  port: number;
  /** Named VIP: its DNS name. */
  hostname?: string;
  /** IP VIP: the address. */
  ip?: string;
  /** hostname or ip, whichever it is. */
  address: string;
}

export interface VipResult {
  vips: Vip[];
  failures: Failure[];
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
/** After removing '/', what may be left of a VIP name (dcos-l4lb puts it into a DNS name). */
const VIP_NAME = /^[A-Za-z0-9_.-]+$/;

/** Label keys starting with VIP or vip declare VIPs. */
export function isVipLabel(key: string): boolean {
  return key.startsWith("VIP") || key.startsWith("vip");
}

/** Parses one VIP label value; split on the LAST ':' so the name part may itself hold colons. */
export function parseVip(value: string, property: string): Vip | Failure {
  const fail = (why: string): Failure => ({ property, reason: `VIP ${JSON.stringify(value)} ${why}` });
  const colon = value.lastIndexOf(":");
  if (colon < 0) return fail("must be NAME:PORT or IP:PORT (e.g. /mygroup/myapp:80)");
  const [name, portText] = [value.slice(0, colon), value.slice(colon + 1)];
  const port = /^\d+$/.test(portText) ? Number(portText) : NaN;
  if (!(port > 0 && port <= 65535)) return fail(`has port ${JSON.stringify(portText)}; it must be an integer from 1 to 65535`);
  if (IPV4.test(name)) return { property, port, ip: name, address: name };
  const label = name.replace(/\//g, "");
  if (!VIP_NAME.test(label)) return fail("must name the VIP with letters, digits, '-', '_', '.' and '/' before the ':'");
  const hostname = `${label}.${VIP_DOMAIN}`;
  return { property, port, hostname, address: hostname };
}

function vipsOfLabels(labels: Labels, path: string, portIndex: number | undefined, out: VipResult): void {
  for (const [key, value] of Object.entries(labels)) {
    if (!isVipLabel(key)) continue;
    const parsed = parseVip(value, field(path, key));
    if ("reason" in parsed) out.failures.push(parsed);
    else out.vips.push(portIndex === undefined ? parsed : { ...parsed, portIndex });
  }
}

/**
 * VIPs declared in port labels (`ports` = port mappings or definitions, `path` their JSON path) or in one
 * labels map (`path` its JSON path).
 */
export function vipNames(source: { labels?: Labels }[] | Labels, path = Array.isArray(source) ? "container.portMappings" : "labels"): VipResult {
  const out: VipResult = { vips: [], failures: [] };
  if (Array.isArray(source)) source.forEach((p, i) => vipsOfLabels(p.labels ?? {}, field(item(path, i), "labels"), i, out));
  else vipsOfLabels(source, path, undefined, out);
  return out;
}
