// The client and the deployer against a double that behaves like Marathon 1.5 and like 1.10 where
// the two differ from a naive REST server: PUT merges unless partialUpdate=false, DELETE forces unless
// force=false, what is stored is normalised (legacy ipAddress translated, defaults per version).
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { MarathonClient, MarathonError } from "../../src/backends/marathon/client";
import * as deployer from "../../src/backends/marathon/deployer";
import * as pods from "../../src/backends/marathon/podDeployer";
import { FakeMarathon, startFakeMarathon } from "../support/fakeMarathon";
import { ROOT } from "../support/paths";

const seedApp = () => JSON.parse(fs.readFileSync(path.join(ROOT, "examples/seed-app/app.json"), "utf8"));
const POLL = { pollMs: 20 };

for (const version of ["1.5", "1.10"] as const) {
  describe(`Marathon ${version} semantics: the client against the double`, function () {
    this.timeout(20_000);
    let fake: FakeMarathon;
    let client: MarathonClient;
    const logs: string[] = [];
    beforeEach(async () => {
      fake = await startFakeMarathon({ version, deploymentMs: 100 });
      client = new MarathonClient({ url: fake.url, log: (m) => logs.push(m) });
    });
    afterEach(async () => {
      client.close();
      await fake.close();
    });
    const raw = (method: string, where: string, body?: unknown) =>
      fetch(fake.url + where, { method, headers: { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });

    it("stores the legacy ipAddress form translated, with this version's defaults", async function () {
      const { deploymentId } = await client.createApp(seedApp());
      await client.waitForDeployment(deploymentId, POLL);
      const app = (await client.getApp("/my-networking")) as any;
      assert.deepEqual(app.networks, [{ mode: "container", name: "dcos-1" }]);
      assert.equal(app.ipAddress, undefined);
      assert.equal(app.container.docker.portMappings, undefined);
      assert.deepEqual(app.container.portMappings, [{ containerPort: 123, protocol: "tcp", servicePort: 80, name: "foo" }]);
      assert.equal(app.maxLaunchDelaySeconds, version === "1.5" ? 3600 : 300);
      assert.equal(app.role, version === "1.10" ? "*" : undefined);
      assert.equal(app.portDefinitions, undefined, "no portDefinitions off host networking");
      assert.equal(app.tasks.length, 1);
    });

    it("a plain PUT merges (Marathon's default); the client's PUT sends partialUpdate=false and a removed label goes", async function () {
      const labelled = { ...seedApp(), labels: { team: "shop", tier: "web" } };
      await client.waitForDeployment((await client.createApp(labelled)).deploymentId, POLL);
      const { tier: _tier, ...fewer } = labelled.labels;
      const merged = await raw("PUT", "/v2/apps/my-networking", { ...labelled, labels: undefined, instances: 2 });
      assert.equal(merged.status, 200);
      assert.deepEqual(fake.apps.get("/my-networking")?.labels, labelled.labels, "a PUT without the field keeps it");

      await client.updateApp("/my-networking", { ...labelled, labels: fewer }, { force: true });
      assert.equal(fake.requests.at(-1)?.query, "?partialUpdate=false&force=true");
      assert.deepEqual(fake.apps.get("/my-networking")?.labels, { team: "shop" });
      const { labels: _gone, ...unlabelled } = labelled;
      await client.updateApp("/my-networking", unlabelled, { force: true });
      assert.deepEqual(fake.apps.get("/my-networking")?.labels, {});
    });

    it("a plain DELETE cancels somebody else's deployment (force defaults to true); the client's does not", async function () {
      await client.waitForDeployment((await client.createApp(seedApp())).deploymentId, POLL);
      const theirs = fake.lockApp("/my-networking");
      const err = await client.deleteApp("/my-networking").then(() => undefined, (e) => e as MarathonError);
      assert.equal(err?.kind, "locked");
      assert.equal(fake.requests.at(-1)?.query, "?force=false");
      assert.ok(fake.apps.has("/my-networking"));
      const plain = await raw("DELETE", "/v2/apps/my-networking");
      assert.equal(plain.status, 200);
      assert.ok(!fake.runningDeployments().includes(theirs), "Marathon's default cancels it");
    });

    /** Somebody else's deployment ends only once destroy has met it (a DELETE answered 409): no timing. */
    const finishAfterLockedDelete = (theirs: string): (() => void) => {
      const watch = setInterval(() => {
        if (fake.requests.some((r) => r.method === "DELETE" && r.status === 409)) fake.finishDeployment(theirs);
      }, 20);
      return () => clearInterval(watch);
    };

    it("destroy waits for a foreign deployment, then deletes", async function () {
      await client.waitForDeployment((await client.createApp(seedApp())).deploymentId, POLL);
      const theirs = fake.lockApp("/my-networking");
      const stop = finishAfterLockedDelete(theirs);
      try {
        await deployer.deleteApp({ url: fake.url, deploymentTimeoutSeconds: 20 }, "/my-networking", (m) => logs.push(m));
      } finally {
        stop();
      }
      assert.ok(!fake.apps.has("/my-networking"));
      assert.ok(logs.some((l) => l.includes(`held by deployment ${theirs}`)));
      assert.ok(fake.requests.filter((r) => r.method === "DELETE").every((r) => r.query === "?force=false"));
    });

    it("destroy fails naming a foreign deployment that does not finish, and says marathon.force overrides; force deletes", async function () {
      await client.waitForDeployment((await client.createApp(seedApp())).deploymentId, POLL);
      const theirs = fake.lockApp("/my-networking");
      await assert.rejects(deployer.deleteApp({ url: fake.url, deploymentTimeoutSeconds: 1 }, "/my-networking", () => {}), (err: Error) => {
        assert.match(err.message, new RegExp(`deployment ${theirs}`));
        assert.match(err.message, /dcos-vnet:marathon\.force: true/);
        return true;
      });
      assert.ok(fake.apps.has("/my-networking"));
      await deployer.deleteApp({ url: fake.url, force: true, deploymentTimeoutSeconds: 5 }, "/my-networking", () => {});
      assert.ok(!fake.apps.has("/my-networking"));
    });

    it("pods: PUT answers 200 when it creates, DELETE 202 with no body and waits for a foreign deployment", async function () {
      const pod = { id: "/shop/cart", containers: [{ name: "cart", resources: { cpus: 0.1, mem: 32 }, exec: { command: { shell: "sleep 3600" } } }], networks: [{ mode: "container", name: "dcos" }] };
      const put = await client.updatePod("/shop/cart", pod);
      assert.equal(fake.requests.at(-1)?.status, 200);
      await client.waitForDeployment(put.deploymentId, POLL);
      const deployments = await client.listDeployments();
      assert.deepEqual(deployments, []);
      const theirs = fake.lockApp("/shop/cart");
      const listed = (await client.listDeployments()).find((d) => d.id === theirs) as any;
      assert.deepEqual(listed.affectedPods, ["/shop/cart"]);
      const stop = finishAfterLockedDelete(theirs);
      try {
        await pods.deletePod({ url: fake.url, deploymentTimeoutSeconds: 20 }, "/shop/cart", () => {});
      } finally {
        stop();
      }
      const del = fake.requests.filter((r) => r.method === "DELETE").at(-1);
      assert.equal(del?.status, 202);
      assert.equal(del?.query, "?force=false");
      assert.equal(fake.pods.size, 0);
    });

    it("malformed JSON is a 400 whose details is a string, reported as a rejection", async function () {
      const res = await fetch(fake.url + "/v2/apps", { method: "POST", headers: { "content-type": "application/json" }, body: "{nope" });
      assert.equal(res.status, 400);
      const body = (await res.json()) as { message: string; details: unknown };
      assert.equal(body.message, "Invalid JSON");
      assert.equal(typeof body.details, "string");
    });

    it("serves what adoption reads: filters, embed, groups, info, pod status, Admin Router's 403", async function () {
      fake.seed({ id: "/shop/web", cmd: "sleep 1", labels: { HAPROXY_GROUP: "external" } });
      fake.seed({ id: "/shop/db/pg", cmd: "sleep 1" });
      fake.seed({ id: "/ops", cmd: "sleep 1" });
      fake.seedPod({ id: "/shop/cart", containers: [{ name: "c", resources: { cpus: 0.1, mem: 32 } }] });
      assert.equal(fake.writes(), 0);
      const json = async (where: string) => (await (await raw("GET", where)).json()) as any;
      assert.deepEqual((await json("/v2/apps?id=SHOP")).apps.map((a: any) => a.id), ["/shop/web", "/shop/db/pg"]);
      assert.deepEqual((await json("/v2/apps?label=HAPROXY_GROUP==external")).apps.map((a: any) => a.id), ["/shop/web"]);
      assert.equal((await json("/v2/apps")).apps[0].tasks, undefined);
      assert.equal((await json("/v2/apps?embed=apps.tasks")).apps[0].tasks.length, 1);
      const root = await json("/v2/groups");
      assert.deepEqual(root.groups.map((g: any) => g.id), ["/shop"]);
      assert.deepEqual(root.groups[0].pods.map((p: any) => p.id), ["/shop/cart"]);
      assert.deepEqual(root.groups[0].groups[0].apps.map((a: any) => a.id), ["/shop/db/pg"]);
      assert.match((await json("/v2/info")).version, new RegExp(`^${version.replace(".", "\\.")}\\.`));
      assert.equal((await json("/v2/pods/::status"))[0].id, "/shop/cart");
      assert.equal((await json("/v2/pods/shop/cart::status")).status, "STABLE");

      const guarded = await startFakeMarathon({ version, forbidden: ["/service/marathon/v2/pods", "/ops"] });
      try {
        const pods403 = await fetch(guarded.url + "/v2/pods");
        assert.equal(pods403.status, 403);
        assert.match(await pods403.text(), /403 Forbidden/);
        guarded.seed({ id: "/ops", cmd: "sleep 1" });
        guarded.seed({ id: "/web", cmd: "sleep 1" });
        assert.deepEqual(((await (await fetch(guarded.url + "/v2/apps")).json()) as any).apps.map((a: any) => a.id), ["/web"]);
        assert.equal((await fetch(guarded.url + "/v2/apps/ops")).status, 403);
      } finally {
        await guarded.close();
      }
    });
  });
}
