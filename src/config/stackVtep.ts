// The stack's VTEP settings (`dcos-vnet:vtep`: subnet, subnet6, macOui, mtu), checked with DC/OS's
// rules. A field the stack leaves unset takes DC/OS's default (44.128.0.0/20, fd01:a::/64,
// 70:B3:D5:00:00:00), because that is what a cluster installed from this stack runs with, so the
// overlays are checked against the VTEP subnets in force, defaults included.
import { Failure } from "../core/common/failure";
import { StackVtep, overlayConfigFromStack } from "../core/overlay/stackOverlay";
import { validateVtepSettings } from "../core/overlay/validateOverlaySet";
import { VtepSubnet } from "../core/overlay/vtepOverlap";

/** The VTEP settings in force: the stack's, else DC/OS's defaults. */
export type EffectiveVtep = StackVtep & { subnet: string; macOui: string };

/** The stack's field for each field of DC/OS's section. */
const STACK_FIELD: Record<string, keyof StackVtep> = {
  vtep_subnet: "subnet",
  vtep_subnet6: "subnet6",
  vtep_mac_oui: "macOui",
  vtep_mtu: "mtu",
};
const KNOWN = Object.values(STACK_FIELD);

export interface ParsedVtep {
  failures: Failure[];
  vtep: EffectiveVtep;
  /** The VTEP subnets the overlays must stay clear of (valid ones only). */
  subnets: VtepSubnet[];
}

/** `key` is the config key, `dcos-vnet:vtep`, used in every failure's property. */
export function parseStackVtep(raw: unknown, key: string): ParsedVtep {
  const failures: Failure[] = [];
  let given: Record<string, unknown> = {};
  if (raw !== undefined && raw !== null) {
    if (typeof raw !== "object" || Array.isArray(raw)) {
      failures.push({ property: key, reason: `vtep must be a map with subnet, subnet6, macOui and mtu (DC/OS's defaults where unset), got ${JSON.stringify(raw)}` });
    } else given = raw as Record<string, unknown>;
  }
  for (const k of Object.keys(given)) {
    if (!(KNOWN as string[]).includes(k)) failures.push({ property: `${key}.${k}`, reason: `unknown field ${k} (known: ${KNOWN.join(", ")})` });
  }
  const stackVtep = Object.fromEntries(KNOWN.filter((k) => given[k] !== undefined).map((k) => [k, given[k]])) as StackVtep;
  const section = overlayConfigFromStack([], stackVtep);
  const sectionFailures = validateVtepSettings(section as unknown as Record<string, unknown>);
  for (const f of sectionFailures) failures.push({ property: `${key}.${STACK_FIELD[f.property] ?? f.property}`, reason: f.reason });

  const subnets: VtepSubnet[] = [];
  for (const [sectionKey, field] of [["vtep_subnet", "subnet"], ["vtep_subnet6", "subnet6"]] as const) {
    const subnet = section[sectionKey];
    if (typeof subnet !== "string" || sectionFailures.some((f) => f.property === sectionKey)) continue;
    const source =
      given[field] !== undefined ? `${key}.${field}` : `DC/OS's default ${sectionKey}, in force while ${key}.${field} is unset`;
    subnets.push({ field, subnet, source });
  }
  const vtep: EffectiveVtep = { subnet: section.vtep_subnet, macOui: section.vtep_mac_oui };
  if (section.vtep_subnet6 !== undefined) vtep.subnet6 = section.vtep_subnet6;
  if (section.vtep_mtu !== undefined) vtep.mtu = section.vtep_mtu;
  return { failures, vtep, subnets };
}
