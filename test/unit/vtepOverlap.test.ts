// An overlay must stay clear of the VTEP subnets: agents give their VXLAN device (vtep1024) an
// address from vtep_subnet/vtep_subnet6, so an overlay that overlaps them routes container traffic
// into the VTEP link. When the stack gives no VTEP settings, DC/OS's defaults (44.128.0.0/20,
// fd01:a::/64) are the ones in force, and the check uses them.
import { strict as assert } from "assert";
import { parseStackConfig } from "../../src/config/stackConfig";
import { Failure } from "../../src/core/common/failure";
import { parseOverlayConfigYaml, renderOverlayConfigYaml } from "../../src/core/overlay/configYaml";
import { validateOverlayConfig } from "../../src/core/overlay/validateOverlaySet";
import { DCOS_DEFAULT_OVERLAY_CONFIG } from "../../src/core/overlay/types";

const ok = { name: "dcos-1", subnet: "9.0.0.0/16", prefix: 24 };

function failuresOf(raw: Parameters<typeof parseStackConfig>[0]): Failure[] {
  const parsed = parseStackConfig(raw);
  assert.equal(parsed.ok, false, "must be refused");
  return parsed.ok ? [] : parsed.failures;
}

function only(failures: Failure[], property: string): string {
  const hits = failures.filter((f) => f.property === property);
  assert.equal(hits.length, 1, `one failure on ${property}; got ${JSON.stringify(failures)}`);
  return hits[0].reason;
}

describe("overlays against the VTEP subnets", function () {
  describe("a stack without VTEP settings (DC/OS's defaults apply)", function () {
    it("refuses an IPv4 overlay that covers the default vtep_subnet 44.128.0.0/20", function () {
      const reason = only(failuresOf({ networks: [ok, { name: "vx", subnet: "44.0.0.0/8", prefix: 24 }] }), "dcos-vnet:networks[1].subnet");
      assert.equal(
        reason,
        "Incorrect address space for the overlay network 'vx': Found overlapping address spaces " +
          '("44.0.0.0/8" overlaps the VTEP subnet "44.128.0.0/20", DC/OS\'s default vtep_subnet, in force while dcos-vnet:vtep.subnet is unset)',
      );
    });

    it("refuses an overlay inside the default VTEP subnet", function () {
      const reason = only(failuresOf({ networks: [{ name: "inner", subnet: "44.128.4.0/24", prefix: 26 }] }), "dcos-vnet:networks[0].subnet");
      assert.match(reason, /"44\.128\.4\.0\/24" overlaps the VTEP subnet "44\.128\.0\.0\/20"/);
    });

    it("refuses an IPv6 overlay that overlaps the default vtep_subnet6 fd01:a::/64", function () {
      const v6 = { name: "v6", subnet: "9.1.0.0/16", prefix: 24, subnet6: "fd01:a::/64", prefix6: 80 };
      const reason = only(failuresOf({ networks: [ok, v6] }), "dcos-vnet:networks[1].subnet6");
      assert.match(reason, /^Incorrect address space for the overlay network 'v6': Found overlapping address spaces \("fd01:a::\/64" overlaps the VTEP subnet "fd01:a::\/64", DC\/OS's default vtep_subnet6, in force while dcos-vnet:vtep\.subnet6 is unset\)$/);
    });

    it("accepts overlays next to the VTEP subnet", function () {
      const parsed = parseStackConfig({ networks: [{ name: "below", subnet: "44.127.0.0/16", prefix: 24 }, { name: "above", subnet: "44.128.16.0/20", prefix: 24 }] });
      assert.ok(parsed.ok, JSON.stringify(parsed));
      if (parsed.ok) assert.deepEqual(parsed.value.vtep, { subnet: "44.128.0.0/20", subnet6: "fd01:a::/64", macOui: "70:B3:D5:00:00:00" });
    });
  });

  describe("a stack with VTEP settings (dcos-vnet:vtep)", function () {
    it("checks against its own subnet, not the default", function () {
      const vtep = { subnet: "10.255.0.0/20" };
      const parsed = parseStackConfig({ vtep, networks: [{ name: "vx", subnet: "44.128.0.0/16", prefix: 24 }] });
      assert.ok(parsed.ok, JSON.stringify(parsed));
      const reason = only(failuresOf({ vtep, networks: [{ name: "vx", subnet: "10.0.0.0/8", prefix: 24 }] }), "dcos-vnet:networks[0].subnet");
      assert.match(reason, /"10\.0\.0\.0\/8" overlaps the VTEP subnet "10\.255\.0\.0\/20", dcos-vnet:vtep\.subnet\)$/);
    });

    it("refuses bad VTEP settings with DC/OS's wording, naming the stack's key", function () {
      const failures = failuresOf({ vtep: { subnet: "32.0.0.0/4", subnet6: "44.0.0.0/8", macOui: "70:B3:D5:00:00:01", mtu: 500, oui: "x" }, networks: [ok] });
      assert.match(only(failures, "dcos-vnet:vtep.subnet"), /we need the VTEP IP subnet to be equal to or greater than \/8/);
      assert.match(only(failures, "dcos-vnet:vtep.subnet6"), /Only IPv6 subnets are allowed/);
      assert.match(only(failures, "dcos-vnet:vtep.macOui"), /"xx:xx:xx:00:00:00" with the low three bytes 0/);
      assert.match(only(failures, "dcos-vnet:vtep.mtu"), /at least 552/);
      assert.match(only(failures, "dcos-vnet:vtep.oui"), /unknown field oui \(known: subnet, subnet6, macOui, mtu\)/);
    });

    it("refuses a VTEP setting that is not a map", function () {
      assert.match(only(failuresOf({ vtep: "44.128.0.0/20", networks: [ok] }), "dcos-vnet:vtep"), /vtep must be a map with subnet, subnet6, macOui and mtu/);
    });
  });

  describe("a config.yaml dcos_overlay_network section (config import/export)", function () {
    it("refuses an overlay that overlaps the section's vtep_subnet", function () {
      const config = { ...DCOS_DEFAULT_OVERLAY_CONFIG, overlays: [{ name: "vx", subnet: "44.128.0.0/16", prefix: 24 }] };
      const failures = validateOverlayConfig(config);
      assert.match(only(failures, "overlays[0].subnet"), /"44\.128\.0\.0\/16" overlaps the VTEP subnet "44\.128\.0\.0\/20", vtep_subnet\)$/);
      const parsed = parseOverlayConfigYaml(renderOverlayConfigYaml(config));
      assert.equal(parsed.ok, false);
    });

    it("does not check IPv6 overlays against a vtep_subnet6 the section does not set", function () {
      const { vtep_subnet6: _none, ...noV6 } = DCOS_DEFAULT_OVERLAY_CONFIG;
      assert.deepEqual(validateOverlayConfig({ ...noV6, overlays: [{ name: "v6", subnet6: "fd01:a::/64", prefix6: 80 }] }), []);
    });
  });
});
