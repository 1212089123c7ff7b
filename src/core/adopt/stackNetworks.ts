// The overlay master's NetworkConfig as this stack's `dcos-vnet:networks` and `dcos-vnet:vtep`.
import type { MasterNetwork, OverlayMasterState } from "../overlay/masterState";

/**
 * One network per overlay the master holds, in its order, with DC/OS's own fields. An overlay
 * that not every agent has a block of (the agents registered before it was added, say) lists the
 * agents that have one: those are the agents the master knows it on.
 */
export function stackNetworksOf(master: OverlayMasterState): Record<string, unknown>[] {
  const all = master.agents.map((a) => a.ip);
  return (master.network?.overlays ?? []).map((o) => {
    const holding = master.agents
      .filter((a) => a.overlays.some((x) => x.info.name === o.name && (x.subnet !== undefined || x.subnet6 !== undefined)))
      .map((a) => a.ip);
    return {
      name: o.name,
      ...(o.subnet !== undefined ? { subnet: o.subnet, prefix: o.prefix } : {}),
      ...(o.subnet6 !== undefined ? { subnet6: o.subnet6, prefix6: o.prefix6 } : {}),
      ...(o.enabled !== undefined ? { enabled: o.enabled } : {}),
      ...(holding.length !== all.length && holding.length > 0 ? { agents: holding } : {}),
    };
  });
}

/** The master's VTEP settings as `dcos-vnet:vtep` (subnet, subnet6, macOui, mtu). */
export function stackVtepOf(network: MasterNetwork): Record<string, unknown> {
  return {
    subnet: network.vtep_subnet,
    ...(network.vtep_subnet6 !== undefined ? { subnet6: network.vtep_subnet6 } : {}),
    macOui: network.vtep_mac_oui,
    ...(network.vtep_mtu !== undefined ? { mtu: network.vtep_mtu } : {}),
  };
}
