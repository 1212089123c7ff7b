// Checks of a Docker network spec that Docker itself would only report at create time.
import { parseAddress, parseCidr, containsAddress } from "../ip/cidr";
import { Failure } from "../common/failure";
import { isOwnerLabel } from "./dockerNetworkSpec";

/** Docker's own rule for network names. */
const DOCKER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
/** Linux interface names are at most 15 characters. */
const IFNAMSIZ = 15;

export function validateDockerNetworkSpec(spec: Record<string, any>): Failure[] {
  const failures: Failure[] = [];
  const fail = (property: string, reason: string) => failures.push({ property, reason });

  if ("name" in spec && (typeof spec.name !== "string" || !DOCKER_NAME.test(spec.name))) {
    fail("name", `Docker network name ${JSON.stringify(spec.name)} must match ${DOCKER_NAME.source}`);
  }
  const subnet = "subnet" in spec ? parseCidr(spec.subnet) : undefined;
  if (subnet && !subnet.ok) fail("subnet", subnet.reason);
  if (subnet?.ok && subnet.value.family !== 4) fail("subnet", "the Docker network subnet must be IPv4");
  if (spec.gateway !== undefined) {
    const gw = parseAddress(spec.gateway);
    if (!gw.ok) fail("gateway", gw.reason);
    else if (subnet?.ok && !containsAddress(subnet.value, gw.value.family, gw.value.value)) {
      fail("gateway", `gateway ${spec.gateway} is outside subnet ${spec.subnet}`);
    }
  }
  if (spec.bridgeName !== undefined) {
    if (typeof spec.bridgeName !== "string" || spec.bridgeName.length > IFNAMSIZ || !/^[a-zA-Z0-9_.-]+$/.test(spec.bridgeName)) {
      fail("bridgeName", `bridge name ${JSON.stringify(spec.bridgeName)} must be 1-${IFNAMSIZ} characters of [a-zA-Z0-9_.-] (a Linux interface name)`);
    }
  }
  if (spec.mtu !== undefined && (!Number.isInteger(spec.mtu) || spec.mtu < 68 || spec.mtu > 65535)) {
    fail("mtu", `mtu ${JSON.stringify(spec.mtu)} must be an integer from 68 to 65535`);
  }
  if (spec.encrypted !== undefined && typeof spec.encrypted !== "boolean") {
    fail("encrypted", `encrypted must be true or false, got ${JSON.stringify(spec.encrypted)}`);
  } else if (spec.encrypted === true && spec.swarm === undefined) {
    fail("encrypted", "encrypted is an option of swarm overlays (a cluster of several Docker hosts, input swarm); a bridge network on one engine carries nothing between hosts");
  }
  if ("labels" in spec) {
    const labels = spec.labels;
    if (!labels || typeof labels !== "object" || Array.isArray(labels)) {
      fail("labels", "labels must be a map of strings");
    } else {
      for (const [k, v] of Object.entries(labels)) {
        if (typeof v !== "string") fail(`labels.${k}`, "label values must be strings");
        if (isOwnerLabel(k)) fail(`labels.${k}`, `${k} is reserved: it marks which stack owns the network`);
      }
    }
  }
  return failures;
}
