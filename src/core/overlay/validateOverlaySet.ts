// Validation of a whole set of overlays (one stack's virtual networks, or one DC/OS config):
// each overlay alone, then the rules across them — duplicates and overlapping address spaces
// (checked in O(n log n), IPv4 and IPv6 alike), and at least one overlay.
import { Failure, under } from "../common/failure";
import { parseCidr } from "../ip/cidr";
import { NamedCidr, findOverlaps } from "../ip/overlap";
import { validateOverlay, show } from "./validateOverlay";
import { MIN_VTEP_MTU } from "./types";
import { VtepSubnet, validateOverlaysAgainstVtep } from "./vtepOverlap";

export function validateOverlaySet(overlays: unknown, path = "overlays"): Failure[] {
  if (overlays === undefined || overlays === null) {
    return [{ property: path, reason: "Could not find any overlay configuration. Specify at least one overlay" }];
  }
  if (!Array.isArray(overlays)) {
    return [{ property: path, reason: `overlays must be a list, got ${show(overlays)}` }];
  }
  if (overlays.length === 0) {
    return [{ property: path, reason: "Could not find any overlay configuration. Specify at least one overlay" }];
  }
  const failures: Failure[] = [];
  overlays.forEach((o, i) => failures.push(...under(`${path}[${i}]`, validateOverlay(o))));

  const firstIndex = new Map<string, number>();
  overlays.forEach((o, i) => {
    const name = (o as { name?: unknown })?.name;
    if (typeof name !== "string") return;
    if (firstIndex.has(name)) {
      failures.push({ property: `${path}[${i}].name`, reason: `Duplicate overlay configuration detected for overlay: ${name}` });
    } else {
      firstIndex.set(name, i);
    }
  });

  const spaces: Array<NamedCidr & { index: number; key: string }> = [];
  overlays.forEach((o, index) => {
    for (const key of ["subnet", "subnet6"] as const) {
      const parsed = parseCidr((o as Record<string, unknown>)?.[key]);
      const written = (o as { name?: unknown })?.name;
      const name = typeof written === "string" ? written : show(written); // String() throws on {toString: {}}
      if (parsed.ok) spaces.push({ name, cidr: parsed.value, index, key });
    }
  });
  for (const [a, b] of findOverlaps(spaces)) {
    const first = a as (typeof spaces)[number];
    const second = b as (typeof spaces)[number];
    failures.push({
      property: `${path}[${second.index}].${second.key}`,
      reason:
        `Incorrect address space for the overlay network '${second.name}': Found overlapping address spaces ` +
        `(${show((overlays[second.index] as Record<string, unknown>)[second.key])} overlaps '${first.name}' ` +
        `${show((overlays[first.index] as Record<string, unknown>)[first.key])})`,
    });
  }
  return failures;
}

/** The full `dcos_overlay_network` section: VTEP settings plus the overlays, which must stay clear of the VTEP subnets. */
export function validateOverlayConfig(config: unknown): Failure[] {
  if (!config || typeof config !== "object" || Array.isArray(config)) {
    return [{ property: "", reason: `Provided input was not valid JSON: ${show(config)}` }];
  }
  const c = config as Record<string, unknown>;
  const failures: Failure[] = [];
  const fail = (property: string, reason: string) => failures.push({ property, reason });

  if (c.overlays === undefined) fail("overlays", `Missing "overlays" in overlay configuration ${show(c)}`);
  else if (Array.isArray(c.overlays) && c.overlays.length === 0) {
    fail("overlays", `"Overlays" network configuration is empty: ${show(c)}`);
  } else failures.push(...validateOverlaySet(c.overlays));

  const vtepFailures = validateVtepSettings(c);
  failures.push(...vtepFailures);
  // Only the VTEP subnets the section sets: without vtep_subnet6, DC/OS gives agents no IPv6 VTEP.
  const vteps: VtepSubnet[] = [];
  const valid = (key: string) => typeof c[key] === "string" && !vtepFailures.some((f) => f.property === key);
  if (valid("vtep_subnet")) vteps.push({ field: "subnet", subnet: c.vtep_subnet as string, source: "vtep_subnet" });
  if (valid("vtep_subnet6")) vteps.push({ field: "subnet6", subnet: c.vtep_subnet6 as string, source: "vtep_subnet6" });
  failures.push(...validateOverlaysAgainstVtep(c.overlays, vteps, "overlays"));
  return failures;
}

/** DC/OS's rules for the VTEP fields of a `dcos_overlay_network` section (properties named as there). */
export function validateVtepSettings(c: Record<string, unknown>): Failure[] {
  const failures: Failure[] = [];
  const fail = (property: string, reason: string) => failures.push({ property, reason });

  if (c.vtep_mac_oui === undefined) fail("vtep_mac_oui", `Missing "vtep_mac_oui" in overlay configuration ${show(c)}`);
  else if (typeof c.vtep_mac_oui !== "string" || !/^([0-9a-fA-F]{2}:){2}[0-9a-fA-F]{2}:00:00:00$/.test(c.vtep_mac_oui)) {
    fail("vtep_mac_oui", `vtep_mac_oui must be "xx:xx:xx:00:00:00" with the low three bytes 0, got ${show(c.vtep_mac_oui)}`);
  }

  if (c.vtep_subnet === undefined) fail("vtep_subnet", `Missing "vtep_subnet" in overlay configuration ${show(c)}`);
  else checkVtepSubnet(c.vtep_subnet, "vtep_subnet", 4, fail);
  if (c.vtep_subnet6 !== undefined) checkVtepSubnet(c.vtep_subnet6, "vtep_subnet6", 6, fail);

  if (c.vtep_mtu !== undefined && (!Number.isInteger(c.vtep_mtu) || (c.vtep_mtu as number) < MIN_VTEP_MTU)) {
    fail("vtep_mtu", `vtep_mtu must be an integer of at least ${MIN_VTEP_MTU}, got ${show(c.vtep_mtu)}`);
  }
  return failures;
}

function checkVtepSubnet(value: unknown, key: string, family: 4 | 6, fail: (p: string, r: string) => void): void {
  const parsed = parseCidr(value);
  if (!parsed.ok) return fail(key, parsed.reason);
  if (parsed.value.family !== family) {
    return fail(key, `Incorrect value for \`${key}\`: \`${value}\`. Only IPv${family} subnets are allowed`);
  }
  if (family === 4 && parsed.value.prefix < 8) {
    fail(
      key,
      "VTEP MAC are derived from last 24 bits of VTEP IP. Hence, in order to guarantee unique VTEP MAC " +
        `we need the VTEP IP subnet to be equal to or greater than /8 (got ${value})`,
    );
  }
}
