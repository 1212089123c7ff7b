// Validation of one overlay: every rule the DC/OS installer and master apply (their wording), plus
// the checks DC/OS forgot — a missing prefix reads as 0 there, and nothing checks that the prefix
// is longer than the subnet's or that a block leaves room for containers.
import { Failure } from "../common/failure";
import { BITS, Family, parseCidr } from "../ip/cidr";
import { MAX_BLOCKS, MAX_OVERLAY_NAME, RESERVED_NETWORK_NAMES } from "./types";

/** A DNS label, which is also a valid Docker network and Marathon network name. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function validateOverlay(overlay: unknown): Failure[] {
  const failures: Failure[] = [];
  const fail = (property: string, reason: string) => failures.push({ property, reason });
  if (!overlay || typeof overlay !== "object" || Array.isArray(overlay)) {
    return [{ property: "", reason: `an overlay must be an object with name, subnet and prefix: ${show(overlay)}` }];
  }
  const o = overlay as Record<string, unknown>;

  if (o.name === undefined || o.name === null || o.name === "") {
    fail("name", `Missing "name" in overlay configuration: ${show(o)}`);
  } else if (typeof o.name !== "string") {
    fail("name", `name must be a string: ${show(o.name)}`);
  } else if (o.name.length > MAX_OVERLAY_NAME) {
    fail("name", `Overlay name cannot exceed ${MAX_OVERLAY_NAME} characters: ${o.name}`);
  } else if (RESERVED_NETWORK_NAMES.includes(o.name)) {
    fail("name", `Overlay network name: ${o.name} is a reserved network name`);
  } else if (!DNS_LABEL.test(o.name)) {
    fail("name", `Overlay name ${o.name} must be a DNS label (lowercase letters, digits and inner '-'), as Docker network and Marathon names need`);
  }

  if (o.subnet === undefined && o.subnet6 === undefined) {
    fail("subnet", `Missing "subnet" or "subnet6" in overlay configuration: ${show(o)}`);
  }
  checkFamily(o, "subnet", "prefix", 4, fail);
  checkFamily(o, "subnet6", "prefix6", 6, fail);

  if (o.enabled !== undefined && typeof o.enabled !== "boolean") {
    fail("enabled", `enabled must be true/false, got ${show(o.enabled)}`);
  }
  return failures;
}

function checkFamily(
  o: Record<string, unknown>,
  subnetKey: "subnet" | "subnet6",
  prefixKey: "prefix" | "prefix6",
  family: Family,
  fail: (property: string, reason: string) => void,
): void {
  const subnetText = o[subnetKey];
  const prefix = o[prefixKey];
  if (subnetText === undefined) {
    if (prefix !== undefined) fail(prefixKey, `${prefixKey} is set but ${subnetKey} is not`);
    return;
  }
  const parsed = parseCidr(subnetText);
  if (!parsed.ok) {
    // Family first: DC/OS's own message when a v6 subnet sits in `subnet` or the reverse.
    const looksV6 = typeof subnetText === "string" && subnetText.includes(":");
    if (typeof subnetText === "string" && looksV6 !== (family === 6)) {
      fail(subnetKey, familyMismatch(subnetKey, subnetText, family));
    } else {
      fail(subnetKey, parsed.reason);
    }
    return;
  }
  const subnet = parsed.value;
  if (subnet.family !== family) {
    fail(subnetKey, familyMismatch(subnetKey, subnetText as string, family));
    return;
  }
  if (prefix === undefined || prefix === null) {
    fail(prefixKey, `Missing "${prefixKey}" for ${subnetKey} ${subnetText}: DC/OS would read it as 0 and cut no blocks`);
    return;
  }
  if (typeof prefix !== "number" || !Number.isInteger(prefix)) {
    fail(prefixKey, `${prefixKey} must be an integer prefix length, got ${show(prefix)}`);
    return;
  }
  const bits = BITS[family];
  if (prefix <= subnet.prefix) {
    fail(prefixKey, `${prefixKey} /${prefix} must be longer than the ${subnetKey}'s /${subnet.prefix}, or no agent block can be cut from ${subnetText}`);
  } else if (prefix > bits - 3) {
    fail(prefixKey, `${prefixKey} /${prefix} leaves no container address in a half-block (at most /${bits - 3} for IPv${family})`);
  } else if (2 ** (prefix - subnet.prefix) > MAX_BLOCKS) {
    fail(prefixKey, `${prefixKey} /${prefix} cuts ${subnetText} into 2^${prefix - subnet.prefix} agent blocks; at most 2^32 are supported`);
  }
}

function familyMismatch(key: string, value: string, family: Family): string {
  return `Incorrect value for \`${key}\`: \`${value}\`. Only IPv${family} subnets are allowed`;
}

export function show(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
