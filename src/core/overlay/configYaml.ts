// The `dcos_overlay_network` section of a DC/OS config.yaml, rendered from and parsed into
// OverlayNetworkConfig. DC/OS accepts the section as a YAML mapping or as a JSON string; we render
// the mapping and parse both. parse(render(x)) deep-equals x.
import * as yaml from "js-yaml";
import { Failure } from "../common/failure";
import { OverlayNetworkConfig, OverlaySpec } from "./types";
import { validateOverlayConfig } from "./validateOverlaySet";

const OVERLAY_KEYS: Array<keyof OverlaySpec> = ["name", "subnet", "prefix", "subnet6", "prefix6", "enabled"];

/** Key order of the rendered section, as DC/OS documents it; undefined fields are left out. */
export function canonicalOverlayConfig(config: OverlayNetworkConfig): OverlayNetworkConfig {
  const overlays = config.overlays.map((o) => {
    const out: Record<string, unknown> = {};
    for (const k of OVERLAY_KEYS) if (o[k] !== undefined) out[k] = o[k];
    return out as unknown as OverlaySpec;
  });
  const out: Record<string, unknown> = { vtep_subnet: config.vtep_subnet };
  if (config.vtep_subnet6 !== undefined) out.vtep_subnet6 = config.vtep_subnet6;
  out.vtep_mac_oui = config.vtep_mac_oui;
  if (config.vtep_mtu !== undefined) out.vtep_mtu = config.vtep_mtu;
  out.overlays = overlays;
  return out as unknown as OverlayNetworkConfig;
}

export function renderOverlayConfigYaml(config: OverlayNetworkConfig): string {
  return yaml.dump({ dcos_overlay_network: canonicalOverlayConfig(config) }, { lineWidth: -1, noRefs: true });
}

export type ParsedOverlayConfig =
  | { ok: true; config: OverlayNetworkConfig }
  | { ok: false; failures: Failure[] };

/**
 * Reads the section out of a whole config.yaml (other keys are ignored) and validates it with
 * DC/OS's rules; failures name the field under `dcos_overlay_network`.
 */
export function parseOverlayConfigYaml(text: string): ParsedOverlayConfig {
  let doc: unknown;
  try {
    doc = yaml.load(text);
  } catch (err) {
    return { ok: false, failures: [{ property: "", reason: `config.yaml is not valid YAML: ${(err as Error).message}` }] };
  }
  let section = (doc as Record<string, unknown> | null)?.dcos_overlay_network;
  if (section === undefined) {
    return { ok: false, failures: [{ property: "dcos_overlay_network", reason: "config.yaml has no dcos_overlay_network section" }] };
  }
  if (typeof section === "string") {
    try {
      section = JSON.parse(section);
    } catch {
      return { ok: false, failures: [{ property: "dcos_overlay_network", reason: `Provided input was not valid JSON: ${section}` }] };
    }
  }
  const failures = validateOverlayConfig(section).map((f) => ({
    property: f.property ? `dcos_overlay_network.${f.property}` : "dcos_overlay_network",
    reason: f.reason,
  }));
  if (failures.length > 0) return { ok: false, failures };
  return { ok: true, config: canonicalOverlayConfig(section as OverlayNetworkConfig) };
}
