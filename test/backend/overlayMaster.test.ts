// Reading the overlay master's state through Admin Router (src/backends/marathon/overlayMaster.ts)
// against the fake Marathon serving the fixture, and against small servers of the test's own for
// what the fake does not answer (403, TLS). Everything talks to 127.0.0.1 only.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as http from "http";
import * as https from "https";
import * as path from "path";
import { AddressInfo } from "net";
import { readOverlayMasterState } from "../../src/backends/marathon/overlayMaster";
import { MarathonError } from "../../src/backends/marathon/errors";
import { FakeMarathon, startFakeMarathon } from "../support/fakeMarathon";
import { makeTlsFiles, TlsFiles } from "../support/tlsCerts";
import { ROOT } from "../support/paths";

const TOKEN = "overlay-jwt-for-tests";
const STATE = JSON.parse(fs.readFileSync(path.join(ROOT, "test/fixtures/cluster/overlay-master-state.json"), "utf8"));

function rejectsWith(kind: string, pattern: RegExp, secret?: string) {
  return (err: unknown) => {
    assert.ok(err instanceof MarathonError, String(err));
    assert.equal(err.kind, kind);
    assert.match(err.message, pattern);
    if (secret) assert.ok(!err.message.includes(secret), "no credential in the message");
    return true;
  };
}

async function serve(handler: http.RequestListener, tls?: TlsFiles): Promise<{ url: string; close(): Promise<void> }> {
  const server = tls
    ? https.createServer({ key: fs.readFileSync(tls.serverKey), cert: fs.readFileSync(tls.serverCert) }, handler)
    : http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls ? "https" : "http"}://127.0.0.1:${port}/service/marathon`,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

describe("the overlay master's state through Admin Router", function () {
  let fake: FakeMarathon;
  before(async () => (fake = await startFakeMarathon({ token: TOKEN, overlayState: STATE })));
  after(async () => fake && (await fake.close()));

  it("GETs <cluster>/mesos/overlay-master/state with the DC/OS token and parses the State", async function () {
    const answer = await readOverlayMasterState({ url: fake.url, token: TOKEN });
    assert.ok(answer.served);
    assert.equal(answer.state.agents.length, 12);
    assert.deepEqual(answer.state.network?.overlays.map((o) => o.name), ["dcos", "prod", "dcos6"]);
    const last = fake.requests.at(-1)!;
    assert.equal(last.path, "/mesos/overlay-master/state");
    assert.equal(last.authorization, `token=${TOKEN}`);
  });

  it("logs in with uid/password when there is no token", async function () {
    const withLogin = await startFakeMarathon({ uid: "ops", password: "pw-secret", overlayState: STATE });
    try {
      const answer = await readOverlayMasterState({ url: withLogin.url, uid: "ops", password: "pw-secret" });
      assert.ok(answer.served);
      assert.deepEqual(withLogin.requests.map((r) => `${r.method} ${r.path}`), ["POST /acs/api/v1/auth/login", "GET /mesos/overlay-master/state"]);
    } finally {
      await withLogin.close();
    }
  });

  it("a wrong token is a 401 that says how to set credentials, without echoing the token", async function () {
    await assert.rejects(readOverlayMasterState({ url: fake.url, token: "not-the-token" }), rejectsWith("unauthorized", /401.*token.*expired or invalid/s, "not-the-token"));
  });

  it("a 403 names the DC/OS permission Admin Router checks", async function () {
    const s = await serve((_req, res) => { res.writeHead(403, { "content-type": "application/json" }); res.end(JSON.stringify({ message: "Forbidden" })); });
    try {
      await assert.rejects(readOverlayMasterState({ url: s.url, token: TOKEN }), rejectsWith("forbidden", /dcos:adminrouter:ops:mesos/, TOKEN));
    } finally {
      await s.close();
    }
  });

  it("an unreachable cluster is named", async function () {
    await assert.rejects(readOverlayMasterState({ url: "http://127.0.0.1:9/service/marathon", token: TOKEN }), rejectsWith("unreachable", /127\.0\.0\.1:9\/mesos\/overlay-master\/state is unreachable/));
  });

  it("an answer that is not a State names the fields that are wrong", async function () {
    fake.setOverlayState({ agents: [{ ip: "10.0.1.3", overlays: [{ info: { name: "dcos" }, subnet: 7 }] }] });
    try {
      await assert.rejects(readOverlayMasterState({ url: fake.url, token: TOKEN }), rejectsWith("server", /not the overlay master's State.*agents\[0\]\.overlays\[0\]\.subnet/s));
    } finally {
      fake.setOverlayState(STATE);
    }
  });

  it("404 (no overlay master: overlay networking off, or a Marathon outside DC/OS) is an answer, not an error", async function () {
    fake.setOverlayState(undefined);
    try {
      assert.deepEqual(await readOverlayMasterState({ url: fake.url, token: TOKEN }), { served: false, url: `${fake.clusterUrl}/mesos/overlay-master/state` });
    } finally {
      fake.setOverlayState(STATE);
    }
  });

  it("trusts the cluster's CA bundle, and says how when the certificate is not trusted", async function () {
    const tls = makeTlsFiles("127.0.0.1");
    const s = await serve((_req, res) => { res.writeHead(200, { "content-type": "application/json" }); res.end(JSON.stringify(STATE)); }, tls);
    try {
      await assert.rejects(readOverlayMasterState({ url: s.url, token: TOKEN }), rejectsWith("unreachable", /caBundle/));
      const answer = await readOverlayMasterState({ url: s.url, token: TOKEN, caBundle: fs.readFileSync(tls.ca, "utf8") });
      assert.ok(answer.served);
      assert.ok((await readOverlayMasterState({ url: s.url, token: TOKEN, insecureSkipVerify: true })).served);
    } finally {
      await s.close();
      tls.remove();
    }
  });
});
