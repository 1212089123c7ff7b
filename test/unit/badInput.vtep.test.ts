// The stack's VTEP settings (`dcos-vnet:vtep`) are not read by the stack program (a local cluster has
// no VTEPs); `dcos-vnet config export` checks them with the stack's networks as DC/OS's
// dcos_overlay_network section. Every bad setting is refused with DC/OS's key and wording.
import { strict as assert } from "assert";
import { validateOverlayConfig } from "../../src/core/overlay/validateOverlaySet";
import { overlayConfigFromStack, StackVtep } from "../../src/core/overlay/stackOverlay";
import { Failure } from "../../src/core/common/failure";

const networks = [{ name: "dcos-1", subnet: "9.0.0.0/16", prefix: 24, agents: ["agent-1"], mtu: 1420 }];
const OUI = (got: string) => `vtep_mac_oui must be "xx:xx:xx:00:00:00" with the low three bytes 0, got "${got}"`;
const VTEP_MTU = (got: string) => `vtep_mtu must be an integer of at least 552, got ${got}`;

const BAD_VTEP: Array<[string, StackVtep, Failure[]]> = [
  ["subnet wider than /8", { subnet: "32.0.0.0/4" }, [{ property: "vtep_subnet",
    reason: "VTEP MAC are derived from last 24 bits of VTEP IP. Hence, in order to guarantee unique VTEP MAC we need the VTEP IP subnet to be equal to or greater than /8 (got 32.0.0.0/4)" }]],
  ["subnet malformed", { subnet: "44.128.0/20" }, [{ property: "vtep_subnet", reason: "44.128.0/20 is not a valid IPv4 CIDR network" }]],
  ["subnet IPv6", { subnet: "fd01:a::/64" }, [{ property: "vtep_subnet", reason: "Incorrect value for `vtep_subnet`: `fd01:a::/64`. Only IPv4 subnets are allowed" }]],
  ["subnet6 IPv4", { subnet6: "44.0.0.0/8" }, [{ property: "vtep_subnet6", reason: "Incorrect value for `vtep_subnet6`: `44.0.0.0/8`. Only IPv6 subnets are allowed" }]],
  ["MAC OUI with low bytes set", { macOui: "70:B3:D5:00:00:01" }, [{ property: "vtep_mac_oui", reason: OUI("70:B3:D5:00:00:01") }]],
  ["MAC OUI not a MAC", { macOui: "70-B3-D5" }, [{ property: "vtep_mac_oui", reason: OUI("70-B3-D5") }]],
  ["mtu below 552", { mtu: 500 }, [{ property: "vtep_mtu", reason: VTEP_MTU("500") }]],
  ["mtu fractional", { mtu: 1500.5 }, [{ property: "vtep_mtu", reason: VTEP_MTU("1500.5") }]],
];

describe("bad input, unit level: VTEP settings (dcos-vnet:vtep, as config export checks them)", function () {
  it("no VTEP settings: DC/OS's defaults, accepted", function () {
    assert.deepEqual(validateOverlayConfig(overlayConfigFromStack(networks, {})), []);
  });

  for (const [what, vtep, failures] of BAD_VTEP) {
    it(what, function () {
      assert.deepEqual(validateOverlayConfig(overlayConfigFromStack(networks, vtep)), failures);
    });
  }
});
