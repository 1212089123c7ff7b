// The overlay changes DC/OS applies only by reinstalling (core/overlay/reinstallChanges): which
// changes, whom they touch, and the procedure text that preview and a refused up print.
import { strict as assert } from "assert";
import { InstalledOverlayConfig, reinstallChanges, reinstallMessage } from "../../src/core/overlay/reinstallChanges";

const KEY = "dcos-vnet:cluster.acknowledgeReinstall";

const installed = (): InstalledOverlayConfig => ({
  overlays: [
    { name: "dcos", subnet: "9.0.0.0/8", prefix: 24, agents: ["10.0.1.2", "10.0.1.1"], apps: ["/web", "/shop/cart"] },
    { name: "prod", subnet: "10.200.0.0/16", prefix: 24, agents: ["10.0.1.3"], apps: ["/api"] },
    { name: "dcos6", subnet6: "fd01:b::/64", prefix6: 80, agents: ["10.0.1.1"], apps: [] },
  ],
  vtep: { subnet: "44.128.0.0/20", subnet6: "fd01:a::/64", macOui: "70:B3:D5:00:00:00" },
});

describe("reinstallChanges: overlay changes DC/OS cannot apply in place", function () {
  it("finds nothing when the set is unchanged, whatever the agents and apps", function () {
    const now = installed();
    now.overlays[0].agents.push("10.0.1.9");
    now.overlays[1].apps = [];
    assert.deepEqual(reinstallChanges(installed(), now), []);
  });

  it("a changed prefix names the overlay, the field, its agents and apps (sorted)", function () {
    const now = installed();
    now.overlays[0].prefix = 26;
    assert.deepEqual(reinstallChanges(installed(), now), [
      { kind: "overlay changed", overlay: "dcos", fields: [{ field: "prefix", from: 24, to: 26 }], agents: ["10.0.1.1", "10.0.1.2"], apps: ["/shop/cart", "/web"], subnetsGone: [] },
    ]);
  });

  it("subnet, subnet6 and prefix6 changes, and an IPv6 subnet added to an IPv4 overlay, each count", function () {
    const now = installed();
    now.overlays[1].subnet = "10.201.0.0/16";
    now.overlays[1].subnet6 = "fd01:c::/64";
    now.overlays[2].prefix6 = 96;
    const found = reinstallChanges(installed(), now);
    assert.deepEqual(found.map((c) => [c.overlay, c.fields.map((f) => f.field)]), [["prod", ["subnet", "subnet6"]], ["dcos6", ["prefix6"]]]);
    assert.deepEqual(found[0].fields[1], { field: "subnet6", to: "fd01:c::/64" });
    assert.deepEqual(found.map((c) => c.subnetsGone), [["10.200.0.0/16"], []], "a new prefix keeps the subnet (and its IPMASQ rule)");
  });

  it("a removed overlay is named with the agents and apps it had", function () {
    const now = installed();
    now.overlays.splice(1, 1);
    assert.deepEqual(reinstallChanges(installed(), now), [{ kind: "overlay removed", overlay: "prod", fields: [], agents: ["10.0.1.3"], apps: ["/api"], subnetsGone: ["10.200.0.0/16"] }]);
  });

  it("an added overlay is flagged too (DC/OS adds virtual networks at install time only)", function () {
    const now = installed();
    now.overlays.push({ name: "extra", subnet: "10.210.0.0/16", prefix: 24, agents: ["10.0.1.1"], apps: ["/new"] });
    assert.deepEqual(reinstallChanges(installed(), now).map((c) => [c.kind, c.overlay]), [["overlay added", "extra"]]);
  });

  it("a VTEP subnet, subnet6, MAC OUI or MTU change touches every agent and app of every overlay", function () {
    for (const [field, value] of [["subnet", "44.129.0.0/20"], ["subnet6", "fd01:d::/64"], ["macOui", "70:B3:D5:00:00:01"], ["mtu", 1400]] as const) {
      const now = installed();
      (now.vtep as Record<string, unknown>)[field] = value;
      const [change, ...rest] = reinstallChanges(installed(), now);
      assert.deepEqual(rest, []);
      assert.equal(change.kind, "vtep changed");
      assert.deepEqual(change.fields.map((f) => f.field), [field]);
      assert.deepEqual(change.agents, ["10.0.1.1", "10.0.1.2", "10.0.1.3"]);
      assert.deepEqual(change.apps, ["/api", "/shop/cart", "/web"]);
    }
  });

  it("the message lists each change and DC/OS's procedure, and says what up does", function () {
    const now = installed();
    now.overlays[0].prefix = 26;
    now.overlays.splice(1, 1);
    const changes = reinstallChanges(installed(), now);
    const refused = reinstallMessage(changes, KEY, false);
    assert.match(refused, /^- overlay dcos changed: prefix 24 → 26 \(agents: 10\.0\.1\.1, 10\.0\.1\.2; apps and pods: \/shop\/cart, \/web\)$/m);
    assert.match(refused, /^- overlay prod removed \(agents: 10\.0\.1\.3; apps and pods: \/api\)$/m);
    assert.match(refused, /docs\.d2iq\.com\/mesosphere\/dcos\/2\.2\/networking\/SDN\/dcos-overlay/);
    assert.match(refused, /^2\. Uninstall DC\/OS from every node\.$/m);
    assert.match(refused, /^3\. .*\/var\/lib\/dcos\/mesos\/master\/overlay_replicated_log/m);
    assert.match(refused, /^4\. On every agent \(10\.0\.1\.3\), remove the IPMASQ rules of the overlay subnets that go \(10\.200\.0\.0\/16\) from the POSTROUTING chain of the nat table\.$/m);
    assert.match(refused, /`pulumi up` refuses this until dcos-vnet:cluster\.acknowledgeReinstall is true/);
    assert.match(reinstallMessage(changes, KEY, true), /acknowledgeReinstall is true: `pulumi up` records the new overlay set/);
    assert.match(reinstallMessage(changes.slice(0, 1), KEY, false), /^4\. No overlay subnet goes away, so the agents' IPMASQ rules \(nat table, POSTROUTING\) can stay\.$/m);
  });
});
