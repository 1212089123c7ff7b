// Apps of a prod stack join only prod networks (dcos-prod-apps-on-prod-networks).
import { strict as assert } from "assert";
import { runStackPolicy } from "../../policy/testing";
import { prodAppsOnProdNetworks } from "../../policy/rules/prodAppsOnProdNetworks";
import { app, owned } from "./resources";

const policy = prodAppsOnProdNetworks(() => ({ name: "live", project: "dcos-vnet" }));
const PROD_TAG = { stackTags: { env: "prod" } };
const PROD_LABEL = { labels: { env: "prod" } };

describe("policy dcos-prod-apps-on-prod-networks", function () {
  it("reports a prod app on an unlabelled network, naming app, field, network and label, on the app's URN", async function () {
    const v = await runStackPolicy(policy, [...owned("dcos-1", "9.10.0.0/16"), app("/web", "dcos-1")], PROD_TAG);
    assert.deepEqual(v, [{
      message:
        "MarathonApp web (/web) of prod stack live (tagged env=prod) joins network dcos-1 (app.networks[0].name), which is not a prod network: " +
        "VirtualNetwork dcos-1 has no label env: prod (labels.env). Join a network labelled env: prod, or label this one (dcos-vnet:networks[].labels)",
      urn: "urn:pulumi:test::dcos-vnet::pulumi-nodejs:dynamic/dcos:MarathonApp::web",
    }]);
  });

  it("names the second network of a multi-network app by its index, and a network labelled otherwise", async function () {
    const resources = [
      ...owned("prod-1", "9.30.0.0/16", PROD_LABEL),
      ...owned("shared", "9.31.0.0/16", { labels: { env: "staging" } }),
      // Several container networks: a Mesos container (Docker containers join one).
      app("/api", "prod-1", { container: { type: "MESOS" }, networks: [{ mode: "container", name: "prod-1" }, { mode: "container", name: "shared" }] }),
    ];
    const v = await runStackPolicy(policy, resources, PROD_TAG);
    assert.equal(v.length, 1);
    assert.match(v[0].message, /joins network shared \(app\.networks\[1\]\.name\), which is not a prod network: VirtualNetwork shared has no label env: prod/);
  });

  it("names the legacy field (ipAddress.networkName) for apps in that form", async function () {
    const legacy = app("/seed", "x");
    legacy.props.app = { id: "/seed", cmd: "sleep 1", ipAddress: { networkName: "dcos-1" } };
    const v = await runStackPolicy(policy, [...owned("dcos-1", "9.10.0.0/16"), legacy], PROD_TAG);
    assert.match(v[0].message, /joins network dcos-1 \(app\.ipAddress\.networkName\)/);
  });

  it("passes prod apps on prod networks, and every app of a non-prod stack", async function () {
    assert.deepEqual(await runStackPolicy(policy, [...owned("prod-1", "9.30.0.0/16", PROD_LABEL), app("/web", "prod-1")], PROD_TAG), []);
    assert.deepEqual(await runStackPolicy(policy, [...owned("dcos-1", "9.10.0.0/16"), app("/web", "dcos-1")]), []);
  });

  it("uses the policy config's prodStacks, tagKey and prodValue for stacks and network labels alike", async function () {
    const resources = [...owned("p", "9.30.0.0/16", { labels: { tier: "gold" } }), app("/web", "p")];
    const config = { prodStacks: ["live"], tagKey: "tier", prodValue: "gold" };
    assert.deepEqual(await runStackPolicy(policy, resources, { config }), []);
    const v = await runStackPolicy(policy, resources, { config: { ...config, prodValue: "platinum" } });
    assert.match(v[0].message, /of prod stack live \(in prodStacks\).*has no label tier: platinum \(labels\.tier\)/);
  });
});
