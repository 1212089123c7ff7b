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
import * as path from "path";
import { Stack } from "@pulumi/pulumi/automation";
import { createTestStack, opsRecorder, TestStack } from "../support/pulumi";
import {
  BEFORE_TRANSPORT_HARDENING, buildRevision, installPackageFrom, linkDependencies, stackIn, tempDir, writeStackConfig,
} from "../support/project";
import { ROOT } from "../support/paths";
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
    const config = (insecure?: boolean, net = NET, subnet = "9.233.0.0/16") => ({
      cluster: {
        agents: ["agent-1"],
        swarm: "form",
        hosts: { "host-1": { docker: `tcp://127.0.0.1:${forward.port}`, advertiseAddr: cluster.hosts[0].address, agents: ["agent-1"], ...(insecure !== undefined ? { insecure } : {}) } },
      },
      networks: [{ name: net, subnet, prefix: 24 }],
      apps: [{ app: { id: "/plain", cmd: "exec sleep 3600", instances: 1, cpus: 0.05, mem: 16, container: { type: "DOCKER", docker: { image: "busybox" } }, networks: [{ mode: "container", name: net }] } }],
    });
    /** Our containers of `stack` on the host's engine, name → id. */
    const containers = async (stack: string) =>
      Object.fromEntries((await cluster.hosts[0].engine.client.listContainers({ all: true, filters: { label: [`io.dcos-vnet.stack=${stack}`] } })).map((c) => [c.Names[0].slice(1), c.Id]));
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

    describe(`a stack brought up over plain tcp:// by the package as it was (${BEFORE_TRANSPORT_HARDENING})`, function () {
      const name = `plainold${suffix}`;
      const net = `po-${suffix}`;
      let project: string, previous: string, backend: string;
      let stack: Stack | undefined;
      let initial: Record<string, string>;
      /** The stack's config file, keeping the encryption salt Pulumi wrote into it. */
      const write = (insecure?: boolean) => {
        const file = path.join(project, `Pulumi.${name}.yaml`);
        const salt = fs.existsSync(file) ? fs.readFileSync(file, "utf8").split("\n").find((l) => l.startsWith("encryptionsalt:")) : undefined;
        writeStackConfig(project, name, config(insecure, net, "9.234.0.0/16"));
        if (salt) fs.appendFileSync(file, `${salt}\n`);
      };

      before(async function () {
        project = tempDir("plain-upgrade");
        previous = tempDir("plain-previous");
        backend = tempDir("plain-upgrade-state");
        // The stack-config program, as this repository's stacks run it, from the installed package.
        fs.writeFileSync(path.join(project, "Pulumi.yaml"), "name: plain-upgrade\nruntime: nodejs\nmain: index.js\n");
        fs.writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "plain-upgrade", private: true, main: "index.js" }));
        fs.writeFileSync(path.join(project, "index.js"), 'module.exports = require("pulumi-dcos-vnet/stack");\n');
        linkDependencies(project);
        buildRevision(BEFORE_TRANSPORT_HARDENING, previous);
        installPackageFrom(project, previous);
        write();
        stack = await stackIn(project, name, backend);
      });

      after(async function () {
        try {
          if (stack) await stack.destroy();
        } finally {
          for (const d of [project, previous, backend]) if (d) fs.rmSync(d, { recursive: true, force: true });
        }
      });

      it("comes up as it did then (a plain tcp:// engine was accepted silently)", async function () {
        await stack!.up();
        initial = await containers(name);
        assert.equal(Object.keys(initial).length, 1, JSON.stringify(initial));
      });

      it("this version refuses its preview until the host says insecure: true; then up updates the state, replacing nothing and keeping the container", async function () {
        installPackageFrom(project, ROOT);
        await assert.rejects(stack!.preview(), /dcos-vnet:cluster\.hosts\.host-1\.docker: a tcp:\/\/ Docker engine needs tls/);
        write(true);
        const { ops, onEvent } = opsRecorder();
        const up = await stack!.up({ onEvent });
        assert.deepEqual(Object.entries(ops).filter(([, op]) => /replace|delete/.test(op)), [], JSON.stringify(ops));
        assert.equal(ops[`MarathonApp::plain`], "update", "the state learns that the engine is reached over plain HTTP by choice");
        assert.match(up.stdout, WARNING);
        assert.deepEqual(await containers(name), initial, "same container, same id");
      });

      it("refresh and destroy then reach the engine from the state, and leave nothing", async function () {
        await stack!.refresh();
        await stack!.destroy();
        stack = undefined;
        assert.deepEqual(await containers(name), {});
      });
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
      assert.equal(preview.changeSummary.create, 5, JSON.stringify(preview.changeSummary)); // stack, component, reinstall guard, network, app
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
