// DC/OS's overlay rules (installer + master wording) and the checks DC/OS forgot, on one stack's
// config as users write it in Pulumi.<stack>.yaml.
import { strict as assert } from "assert";
import fc from "fast-check";
import { parseStackConfig } from "../../src/config/stackConfig";
import { validateOverlayConfig } from "../../src/core/overlay/validateOverlaySet";
import { parseOverlayConfigYaml, renderOverlayConfigYaml } from "../../src/core/overlay/configYaml";
import { DCOS_DEFAULT_OVERLAY_CONFIG, OverlayNetworkConfig } from "../../src/core/overlay/types";
import { findOverlaps } from "../../src/core/ip/overlap";
import { Cidr, lastAddress } from "../../src/core/ip/cidr";

const ok = { name: "dcos-1", subnet: "9.0.0.0/16", prefix: 24 };

describe("stack network config: bad configurations fail with the field and DC/OS's wording", function () {
  it("bad cluster settings name the cluster key", function () {
    const parsed = parseStackConfig({ cluster: { target: "k8s", dockerProvider: "x" }, networks: [ok] });
    assert.equal(parsed.ok, false);
    if (parsed.ok) return;
    assert.deepEqual(parsed.failures.map((f) => f.property), ["dcos-vnet:cluster.target", "dcos-vnet:cluster.dockerProvider"]);
  });

  it("a good config parses with defaults", function () {
    const parsed = parseStackConfig({ networks: [ok] });
    assert.ok(parsed.ok);
    if (!parsed.ok) return;
    assert.deepEqual(parsed.value.cluster, { target: "local", agents: ["agent-1", "agent-2", "agent-3"], dockerProvider: "builtin", hostSubnet: "172.16.0.0/24" });
  });
});

describe("dcos_overlay_network VTEP rules", function () {
  const base = { ...DCOS_DEFAULT_OVERLAY_CONFIG };
  const cases: Array<[string, Record<string, unknown>, string, string]> = [
    ["missing overlays", { vtep_subnet: base.vtep_subnet, vtep_mac_oui: base.vtep_mac_oui }, "overlays", 'Missing "overlays" in overlay configuration'],
    ["empty overlays", { ...base, overlays: [] }, "overlays", '"Overlays" network configuration is empty'],
    ["missing oui", { ...base, vtep_mac_oui: undefined }, "vtep_mac_oui", 'Missing "vtep_mac_oui"'],
    ["oui low bytes set", { ...base, vtep_mac_oui: "70:B3:D5:00:00:01" }, "vtep_mac_oui", '"xx:xx:xx:00:00:00" with the low three bytes 0'],
    ["missing vtep subnet", { ...base, vtep_subnet: undefined }, "vtep_subnet", 'Missing "vtep_subnet"'],
    ["vtep /4", { ...base, vtep_subnet: "32.0.0.0/4" }, "vtep_subnet", "we need the VTEP IP subnet to be equal to or greater than /8"],
    ["vtep6 family", { ...base, vtep_subnet6: "44.0.0.0/8" }, "vtep_subnet6", "Only IPv6 subnets are allowed"],
    ["vtep mtu", { ...base, vtep_mtu: 500 }, "vtep_mtu", "vtep_mtu must be an integer of at least 552"],
  ];
  for (const [what, config, property, message] of cases) {
    it(what, function () {
      const failures = validateOverlayConfig(JSON.parse(JSON.stringify(config)));
      const hit = failures.find((f) => f.property === property);
      assert.ok(hit && hit.reason.includes(message), JSON.stringify(failures));
    });
  }

  it("a /20 vtep subnet (DC/OS's default) is fine, and so is the whole default config", function () {
    assert.deepEqual(validateOverlayConfig(DCOS_DEFAULT_OVERLAY_CONFIG), []);
  });
});

describe("config.yaml dcos_overlay_network render/parse", function () {
  it("round-trips DC/OS's shipped default", function () {
    const text = renderOverlayConfigYaml(DCOS_DEFAULT_OVERLAY_CONFIG);
    assert.match(text, /^dcos_overlay_network:\n  vtep_subnet: 44\.128\.0\.0\/20\n/);
    const parsed = parseOverlayConfigYaml(text);
    assert.ok(parsed.ok);
    if (parsed.ok) assert.deepEqual(parsed.config, DCOS_DEFAULT_OVERLAY_CONFIG);
  });

  it("parses the section when given as a JSON string, as DC/OS also accepts", function () {
    const parsed = parseOverlayConfigYaml(`cluster_name: x\ndcos_overlay_network: '${JSON.stringify(DCOS_DEFAULT_OVERLAY_CONFIG)}'\n`);
    assert.ok(parsed.ok);
  });

  it("refuses a section that is not valid JSON with DC/OS's message", function () {
    const parsed = parseOverlayConfigYaml("dcos_overlay_network: '{not json'\n");
    assert.equal(parsed.ok, false);
    if (!parsed.ok) assert.match(parsed.failures[0].reason, /^Provided input was not valid JSON: \{not json/);
  });

  it("refuses invalid overlays with the field under dcos_overlay_network", function () {
    const bad = { ...DCOS_DEFAULT_OVERLAY_CONFIG, overlays: [{ name: "host", subnet: "9.0.0.0/8", prefix: 24 }] };
    const parsed = parseOverlayConfigYaml(renderOverlayConfigYaml(bad as OverlayNetworkConfig));
    assert.equal(parsed.ok, false);
    if (!parsed.ok) assert.equal(parsed.failures[0].property, "dcos_overlay_network.overlays[0].name");
  });

  it("property: parse(render(x)) == x for valid configs", function () {
    const overlay = fc.record({
      second: fc.integer({ min: 0, max: 250 }),
      prefix: fc.integer({ min: 17, max: 29 }),
      enabled: fc.option(fc.boolean(), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.uniqueArray(overlay, { selector: (o) => o.second, minLength: 1, maxLength: 6 }), (overlays) => {
        const config: OverlayNetworkConfig = {
          vtep_subnet: "44.128.0.0/20",
          vtep_mac_oui: "70:B3:D5:00:00:00",
          overlays: overlays.map((o, i) => ({
            name: `net-${i}`,
            subnet: `9.${o.second}.0.0/16`,
            prefix: o.prefix,
            ...(o.enabled === undefined ? {} : { enabled: o.enabled }),
          })),
        };
        const parsed = parseOverlayConfigYaml(renderOverlayConfigYaml(config));
        assert.ok(parsed.ok, JSON.stringify(parsed));
        if (parsed.ok) assert.deepEqual(parsed.config, config);
      }),
    );
  });
});

describe("overlap detection", function () {
  it("property: finds an overlap exactly when brute force does, and pairs really overlap", function () {
    const net = fc.record({ start: fc.integer({ min: 0, max: 255 }), prefix: fc.integer({ min: 24, max: 32 }) });
    fc.assert(
      fc.property(fc.array(net, { maxLength: 30 }), (raw) => {
        const nets = raw.map((r, i) => {
          const hostBits = 32 - r.prefix;
          const start = (BigInt(0x09000000 + r.start) >> BigInt(hostBits)) << BigInt(hostBits);
          return { name: `n${i}`, cidr: { family: 4, start, prefix: r.prefix } as Cidr };
        });
        const overlaps = (a: Cidr, b: Cidr) => a.start <= lastAddress(b) && b.start <= lastAddress(a);
        let brute = false;
        for (let i = 0; i < nets.length; i++) for (let j = i + 1; j < nets.length; j++) brute ||= overlaps(nets[i].cidr, nets[j].cidr);
        const found = findOverlaps(nets);
        assert.equal(found.length > 0, brute);
        for (const [a, b] of found) assert.ok(overlaps(a.cidr, b.cidr));
      }),
    );
  });

  it("never mixes IPv4 and IPv6 with the same numeric range", function () {
    const v4: Cidr = { family: 4, start: 0n, prefix: 8 };
    const v6: Cidr = { family: 6, start: 0n, prefix: 8 };
    assert.deepEqual(findOverlaps([{ name: "a", cidr: v4 }, { name: "b", cidr: v6 }]), []);
  });
});
