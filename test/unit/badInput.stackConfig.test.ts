// Every bad stack configuration is refused by parseStackConfig — what the stack program runs before
// it declares any resource — with each failure's config key, field and reason exactly as listed.
import { strict as assert } from "assert";
import { parseStackConfig } from "../../src/config/stackConfig";
import { Failure } from "../../src/core/common/failure";
import { BAD_NETWORKS } from "../support/badNetworks";
import { BAD_STACK_CONFIG, GOOD_NETWORKS, RawStackConfig } from "../support/badStackConfig";

function refusal(config: RawStackConfig): Failure[] {
  const parsed = parseStackConfig(config);
  assert.equal(parsed.ok, false, `accepted ${JSON.stringify(config)}`);
  return parsed.ok ? [] : parsed.failures;
}

describe("bad input, unit level: stack config (parseStackConfig)", function () {
  describe("dcos-vnet:networks", function () {
    for (const c of BAD_NETWORKS) {
      it(c.what, function () {
        assert.deepEqual(refusal({ networks: c.networks }), c.failures);
      });
    }
  });

  describe("dcos-vnet:cluster, apps and marathon", function () {
    for (const c of BAD_STACK_CONFIG) {
      it(c.what, function () {
        assert.deepEqual(refusal({ networks: GOOD_NETWORKS, ...c.config }), c.failures);
      });
    }
  });

  it("every failure of every case is listed: a config with two bad keys reports both, in key order", function () {
    const failures = refusal({ cluster: { target: "k8s" }, networks: [], apps: "web.json" });
    assert.deepEqual(failures.map((f) => f.property), ["dcos-vnet:cluster.target", "dcos-vnet:networks", "dcos-vnet:apps"]);
  });

  it("the same networks made valid are accepted, so each case fails for its own reason", function () {
    // The base values every case starts from must themselves pass.
    for (const networks of [GOOD_NETWORKS, [{ name: "dcos-1", subnet: "9.0.0.0/16", prefix: 24, subnet6: "fd01:b::/64", prefix6: 80 }]]) {
      const parsed = parseStackConfig({ networks });
      assert.ok(parsed.ok, JSON.stringify(parsed));
    }
    const marathon = parseStackConfig({ cluster: { target: "marathon" }, networks: GOOD_NETWORKS, marathon: { url: "https://dcos.example" } });
    assert.ok(marathon.ok, JSON.stringify(marathon));
    // http:// is refused only with credentials, and then only unless allowed.
    for (const [m, token] of [[{ url: "http://dcos.example" }, undefined], [{ url: "http://dcos.example", allowInsecureHttp: true }, "secret"], [{ url: "https://dcos.example", uid: "ops" }, "secret"]] as const) {
      const parsed = parseStackConfig({ cluster: { target: "marathon" }, networks: GOOD_NETWORKS, marathon: m, marathonToken: token });
      assert.ok(parsed.ok, JSON.stringify(parsed));
    }
  });
});
