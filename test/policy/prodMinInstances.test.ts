// Prod apps run at least minInstances instances (dcos-prod-app-min-instances).
import { strict as assert } from "assert";
import { runResourcePolicy } from "../../policy/testing";
import { prodMinInstances } from "../../policy/rules/prodMinInstances";
import { app } from "./resources";

const policy = prodMinInstances(() => ({ name: "live", project: "dcos-vnet" }));
const PROD_TAG = { stackTags: { env: "prod" } };

describe("policy dcos-prod-app-min-instances", function () {
  it("reports a one-instance app of a stack tagged env=prod, with the field and the threshold", async function () {
    const v = await runResourcePolicy(policy, app("/web", "dcos-1", { instances: 1 }), PROD_TAG);
    assert.deepEqual(v.map((x) => x.message), [
      "MarathonApp web (/web) of prod stack live (tagged env=prod): app.instances is 1; prod apps run at least 2 instances (policy config minInstances)",
    ]);
  });

  it("counts Marathon's default of 1 instance when the app sets none", async function () {
    const a = app("/web", "dcos-1");
    delete (a.props.app as Record<string, unknown>).instances;
    assert.match((await runResourcePolicy(policy, a, PROD_TAG))[0].message, /app\.instances is 1;/);
  });

  it("passes at the threshold, and leaves non-prod stacks alone", async function () {
    assert.deepEqual(await runResourcePolicy(policy, app("/web", "dcos-1", { instances: 2 }), PROD_TAG), []);
    assert.deepEqual(await runResourcePolicy(policy, app("/web", "dcos-1", { instances: 1 })), []);
    assert.deepEqual(await runResourcePolicy(policy, app("/web", "dcos-1", { instances: 1 }), { stackTags: { env: "dev" } }), []);
  });

  it("takes minInstances, prodStacks, tagKey and prodValue from the policy config", async function () {
    const three = await runResourcePolicy(policy, app("/web", "dcos-1", { instances: 2 }), { ...PROD_TAG, config: { minInstances: 3 } });
    assert.match(three[0].message, /app\.instances is 2; prod apps run at least 3 instances/);
    const named = await runResourcePolicy(policy, app("/web", "dcos-1", { instances: 1 }), { config: { prodStacks: ["live"] } });
    assert.match(named[0].message, /of prod stack live \(in prodStacks\)/);
    const custom = { stackTags: { tier: "production" }, config: { tagKey: "tier", prodValue: "production" } };
    assert.match((await runResourcePolicy(policy, app("/web", "dcos-1", { instances: 1 }), custom))[0].message, /tagged tier=production/);
  });
});
