// Overlays against the VTEP subnets. DC/OS's master checks overlays against each other, not against
// vtep_subnet/vtep_subnet6; yet every agent puts an address of those on its VXLAN device vtep1024,
// with a route for the whole VTEP subnet through it. An overlay overlapping it would get a second
// route for the same addresses, and traffic for its containers would go into the VXLAN link, so we
// refuse it, in the wording DC/OS uses for overlapping overlays.
import { Failure } from "../common/failure";
import { lastAddress, parseCidr } from "../ip/cidr";
import { show } from "./validateOverlay";

/** One VTEP subnet in force, and the overlay field of its family. */
export interface VtepSubnet {
  field: "subnet" | "subnet6";
  subnet: string;
  /** Where it comes from, as the message names it: `vtep_subnet`, or DC/OS's default while the stack sets none. */
  source: string;
}

export function validateOverlaysAgainstVtep(overlays: unknown, vteps: VtepSubnet[], path: string): Failure[] {
  if (!Array.isArray(overlays)) return [];
  const failures: Failure[] = [];
  for (const vtep of vteps) {
    const space = parseCidr(vtep.subnet);
    if (!space.ok) continue; // reported by the VTEP rules
    overlays.forEach((o, index) => {
      const value = (o as Record<string, unknown> | null)?.[vtep.field];
      const overlay = parseCidr(value);
      if (!overlay.ok || overlay.value.family !== space.value.family) return; // reported by the overlay rules
      const overlapping = overlay.value.start <= lastAddress(space.value) && space.value.start <= lastAddress(overlay.value);
      if (!overlapping) return;
      failures.push({
        property: `${path}[${index}].${vtep.field}`,
        reason:
          `Incorrect address space for the overlay network '${String((o as { name?: unknown }).name)}': Found overlapping ` +
          `address spaces (${show(value)} overlaps the VTEP subnet ${show(vtep.subnet)}, ${vtep.source})`,
      });
    });
  }
  return failures;
}
