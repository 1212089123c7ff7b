// Every app has a health check (dcos-app-health-check), run as the pack's analyzer runs it.
import { strict as assert } from "assert";
import { runResourcePolicy } from "../../policy/testing";
import { appHealthCheck } from "../../policy/rules/appHealthCheck";
import { HEALTH, app, vnet } from "./resources";

describe("policy dcos-app-health-check", function () {
  it("reports an app without health checks, naming the resource, the app id and the field", async function () {
    const v = await runResourcePolicy(appHealthCheck, app("/shop/web", "dcos-1"));
    assert.deepEqual(v.map((x) => x.message), [
      "MarathonApp shop.web (/shop/web): app.healthChecks is empty; every app needs at least one health check (HTTP, TCP or COMMAND), so that Marathon replaces instances that stop answering",
    ]);
  });

  it("reports an explicitly empty list too", async function () {
    assert.equal((await runResourcePolicy(appHealthCheck, app("/web", "dcos-1", { healthChecks: [] }))).length, 1);
  });

  it("passes an app with a health check", async function () {
    assert.deepEqual(await runResourcePolicy(appHealthCheck, app("/web", "dcos-1", { healthChecks: HEALTH })), []);
  });

  it("reads the legacy ipAddress form (the DC/OS seed app) like the provider", async function () {
    const seed = { type: app("/x", "y").type, name: "my-networking", props: { app: { id: "my-networking", cmd: "sleep 1", instances: 1, ipAddress: { networkName: "dcos-1" } } } };
    const v = await runResourcePolicy(appHealthCheck, seed);
    assert.match(v[0].message, /^MarathonApp my-networking \(\/my-networking\): app\.healthChecks is empty/);
  });

  it("leaves other resources and invalid app definitions alone (the provider's check reports those)", async function () {
    assert.deepEqual(await runResourcePolicy(appHealthCheck, vnet("dcos-1", "9.0.0.0/16")), []);
    assert.deepEqual(await runResourcePolicy(appHealthCheck, app("/web", "dcos-1", { instances: -1 })), []);
  });
});
