// The overlay master's State as tests read and change it: each overlay's blocks as the core reads
// them, and the fixture's cluster with one more agent registered (used by the overlay-master and
// adoption e2e tests alike).
import { strict as assert } from "assert";
import { masterAgentSubnets, parseOverlayMasterState } from "../../src/core/overlay/masterState";

/** Each named overlay's agent blocks, as the core reads a master State. */
export function masterBlocks(state: unknown, overlays: string[]): Record<string, Record<string, any>> {
  const parsed = parseOverlayMasterState(state);
  assert.ok(parsed.ok);
  return Object.fromEntries(overlays.map((n) => [n, masterAgentSubnets(parsed.value, n)]));
}

/**
 * A copy of the fixture's master state with agent 10.0.1.17 registered: it got the lowest free
 * block of each overlay (dcos, prod, dcos6), as the master hands them out.
 */
export function withNewcomer(state: any): any {
  const overlay = (name: string, v6: boolean, block: string, mesos: string, docker: string) => ({
    info: state.network.overlays.find((o: { name: string }) => o.name === name),
    ...(v6 ? { subnet6: block } : { subnet: block }),
    mesos_bridge: { name: `m-${name}`, ...(v6 ? { ip6: mesos } : { ip: mesos }) },
    docker_bridge: { name: `d-${name}`, ...(v6 ? { ip6: docker } : { ip: docker }) },
    backend: { vxlan: { vni: 1024, vtep_name: "vtep1024", vtep_ip: "44.128.0.17/20", vtep_mac: "70:b3:d5:80:00:11" } },
    state: { status: "STATUS_OK" },
  });
  const next = structuredClone(state);
  next.agents.push({
    ip: "10.0.1.17",
    overlays: [
      overlay("dcos", false, "9.0.3.0/24", "9.0.3.0/25", "9.0.3.128/25"),
      overlay("prod", false, "10.200.12.0/24", "10.200.12.0/25", "10.200.12.128/25"),
      overlay("dcos6", true, "fd01:b:0:0:3::/80", "fd01:b:0:0:3::/81", "fd01:b:0:0:3:8000::/81"),
    ],
  });
  return next;
}
