// The marathon target against doubles that behave like Marathon 1.5 and 1.10 (merging PUT,
// force-by-default DELETE, normalised GETs; test/support/fakeMarathon*.ts), through the real Pulumi
// CLI: a label removed from the definition goes from Marathon, refresh and preview then show
// nothing, a second up sends nothing, and destroy lets a foreign deployment finish (or names it).
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { createTestStack, opsRecorder, TestStack } from "../support/pulumi";
import { startFakeMarathon, FakeMarathon } from "../support/fakeMarathon";
import { ROOT } from "../support/paths";

const TOKEN = "dcos-jwt-for-semantics";
const seed = () => JSON.parse(fs.readFileSync(path.join(ROOT, "examples/seed-app/app.json"), "utf8"));

for (const version of ["1.5", "1.10"] as const) {
  describe(`target marathon against Marathon ${version}'s write semantics (real Pulumi CLI)`, function () {
    let fake: FakeMarathon;
    let t: TestStack;
    let token: unknown;
    const config = (apps: unknown[], marathon: Record<string, unknown> = {}) => ({
      cluster: { target: "marathon", agents: ["agent-1", "agent-2"] },
      networks: [{ name: "dcos-1", subnet: "9.0.0.0/8", prefix: 24 }],
      marathon: { url: fake.clusterUrl, deploymentTimeoutSeconds: 20, allowInsecureHttp: true, ...marathon },
      marathonToken: token,
      apps,
    });
    const labelled = () => ({ ...seed(), labels: { team: "shop", tier: "web" } });

    before(async function () {
      fake = await startFakeMarathon({ version, token: TOKEN, deploymentMs: 200 });
      t = await createTestStack("dcos", { cluster: { target: "marathon" }, networks: [{ name: "dcos-1", subnet: "9.0.0.0/8", prefix: 24 }], marathon: { url: "http://127.0.0.1:1" }, apps: [] });
      token = await t.secret(TOKEN);
    });
    after(async function () {
      if (t) await t.dispose();
      if (fake) await fake.close();
    });

    it("removing a label from the definition removes it in Marathon; refresh and preview then show no change; a second up sends nothing", async function () {
      t.setConfig(config([{ app: labelled() }]));
      await t.stack.up();
      assert.deepEqual(fake.apps.get("/my-networking")?.labels, { team: "shop", tier: "web" });

      const app = labelled();
      delete (app.labels as Record<string, string>).tier;
      t.setConfig(config([{ app }]));
      await t.stack.up();
      assert.deepEqual(fake.apps.get("/my-networking")?.labels, { team: "shop" }, "the label is gone in Marathon");

      const refreshed = await t.stack.refresh();
      assert.deepEqual(Object.keys(refreshed.summary.resourceChanges ?? {}), ["same"], JSON.stringify(refreshed.summary.resourceChanges));
      const preview = await t.stack.preview();
      assert.deepEqual(Object.keys(preview.changeSummary), ["same"], JSON.stringify(preview.changeSummary));
      const writes = fake.writes();
      const again = await t.stack.up();
      assert.deepEqual(Object.keys(again.summary.resourceChanges ?? {}), ["same"]);
      assert.equal(fake.writes(), writes, "a second up sends no POST/PUT/DELETE");
    });

    it("destroy waits for a deployment somebody else started, then deletes the app (never cancels it)", async function () {
      const theirs = fake.lockApp("/my-networking");
      // Somebody else's deployment ends only after destroy has met it (a DELETE answered 409).
      const watch = setInterval(() => {
        if (fake.requests.some((r) => r.method === "DELETE" && r.status === 409)) fake.finishDeployment(theirs);
      }, 50);
      try {
        await t.stack.destroy();
      } finally {
        clearInterval(watch);
      }
      assert.equal(fake.apps.has("/my-networking"), false);
      const deletes = fake.requests.filter((r) => r.method === "DELETE");
      assert.ok(deletes.every((r) => r.query === "?force=false"), JSON.stringify(deletes.map((r) => r.query)));
      assert.equal(deletes[0].status, 409, "the first delete met the foreign deployment");
    });

    it("destroy fails naming a foreign deployment that outlasts deploymentTimeoutSeconds, saying marathon.force overrides", async function () {
      // destroy uses the connection recorded in the state, so the bound is set when the app is created.
      t.setConfig(config([{ app: seed() }], { deploymentTimeoutSeconds: 1 }));
      await t.stack.up();
      const theirs = fake.lockApp("/my-networking");
      await assert.rejects(t.stack.destroy(), (err: Error) => {
        assert.match(err.message, new RegExp(theirs));
        assert.match(err.message, /dcos-vnet:marathon\.force: true/);
        return true;
      });
      assert.ok(fake.apps.has("/my-networking"), "nothing deleted, the foreign deployment not cancelled");
      assert.ok(fake.runningDeployments().includes(theirs));
      // The operator decides to override: marathon.force reaches the state by an up that sends nothing.
      t.setConfig(config([{ app: seed() }], { deploymentTimeoutSeconds: 1, force: true }));
      const writes = fake.writes();
      const { ops, onEvent } = opsRecorder();
      await t.stack.up({ onEvent });
      // The app (and the network, which reads the overlay master with the same connection) record it.
      assert.equal(ops["MarathonApp::my-networking"], "update", JSON.stringify(ops));
      assert.ok(Object.values(ops).every((op) => op === "same" || op === "update"), JSON.stringify(ops));
      assert.equal(fake.writes(), writes, "recording the new connection sends nothing to Marathon");
      await t.stack.destroy();
      assert.equal(fake.apps.has("/my-networking"), false);
      assert.equal(fake.requests.filter((r) => r.method === "DELETE").at(-1)?.query, "?force=true");
      assert.ok(!fake.runningDeployments().includes(theirs), "force cancelled the foreign deployment, as the operator asked");
    });

    it("an edit of a field drift is not compared on (a health check) is sent: one PUT", async function () {
      t.setConfig(config([{ app: seed() }]));
      await t.stack.up();
      const puts = () => fake.requests.filter((r) => r.method === "PUT").length;
      const before = puts();
      const checked = { ...seed(), healthChecks: [{ protocol: "MESOS_TCP", portIndex: 0, gracePeriodSeconds: 30, intervalSeconds: 10 }] };
      t.setConfig(config([{ app: checked }]));
      const preview = await t.stack.preview();
      assert.equal(preview.changeSummary.update, 1, JSON.stringify(preview.changeSummary));
      await t.stack.up();
      assert.equal(puts(), before + 1);
      assert.equal((fake.apps.get("/my-networking") as any).healthChecks?.[0]?.protocol, "MESOS_TCP");
      const again = await t.stack.preview();
      assert.deepEqual(Object.keys(again.changeSummary), ["same"], JSON.stringify(again.changeSummary));
      await t.stack.destroy();
    });
  });
}
