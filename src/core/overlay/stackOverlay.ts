// The bridge between a stack's networks (Pulumi.<stack>.yaml) and DC/OS's install config
// (`dcos_overlay_network` in config.yaml): the overlay fields are the same; VTEP settings live in
// the stack under `dcos-vnet:vtep`; stack-only fields (agents, mtu, labels) stay in the stack.
import { DCOS_DEFAULT_OVERLAY_CONFIG, OverlayNetworkConfig, OverlaySpec } from "./types";

/** VTEP settings as a stack keeps them (`dcos-vnet:vtep`). */
export interface StackVtep {
  subnet?: string;
  subnet6?: string;
  macOui?: string;
  mtu?: number;
}

const OVERLAY_FIELDS: Array<keyof OverlaySpec> = ["name", "subnet", "prefix", "subnet6", "prefix6", "enabled"];

function overlayOf(network: Record<string, unknown>): OverlaySpec {
  const out: Record<string, unknown> = {};
  for (const k of OVERLAY_FIELDS) if (network[k] !== undefined) out[k] = network[k];
  return out as unknown as OverlaySpec;
}

/** The stack's networks and VTEP settings as DC/OS's section (DC/OS's VTEP defaults where unset). */
export function overlayConfigFromStack(networks: unknown, vtep: StackVtep = {}): OverlayNetworkConfig {
  const d = DCOS_DEFAULT_OVERLAY_CONFIG;
  return {
    vtep_subnet: vtep.subnet ?? d.vtep_subnet,
    ...(vtep.subnet6 ?? d.vtep_subnet6 ? { vtep_subnet6: vtep.subnet6 ?? d.vtep_subnet6 } : {}),
    vtep_mac_oui: vtep.macOui ?? d.vtep_mac_oui,
    ...(vtep.mtu !== undefined ? { vtep_mtu: vtep.mtu } : {}),
    overlays: Array.isArray(networks) ? networks.map((n) => overlayOf((n ?? {}) as Record<string, unknown>)) : (networks as OverlaySpec[]),
  };
}

/**
 * DC/OS's section as the stack's networks and VTEP settings. Stack-only fields of networks that
 * keep their name (agents, mtu, labels) are carried over from `previous`.
 */
export function stackFromOverlayConfig(
  config: OverlayNetworkConfig,
  previous: unknown = [],
): { networks: Record<string, unknown>[]; vtep: StackVtep } {
  const before = new Map<string, Record<string, unknown>>();
  if (Array.isArray(previous)) for (const n of previous) if (n && typeof n === "object") before.set(String((n as any).name), n);
  const networks = config.overlays.map((o) => {
    const old = before.get(o.name) ?? {};
    const extras = Object.fromEntries(Object.entries(old).filter(([k]) => !(OVERLAY_FIELDS as string[]).includes(k)));
    return { ...overlayOf(o as unknown as Record<string, unknown>), ...extras };
  });
  const vtep: StackVtep = { subnet: config.vtep_subnet, macOui: config.vtep_mac_oui };
  if (config.vtep_subnet6 !== undefined) vtep.subnet6 = config.vtep_subnet6;
  if (config.vtep_mtu !== undefined) vtep.mtu = config.vtep_mtu;
  return { networks, vtep };
}
