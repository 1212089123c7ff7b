// Transports that would carry credentials in clear are refused at preview unless the stack opts
// into them, and an opt-in (or TLS verification turned off) is warned about on every run, through
// the real Pulumi CLI:
// - a tcp:// Docker engine without tls: a private dockerd (its own network namespace) reached over
//   plain HTTP through a TCP forward on this machine's loopback, its swarm formed by the stack;
// - Marathon: http:// with a token, and https:// with insecureSkipVerify (the strict fake Marathon
//   serving a certificate no CA here signed).
import { strict as assert } from "assert";
import * as fs from "fs";
import * as net from "net";
import { AddressInfo } from "net";
import { createTestStack, TestStack } from "../support/pulumi";
import { HostCluster, startHostCluster } from "../support/hostCluster";
import { FakeMarathon, startFakeMarathon } from "../support/fakeMarathon";
import { makeTlsFiles, TlsFiles } from "../support/tlsCerts";

const suffix = Math.random().toString(36).slice(2, 6);

/** A plain TCP listener on 127.0.0.1 passing every connection on to a unix socket: an engine reached over plain HTTP. */
async function tcpForward(socketPath: string): Promise<{ port: number; close(): Promise<void> }> {
  const open = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const engine = net.connect(socketPath);
    for (const s of [client, engine]) {
      open.add(s);
      s.on("close", () => open.delete(s));
      s.on("error", () => { client.destroy(); engine.destroy(); });
    }
    client.pipe(engine).pipe(client);
  });
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(0, "127.0.0.1", () => resolve()));
  return {
    port: (server.address() as AddressInfo).port,
    async close() {
      for (const s of open) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe("plain-HTTP transports: refused at preview unless opted into, and warned about on every run", function () {
  describe("a tcp:// Docker engine without tls", function () {
    let cluster: HostCluster;
    let forward: Awaited<ReturnType<typeof tcpForward>>;
    let t: TestStack;
    const NET = `pl-${suffix}`;
    const config = (insecure?: boolean) => ({
      cluster: {
        agents: ["agent-1"],
        swarm: "form",
        hosts: { "host-1": { docker: `tcp://127.0.0.1:${forward.port}`, advertiseAddr: cluster.hosts[0].address, agents: ["agent-1"], ...(insecure !== undefined ? { insecure } : {}) } },
      },
      networks: [{ name: NET, subnet: "9.233.0.0/16", prefix: 24 }],
      apps: [{ app: { id: "/plain", cmd: "exec sleep 3600", instances: 1, cpus: 0.05, mem: 16, container: { type: "DOCKER", docker: { image: "busybox" } }, networks: [{ mode: "container", name: NET }] } }],
    });
    const WARNING = /Docker engine tcp:\/\/127\.0\.0\.1:\d+ \(host host-1\) is reached over plain HTTP \(insecure: true\)/;

    before(async function () {
      cluster = await startHostCluster("plain", 1);
      forward = await tcpForward(cluster.hosts[0].engine.host.slice("unix://".length));
      t = await createTestStack("plain", config());
    });

    after(async function () {
      this.timeout(300_000);
      try {
        if (t) await t.dispose();
      } finally {
        await forward?.close();
        await cluster?.dispose();
      }
    });

    it("is refused at preview, naming the key and the rule, with nothing created", async function () {
      await assert.rejects(t.stack.preview(), (err: Error) => {
        assert.match(err.message, /dcos-vnet:cluster\.hosts\.host-1\.docker: a tcp:\/\/ Docker engine needs tls \(its CA, client certificate and key\)/);
        assert.match(err.message, /set insecure: true on the host/);
        return true;
      });
      assert.deepEqual(await cluster.hosts[0].engine.client.listContainers({ all: true }), []);
    });

    it("with insecure: true, preview and up each warn naming the host, and the app runs over plain HTTP", async function () {
      t.setConfig(config(true));
      const preview = await t.stack.preview();
      assert.match(preview.stdout, WARNING);
      const up = await t.stack.up();
      assert.match(up.stdout, WARNING);
      const running = await cluster.hosts[0].engine.client.listContainers({ filters: { label: [`io.dcos-vnet.stack=${t.name}`] } });
      assert.equal(running.length, 1, "the instance runs on the engine reached over tcp://");
    });
  });

  describe("Marathon", function () {
    const TOKEN = `jwt-${suffix}`;
    let plain: FakeMarathon;
    let secure: FakeMarathon;
    let tls: TlsFiles;
    let t: TestStack;
    const app = { id: "/transport", cmd: "sleep 3600", instances: 1, cpus: 0.1, mem: 32, container: { type: "DOCKER", docker: { image: "busybox" } }, networks: [{ mode: "container", name: "dcos-1" }] };
    const config = async (marathon: Record<string, unknown>) => ({
      cluster: { target: "marathon", agents: ["agent-1"] },
      networks: [{ name: "dcos-1", subnet: "9.0.0.0/8", prefix: 24 }],
      marathon: { deploymentTimeoutSeconds: 20, ...marathon },
      marathonToken: await t.secret(TOKEN),
      apps: [{ app }],
    });

    before(async function () {
      tls = makeTlsFiles("127.0.0.1");
      plain = await startFakeMarathon({ token: TOKEN, deploymentMs: 100 });
      secure = await startFakeMarathon({ token: TOKEN, deploymentMs: 100, tls: { key: fs.readFileSync(tls.serverKey, "utf8"), cert: fs.readFileSync(tls.serverCert, "utf8") } });
      t = await createTestStack("mtransport", { cluster: { target: "marathon" }, networks: [{ name: "dcos-1", subnet: "9.0.0.0/8", prefix: 24 }], marathon: { url: plain.clusterUrl } });
    });

    after(async function () {
      try {
        if (t) await t.dispose();
      } finally {
        await plain?.close();
        await secure?.close();
        tls?.remove();
      }
    });

    it("refuses http:// with a token at preview, naming dcos-vnet:marathon.url, unless allowInsecureHttp: true", async function () {
      t.setConfig(await config({ url: plain.clusterUrl }));
      await assert.rejects(t.stack.preview(), /dcos-vnet:marathon\.url: an http:\/\/ URL would send the DC\/OS token or password in clear; .*dcos-vnet:marathon\.allowInsecureHttp: true/);
      t.setConfig(await config({ url: plain.clusterUrl, allowInsecureHttp: true }));
      const preview = await t.stack.preview();
      assert.equal(preview.changeSummary.create, 4, JSON.stringify(preview.changeSummary)); // stack, component, network, app
      assert.equal(plain.requests.length, 0, "a preview sends Marathon nothing");
    });

    it("with insecureSkipVerify: true against https://, preview and up each warn naming the URL, and the app is deployed", async function () {
      t.setConfig(await config({ url: secure.clusterUrl, insecureSkipVerify: true }));
      const warning = new RegExp(`Marathon at ${secure.url.replace(/[.]/g, "\\.")} is reached with TLS certificate verification off \\(insecureSkipVerify: true\\)`);
      const preview = await t.stack.preview();
      assert.match(preview.stdout, warning);
      const up = await t.stack.up();
      assert.match(up.stdout, warning);
      assert.equal(secure.apps.get("/transport")?.instances, 1);
    });
  });
});
