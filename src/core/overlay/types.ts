// The DC/OS `dcos_overlay_network` configuration, field names as in config.yaml.

/** One overlay (virtual network). */
export interface OverlaySpec {
  name: string;
  subnet?: string;
  prefix?: number;
  subnet6?: string;
  prefix6?: number;
  enabled?: boolean;
}

export interface OverlayNetworkConfig {
  vtep_subnet: string;
  vtep_subnet6?: string;
  vtep_mac_oui: string;
  vtep_mtu?: number;
  overlays: OverlaySpec[];
}

/** What DC/OS ships when config.yaml says nothing about overlays. */
export const DCOS_DEFAULT_OVERLAY_CONFIG: OverlayNetworkConfig = {
  vtep_subnet: "44.128.0.0/20",
  vtep_subnet6: "fd01:a::/64",
  vtep_mac_oui: "70:B3:D5:00:00:00",
  overlays: [
    { name: "dcos", subnet: "9.0.0.0/8", prefix: 24 },
    { name: "dcos6", subnet6: "fd01:b::/64", prefix6: 80 },
  ],
};

/** MTU of DC/OS overlay bridges. */
export const OVERLAY_MTU = 1420;
/** DC/OS's smallest accepted vtep_mtu. */
export const MIN_VTEP_MTU = 552;
/** Bridges are `m-<name>`/`d-<name>` and Linux interface names stop at 15 characters. */
export const MAX_OVERLAY_NAME = 13;
export const RESERVED_NETWORK_NAMES = ["host", "bridge", "default", "none"];
/** At most this many blocks per overlay: far beyond any cluster, and keeps block numbers exact. */
export const MAX_BLOCKS = 2 ** 32;
