// The same program pointed at a real Marathon: no Marathon can run here, so an in-process server
// plays Marathon's contract strictly (every body validated against Marathon's published
// AppDefinition.json schema, Marathon's status codes and bodies, deployments that take time, the
// DC/OS token header). The real Pulumi CLI drives it through the MarathonApp provider.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { createTestStack, resourcesOfType, TestStack } from "../support/pulumi";
import { startFakeMarathon, FakeMarathon } from "../support/fakeMarathon";
import { ROOT } from "../support/paths";

const TOKEN = "dcos-jwt-for-tests";
const seed = () => JSON.parse(fs.readFileSync(path.join(ROOT, "examples/seed-app/app.json"), "utf8"));

describe("MarathonApp on a DC/OS cluster (strict fake Marathon, real Pulumi CLI)", function () {
  let fake: FakeMarathon;
  let t: TestStack;
  let token: unknown;
  const config = (apps: unknown[], marathon: Record<string, unknown> = {}, secretToken: unknown = token) => ({
    cluster: { target: "marathon", agents: ["agent-1", "agent-2"] },
    networks: [{ name: "dcos-1", subnet: "9.0.0.0/8", prefix: 24 }],
    // The fake serves http:// on loopback: the token may go there (refused without this opt-in).
    marathon: { url: fake.clusterUrl, deploymentTimeoutSeconds: 20, allowInsecureHttp: true, ...marathon },
    marathonToken: secretToken,
    apps,
  });
  const posts = () => fake.requests.filter((r) => r.method === "POST" && r.path.endsWith("/v2/apps"));
  const puts = () => fake.requests.filter((r) => r.method === "PUT");

  before(async function () {
    fake = await startFakeMarathon({ token: TOKEN, deploymentMs: 400 });
    t = await createTestStack("dcos", { cluster: { target: "marathon" }, networks: [{ name: "dcos-1", subnet: "9.0.0.0/8", prefix: 24 }], marathon: { url: "http://127.0.0.1:1" }, apps: [] });
    token = await t.secret(TOKEN);
  });

  after(async function () {
    if (t) await t.dispose();
    if (fake) await fake.close();
  });

  it("creates the seed app through POST /v2/apps, sent verbatim and accepted by Marathon's schema, and waits for the deployment", async function () {
    t.setConfig(config([{ file: "examples/seed-app/app.json" }]));
    await t.stack.up();
    assert.equal(posts().length, 1);
    assert.equal(posts()[0].status, 201);
    assert.deepEqual(posts()[0].body, seed(), "the definition is sent as written");
    assert.equal(posts()[0].authorization, `token=${TOKEN}`);
    assert.deepEqual(fake.runningDeployments(), [], "up returned only after the deployment left the list");
    assert.equal(fake.apps.get("/my-networking")?.tasksRunning, 1);
  });

  it("keeps the token out of the state in plaintext", async function () {
    const exported = await t.cli(["stack", "export"]);
    assert.ok(!exported.includes(TOKEN));
  });

  it("a second up sends nothing: Marathon's own fields (version, tasks, defaults) are not drift", async function () {
    const before = fake.requests.filter((r) => r.method !== "GET").length;
    const res = await t.stack.up();
    assert.deepEqual(Object.keys(res.summary.resourceChanges ?? {}), ["same"]);
    assert.equal(fake.requests.filter((r) => r.method !== "GET").length, before);
  });

  it("scales with PUT /v2/apps/{id} and waits", async function () {
    t.setConfig(config([{ app: { ...seed(), instances: 3 } }]));
    await t.stack.up();
    assert.equal(puts().length, 1);
    assert.equal(fake.apps.get("/my-networking")?.instances, 3);
    assert.deepEqual(fake.runningDeployments(), []);
  });

  it("changes the image with PUT", async function () {
    const app = seed();
    app.instances = 3;
    app.container.docker.image = "busybox:1.36";
    t.setConfig(config([{ app }]));
    await t.stack.up();
    assert.equal((puts().at(-1)?.body as any).container.docker.image, "busybox:1.36");
    assert.equal((fake.apps.get("/my-networking") as any).container.docker.image, "busybox:1.36");
  });

  it("refresh sees an app scaled by hand in the DC/OS UI, and up restores the declared count", async function () {
    fake.setAppInstances("/my-networking", 7);
    await t.stack.refresh();
    const [app] = await resourcesOfType(t.stack, "MarathonApp");
    assert.equal(app.outputs.observed.instances, 7);
    await t.stack.up();
    assert.equal(fake.apps.get("/my-networking")?.instances, 3);
  });

  it("a locked app fails with the deployment named and force suggested; force: true overrides it", async function () {
    const app = seed();
    app.instances = 2;
    app.container.docker.image = "busybox:1.36";
    const deployment = fake.lockApp("/my-networking");
    t.setConfig(config([{ app }]));
    await assert.rejects(t.stack.up(), (err: Error) => {
      assert.match(err.message, new RegExp(deployment));
      assert.match(err.message, /force/);
      return true;
    });
    t.setConfig(config([{ app }], { force: true }));
    await t.stack.up();
    assert.equal(fake.apps.get("/my-networking")?.instances, 2);
    assert.equal(puts().at(-1)?.query, "?partialUpdate=false&force=true");
  });

  it("maps Marathon's 422 details back to the app definition's JSON path", async function () {
    // Passes this project's checks (fetch is passed through unchecked), fails Marathon's schema.
    const app = { ...seed(), id: "/schema-bad", fetch: [{ uri: 5 }] };
    t.setConfig(config([{ app }], { force: true }));
    await assert.rejects(t.stack.up(), /fetch\[0\]\.uri/);
    assert.equal(fake.apps.has("/schema-bad"), false);
  });

  it("a wrong token fails with an authorisation message that does not echo the token", async function () {
    t.setConfig(config([{ app: { ...seed(), id: "/with-bad-token" } }], {}, await t.secret("not-the-token")));
    await assert.rejects(t.stack.up(), (err: Error) => {
      assert.match(err.message, /401|token/i);
      assert.doesNotMatch(err.message, /not-the-token/);
      return true;
    });
    assert.equal(fake.apps.has("/with-bad-token"), false);
  });

  it("an unreachable cluster fails with a message naming it", async function () {
    t.setConfig(config([{ app: { ...seed(), id: "/nowhere" } }], { url: "http://127.0.0.1:9" }));
    await assert.rejects(t.stack.up(), /127\.0\.0\.1:9.*unreachable|unreachable.*127\.0\.0\.1:9/s);
  });

  it("a deployment that outlasts the bound leaves the created app recorded, and the next up converges", async function () {
    const slow = await startFakeMarathon({ token: TOKEN, deploymentMs: 4000 });
    try {
      const app = { ...seed(), id: "/slow" };
      t.setConfig({ ...config([{ app }], { url: slow.clusterUrl, deploymentTimeoutSeconds: 1 }) });
      await assert.rejects(t.stack.up(), /was created in Marathon.*recorded in the state/s);
      const recorded = (await resourcesOfType(t.stack, "MarathonApp")).map((r) => r.id);
      assert.ok(recorded.includes("/slow"), `state holds ${recorded}`);
      await new Promise((r) => setTimeout(r, 4000));
      t.setConfig({ ...config([{ app }], { url: slow.clusterUrl, deploymentTimeoutSeconds: 20 }) });
      await t.stack.up();
      assert.equal(slow.apps.get("/slow")?.tasksRunning, 1);
      await t.stack.destroy();
      assert.equal(slow.apps.size, 0);
    } finally {
      await slow.close();
    }
  });

  it("destroy deletes the app with DELETE /v2/apps/{id} and waits", async function () {
    t.setConfig(config([{ file: "examples/seed-app/app.json" }]));
    await t.stack.up();
    assert.ok(fake.apps.has("/my-networking"));
    await t.stack.destroy();
    assert.equal(fake.apps.has("/my-networking"), false);
    assert.ok(fake.requests.some((r) => r.method === "DELETE" && r.path.endsWith("/v2/apps/my-networking")));
  });
});
