// The Marathon REST client against the strict fake Marathon (test/support/fakeMarathon.ts).
// Everything talks to 127.0.0.1 only.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as net from "net";
import * as path from "path";
import {
  AppDefinition,
  MarathonClient,
  MarathonError,
  clusterUrlOf,
  dcosMarathonUrl,
  marathonPathToJsonPath,
} from "../../src/backends/marathon/client";
import * as deployer from "../../src/backends/marathon/deployer";
import { FakeMarathon, startFakeMarathon } from "../support/fakeMarathon";
import { ROOT } from "../support/paths";

const TOKEN = "test-jwt.eyJzdWIiOiJib290c3RyYXB1c2VyIn0.signature";
const DEPLOYMENT_MS = 200;
const POLL = { pollMs: 20, timeoutMs: 5000 };

// The seed's app, exactly as users write it (the repository ships it unchanged).
const SEED_FILE = path.join(ROOT, "examples", "seed-app", "app.json");
const seedApp = (): AppDefinition => JSON.parse(fs.readFileSync(SEED_FILE, "utf8"));

// Self-signed CA certificate for IP 127.0.0.1 (valid 2000–2100) and its key: a test fixture only.
const TEST_CA_CERT = `-----BEGIN CERTIFICATE-----
MIIBdDCCARqgAwIBAgIBATAKBggqhkjOPQQDAjAgMR4wHAYDVQQDDBVmYWtlLW1h
cmF0aG9uIHRlc3QgQ0EwIBcNMDAwMTAxMDAwMDAwWhgPMjEwMDAxMDEwMDAwMDBa
MCAxHjAcBgNVBAMMFWZha2UtbWFyYXRob24gdGVzdCBDQTBZMBMGByqGSM49AgEG
CCqGSM49AwEHA0IABFj5v8LGkUdGdAo/iXZOCdPRIi631lekMzrEwMcWiDfH1GMW
vuXoDtqoH928ICwMX9g6OGkAxWphrYGpj9wkQvOjQzBBMA8GA1UdEQQIMAaHBH8A
AAEwDwYDVR0TAQH/BAUwAwEB/zAdBgNVHQ4EFgQUgb1+xp+REu96/uwsouJSnjaA
RtowCgYIKoZIzj0EAwIDSAAwRQIgYXtL1SE4ns4LKd9UwC+y5dlzQRfk6Pv3srHI
3dMcmVECIQC6Xo3v6PHlfW1KEHZveXI1aQ4Lg5vxyRudS2z/qjt4SA==
-----END CERTIFICATE-----
`;
const TEST_CA_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgdbur8j1+Pi6qjc7z
Er3B9T9IGoQpyGm6mKGp9tizjOahRANCAARY+b/CxpFHRnQKP4l2TgnT0SIut9ZX
pDM6xMDHFog3x9RjFr7l6A7aqB/dvCAsDF/YOjhpAMVqYa2BqY/cJELz
-----END PRIVATE KEY-----
`;

interface MarathonErrorBody {
  message: string;
  details: { path: string; errors: string[] }[];
}

/** Resolves with the MarathonError the promise rejects with; fails if it resolves or throws something else. */
async function marathonError(p: Promise<unknown>): Promise<MarathonError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof MarathonError, `expected a MarathonError, got ${err}`);
    return err;
  }
  assert.fail("expected the call to fail");
}

const loginRequests = (fake: FakeMarathon) => fake.requests.filter((r) => r.path === "/acs/api/v1/auth/login");

describe("fake Marathon validates app bodies with Marathon's AppDefinition.json", function () {
  let fake: FakeMarathon;
  beforeEach(async () => (fake = await startFakeMarathon({ deploymentMs: DEPLOYMENT_MS })));
  afterEach(() => fake.close());

  const post = (body: unknown, method = "POST", where = "/v2/apps") =>
    fetch(fake.url + where, { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

  it("accepts the seed app as sent", async function () {
    const seed = seedApp();
    const res = await post(seed);
    assert.equal(res.status, 201, await res.clone().text());
    assert.ok(res.headers.get("marathon-deployment-id"));
    assert.deepEqual(fake.requests[0].body, seed);
    assert.equal(fake.apps.get("/my-networking")?.mem, 64);
  });

  it('rejects "cpus": "two" with 422 in Marathon\'s shape', async function () {
    const res = await post({ ...seedApp(), cpus: "two" });
    assert.equal(res.status, 422);
    const body = (await res.json()) as MarathonErrorBody;
    assert.equal(body.message, "Object is not valid");
    assert.deepEqual(body.details, [{ path: "/cpus", errors: ["must be number"] }]);
    assert.equal(fake.apps.size, 0);
  });

  it("accepts fields it does not declare, as Marathon's readers do (a real 1.10 app's role, tty, check, resourceLimits)", async function () {
    const res = await post({ ...seedApp(), role: "*", tty: true, resourceLimits: { cpus: "unlimited" }, instancez: 2 });
    assert.equal(res.status, 201, await res.clone().text());
  });

  it("validates PUT bodies too, with Marathon's array path style", async function () {
    const bad = seedApp();
    (bad.container as any).docker.portMappings[0].name = "Foo_Bar";
    const res = await post(bad, "PUT", "/v2/apps/my-networking");
    assert.equal(res.status, 422);
    const body = (await res.json()) as MarathonErrorBody;
    assert.equal(body.details[0].path, "/container/docker/portMappings(0)/name");
    assert.match(body.details[0].errors[0], /must match pattern/);
  });
});

describe("MarathonClient against the fake Marathon", function () {
  this.timeout(20_000);
  let fake: FakeMarathon;
  let client: MarathonClient;
  let logs: string[];

  beforeEach(async () => {
    fake = await startFakeMarathon({ token: TOKEN, deploymentMs: DEPLOYMENT_MS });
    logs = [];
    client = new MarathonClient({ url: fake.url, token: TOKEN, log: (m) => logs.push(m) });
  });
  afterEach(async () => {
    client.close();
    await fake.close();
  });

  async function createAndWait(app: AppDefinition = seedApp()): Promise<string> {
    const { deploymentId } = await client.createApp(app);
    await client.waitForDeployment(deploymentId, POLL);
    return deploymentId;
  }

  it("creates an app, waits for its deployment, then reads it with Marathon's defaults", async function () {
    const { deploymentId, app } = await client.createApp(seedApp());
    assert.equal(app.id, "/my-networking");
    assert.deepEqual(fake.runningDeployments(), [deploymentId]);
    const during = await client.getApp("my-networking");
    assert.equal(during?.tasksRunning, 0);
    assert.deepEqual(during?.deployments, [{ id: deploymentId }]);

    await client.waitForDeployment(deploymentId, POLL);
    assert.deepEqual(await client.listDeployments(), []);
    const after = await client.getApp("/my-networking");
    assert.ok(after);
    assert.equal(after.tasksRunning, 1, "waitForDeployment returned before the deployment finished");
    assert.deepEqual(after.deployments, []);
    assert.equal(after.cpus, 0.1);
    assert.equal(after.disk, 0); // filled in by Marathon
    assert.equal(typeof after.version, "string");
    const progress = new RegExp(`^waiting for deployment ${deploymentId}: step [12]/2 \\((StartApplication|ScaleApplication) /my-networking\\)`);
    assert.ok(logs.some((l) => progress.test(l)), logs.join("\n"));
    for (const r of fake.requests) assert.equal(r.authorization, `token=${TOKEN}`);
  });

  it("scales an app with PUT and waits until the new instances run", async function () {
    await createAndWait();
    const { deploymentId, version } = await client.updateApp("my-networking", { ...seedApp(), instances: 3 });
    assert.equal(typeof version, "string");
    const put = fake.requests.find((r) => r.method === "PUT");
    assert.equal(put?.path, "/service/marathon/v2/apps/my-networking");
    assert.equal(put?.query, "?partialUpdate=false");
    await client.waitForDeployment(deploymentId, POLL);
    const app = await client.getApp("my-networking");
    assert.equal(app?.instances, 3);
    assert.equal(app?.tasksRunning, 3);
  });

  it("reports a locked app with the deployment id and the force hint; force overrides it", async function () {
    await createAndWait();
    const lock = fake.lockApp("my-networking");
    const err = await marathonError(client.updateApp("my-networking", { ...seedApp(), instances: 2 }));
    assert.equal(err.kind, "locked");
    assert.equal(err.status, 409);
    assert.deepEqual(err.deploymentIds, [lock]);
    assert.match(err.message, new RegExp(`locked by deployment ${lock}`));
    assert.match(err.message, /force: true/);
    assert.equal((await client.getApp("my-networking"))?.instances, 1, "a refused update must not change the app");

    const { deploymentId } = await client.updateApp("my-networking", { ...seedApp(), instances: 2 }, { force: true });
    assert.equal(fake.requests.filter((r) => r.method === "PUT").pop()?.query, "?partialUpdate=false&force=true");
    assert.ok(!fake.runningDeployments().includes(lock), "force should override the running deployment");
    await client.waitForDeployment(deploymentId, POLL);
    assert.equal((await client.getApp("my-networking"))?.tasksRunning, 2);
  });

  it("maps 422 details to JSON paths of the app definition", async function () {
    const bad = seedApp();
    bad.cpus = "two";
    (bad.container as any).docker.portMappings[0].name = "Foo_Bar";
    const err = await marathonError(client.createApp(bad));
    assert.equal(err.kind, "invalid");
    assert.equal(err.status, 422);
    const properties = err.failures.map((f) => f.property).sort();
    assert.deepEqual(properties, ["container.docker.portMappings[0].name", "cpus"]);
    assert.match(err.message, /- cpus: must be number/);
    assert.match(err.message, /- container\.docker\.portMappings\[0\]\.name: must match pattern/);
  });

  it("translates Marathon paths to JSON paths", function () {
    assert.equal(marathonPathToJsonPath("/container/portMappings(0)/name"), "container.portMappings[0].name");
    assert.equal(marathonPathToJsonPath("/id"), "id");
    assert.equal(marathonPathToJsonPath("/"), "");
    assert.equal(marathonPathToJsonPath(""), "");
    assert.equal(marathonPathToJsonPath("self"), "");
    assert.equal(marathonPathToJsonPath("/constraints(1)(0)"), "constraints[1][0]");
    assert.equal(marathonPathToJsonPath("/env/FOO.BAR"), 'env["FOO.BAR"]');
    assert.equal(marathonPathToJsonPath("/labels/a(b)(2)"), 'labels["a(b)"][2]', "only digit groups are indices");
    assert.equal(marathonPathToJsonPath("/x()"), '["x()"]', "an empty group is part of the name");
  });

  it("translates a long Marathon path in one pass (a 50,000-character segment of (0)( groups)", function () {
    const long = "/a" + "(0)(".repeat(12_500);
    assert.equal(marathonPathToJsonPath(long), `[${JSON.stringify("a" + "(0)(".repeat(12_500))}]`);
    const indices = "/a" + "(1)".repeat(10_000);
    assert.equal(marathonPathToJsonPath(indices), "a" + "[1]".repeat(10_000));
  });

  it("reports an existing app on create as a conflict naming the id", async function () {
    await createAndWait();
    const err = await marathonError(client.createApp(seedApp()));
    assert.equal(err.kind, "conflict");
    assert.match(err.message, /app with id \/my-networking already exists/);
  });

  // Marathon's PathId drops empty segments, so "/shop//web/" is the app /shop/web; our validation
  // accepts that id, so every call that names it must address /shop/web too.
  it("treats an id with empty segments (/shop//web/) as Marathon does, from create to delete", async function () {
    const app = { ...seedApp(), id: "/shop//web/" };
    await createAndWait(app);
    assert.deepEqual([...fake.apps.keys()], ["/shop/web"]);
    assert.equal((await client.getApp("/shop//web/"))?.id, "/shop/web");

    const { deploymentId } = await client.updateApp("/shop//web/", { ...app, instances: 2 });
    await client.waitForDeployment(deploymentId, POLL);
    assert.equal((await client.getApp("/shop/web"))?.instances, 2);
    const put = fake.requests.find((r) => r.method === "PUT");
    assert.equal(put?.path, "/service/marathon/v2/apps/shop/web");

    assert.ok(await client.deleteApp("shop//web"));
    assert.deepEqual([...fake.apps.keys()], []);
  });

  it("updates /shop//web/ through the deployer, which names the app by its normalised id", async function () {
    const connection = { url: fake.url, token: TOKEN, deploymentTimeoutSeconds: 5 };
    const app = { ...seedApp(), id: "/shop//web/" } as unknown as Parameters<typeof deployer.createApp>[1];
    await deployer.createApp(connection, app, () => {}, (state) => ({ ...state }));
    const updated = await deployer.updateApp(connection, { ...app, instances: 3 }, () => {});
    assert.equal(updated.observed.instances, 3);
    assert.equal(fake.apps.get("/shop/web")?.instances, 3);
    assert.equal((await deployer.readApp(connection, "/shop/web", () => {}))?.observed.instances, 3);
  });

  it("still refuses an update whose definition names another app", async function () {
    await createAndWait({ ...seedApp(), id: "/shop/web" });
    const err = await marathonError(client.updateApp("/shop/web", { ...seedApp(), id: "/shop/api" }));
    assert.equal(err.kind, "invalid");
    assert.deepEqual(err.failures.map((f) => f.property), ["id"]);
    assert.match(err.message, /the definition's id "\/shop\/api" differs from the app being updated \(\/shop\/web\)/);
    assert.equal(fake.requests.filter((r) => r.method === "PUT").length, 0);
  });

  it("deletes an app and waits for the stop; deleting a missing app is fine", async function () {
    await createAndWait();
    const deleted = await client.deleteApp("my-networking");
    assert.ok(deleted?.deploymentId);
    assert.equal(await client.getApp("my-networking"), undefined);
    await client.waitForDeployment(deleted.deploymentId, POLL);
    assert.deepEqual(fake.runningDeployments(), []);
    assert.equal(await client.deleteApp("my-networking"), undefined);
    assert.equal(fake.requests.at(-1)?.status, 404);
  });

  it("refuses to delete a locked app unless forced", async function () {
    await createAndWait();
    const lock = fake.lockApp("my-networking");
    const err = await marathonError(client.deleteApp("my-networking"));
    assert.equal(err.kind, "locked");
    assert.deepEqual(err.deploymentIds, [lock]);
    assert.ok(fake.apps.has("/my-networking"));
    assert.ok(await client.deleteApp("my-networking", { force: true }));
    assert.ok(!fake.apps.has("/my-networking"));
  });

  it("times out waiting for a deployment, naming it and the time waited", async function () {
    await createAndWait();
    const lock = fake.lockApp("my-networking");
    const started = Date.now();
    const err = await marathonError(client.waitForDeployment(lock, { timeoutMs: 300, pollMs: 50 }));
    const waited = Date.now() - started;
    assert.equal(err.kind, "timeout");
    assert.deepEqual(err.deploymentIds, [lock]);
    assert.match(err.message, new RegExp(`deployment ${lock} did not finish within 0\\.3s`));
    assert.ok(waited >= 300 && waited < 3000, `waited ${waited} ms`);
    assert.ok(logs.some((l) => l.startsWith(`waiting for deployment ${lock}: step 1/1 (RestartApplication /my-networking)`)));
  });

  it("says the token is missing on 401 and makes exactly one request", async function () {
    const anonymous = new MarathonClient({ url: fake.url });
    try {
      const err = await marathonError(anonymous.getApp("my-networking"));
      assert.equal(err.kind, "unauthorized");
      assert.equal(err.status, 401);
      assert.match(err.message, /token is missing/);
      assert.match(err.message, /uid\/password/);
      assert.equal(fake.requests.length, 1);
    } finally {
      anonymous.close();
    }
  });

  it("says a wrong token is expired or invalid, without printing it", async function () {
    const secret = "wrong-secret-token-value";
    const wrong = new MarathonClient({ url: fake.url, token: secret });
    try {
      const err = await marathonError(wrong.listDeployments());
      assert.equal(err.kind, "unauthorized");
      assert.match(err.message, /expired or invalid/);
      assert.ok(!err.message.includes(secret));
    } finally {
      wrong.close();
    }
  });

  it("refuses bad URLs up front", function () {
    assert.throws(() => new MarathonClient({ url: "marathon.local" }), /not a URL/);
    assert.throws(() => new MarathonClient({ url: "ftp://127.0.0.1/service/marathon" }), /http:\/\/ or https:\/\//);
  });
});

describe("MarathonClient login with uid/password", function () {
  this.timeout(20_000);
  let fake: FakeMarathon;
  beforeEach(async () => (fake = await startFakeMarathon({ uid: "bootstrapuser", password: "deleteme", deploymentMs: 50 })));
  afterEach(() => fake.close());

  it("logs in once, caches the token, and uses it on every call", async function () {
    const client = new MarathonClient({ url: fake.url, uid: "bootstrapuser", password: "deleteme" });
    try {
      const { deploymentId } = await client.createApp(seedApp());
      await client.waitForDeployment(deploymentId, POLL);
      assert.ok(await client.getApp("my-networking"));
      assert.equal(loginRequests(fake).length, 1);
      assert.deepEqual(loginRequests(fake)[0].body, { uid: "bootstrapuser", password: "deleteme" });
      const marathonCalls = fake.requests.filter((r) => r.path.startsWith("/service/marathon/"));
      assert.ok(marathonCalls.length >= 3);
      for (const r of marathonCalls) {
        assert.match(r.authorization ?? "", /^token=fake-jwt-/);
        assert.equal(r.status < 400, true, `${r.method} ${r.path} → ${r.status}`);
      }
    } finally {
      client.close();
    }
  });

  it("logs in again exactly once when the token expires (401)", async function () {
    const logs: string[] = [];
    const client = new MarathonClient({ url: fake.url, uid: "bootstrapuser", password: "deleteme", log: (m) => logs.push(m) });
    try {
      await client.listDeployments();
      const fresh = fake.rotateToken();
      assert.deepEqual(await client.listDeployments(), []);
      assert.equal(loginRequests(fake).length, 2);
      assert.equal(fake.requests.filter((r) => r.status === 401).length, 1);
      assert.equal(fake.requests.at(-1)?.authorization, `token=${fresh}`);
      assert.ok(logs.some((l) => /logging in again/.test(l)));
      assert.ok(!logs.join("\n").includes(fresh));
    } finally {
      client.close();
    }
  });

  it("reports a wrong password as unauthorized, naming the uid but not the password", async function () {
    const client = new MarathonClient({ url: fake.url, uid: "bootstrapuser", password: "not-the-password" });
    try {
      const err = await marathonError(client.getApp("my-networking"));
      assert.equal(err.kind, "unauthorized");
      assert.match(err.message, /login as uid "bootstrapuser" .* was refused \(401\)/);
      assert.ok(!err.message.includes("not-the-password"));
      assert.equal(loginRequests(fake).length, 1);
      assert.equal(fake.requests.length, 1, "no Marathon call without a token, no login loop");
    } finally {
      client.close();
    }
  });
});

describe("MarathonClient transport", function () {
  this.timeout(20_000);

  it("reports a closed port as unreachable", async function () {
    const port = await closedPort();
    const url = `http://127.0.0.1:${port}/service/marathon`;
    const client = new MarathonClient({ url, token: TOKEN });
    try {
      const err = await marathonError(client.getApp("my-networking"));
      assert.equal(err.kind, "unreachable");
      assert.match(err.message, new RegExp(`Marathon at ${url.replace(/\./g, "\\.")} is unreachable: ECONNREFUSED`));
      assert.ok(!err.message.includes(TOKEN));
    } finally {
      client.close();
    }
  });

  it("reports a server that never answers as unreachable after timeoutMs", async function () {
    const silent = net.createServer((socket) => socket.resume()); // reads the request, never answers
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    const port = (silent.address() as net.AddressInfo).port;
    const client = new MarathonClient({ url: `http://127.0.0.1:${port}/service/marathon`, timeoutMs: 200 });
    try {
      const started = Date.now();
      const err = await marathonError(client.listDeployments());
      assert.equal(err.kind, "unreachable");
      assert.match(err.message, /is unreachable: no answer within 200 ms/);
      assert.ok(Date.now() - started < 3000);
    } finally {
      client.close();
      await new Promise<void>((r) => silent.close(() => r()));
    }
  });

  describe("over HTTPS", function () {
    let fake: FakeMarathon;
    before(async () => (fake = await startFakeMarathon({ tls: { key: TEST_CA_KEY, cert: TEST_CA_CERT } })));
    after(() => fake.close());

    it("verifies the certificate by default and says how to trust the cluster's CA", async function () {
      const client = new MarathonClient({ url: fake.url });
      try {
        const err = await marathonError(client.listDeployments());
        assert.equal(err.kind, "unreachable");
        assert.match(err.message, /TLS certificate not trusted/);
        assert.match(err.message, /caBundle/);
      } finally {
        client.close();
      }
    });

    it("trusts a CA bundle given as PEM text", async function () {
      const client = new MarathonClient({ url: fake.url, caBundle: TEST_CA_CERT });
      try {
        assert.deepEqual(await client.listDeployments(), []);
      } finally {
        client.close();
      }
    });

    it("skips verification only when asked to", async function () {
      const client = new MarathonClient({ url: fake.url, insecureSkipVerify: true });
      try {
        assert.equal(await client.getApp("nothing-here"), undefined);
      } finally {
        client.close();
      }
    });
  });

  it("derives Marathon and cluster URLs for DC/OS", function () {
    assert.equal(dcosMarathonUrl("https://dcos.example.com/"), "https://dcos.example.com/service/marathon");
    assert.equal(clusterUrlOf("https://dcos.example.com/service/marathon/"), "https://dcos.example.com");
    assert.equal(clusterUrlOf("http://marathon.local:8080"), "http://marathon.local:8080");
  });
});

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}
