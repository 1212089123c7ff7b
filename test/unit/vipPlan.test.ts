// The local cluster's VIP plan (pure): one proxy per VIP address, its HAProxy config, and the
// rules MarathonApp's check applies at preview (containerPort, TCP, one container port per VIP
// port, an IP VIP inside the app's overlay and outside every agent's block).
import { strict as assert } from "assert";
import { checkMarathonApp, resolveApp } from "../../src/core/marathon/appInputs";
import { normalizeApp } from "../../src/core/marathon/normalize";
import { haproxyConfig, planVipProxies, vipPortFailures } from "../../src/core/local/vipPlan";

const NET = "dcos-1";
const networks = {
  [NET]: {
    dockerNetwork: NET,
    subnet: "9.10.0.0/16",
    agentSubnets: {
      "agent-1": { block: "9.10.0.0/24", mesos: "9.10.0.0/25", docker: "9.10.0.128/25" },
      "agent-2": { block: "9.10.1.0/24", mesos: "9.10.1.0/25", docker: "9.10.1.128/25" },
    },
  },
};

const web = (labels: Record<string, string>, mapping: Record<string, unknown> = {}) => ({
  id: "/shop/web",
  cmd: "httpd -f -p 8080",
  instances: 3,
  container: { type: "DOCKER", docker: { image: "busybox" }, portMappings: [{ containerPort: 8080, name: "http", labels, ...mapping }] },
  networks: [{ mode: "container", name: NET }],
});

const check = (app: unknown) =>
  checkMarathonApp({ app, networks, secretEnv: {}, owner: { project: "dcos-vnet", stack: "dev" }, target: "local" }, () => false);

describe("VIP plan (local cluster)", function () {
  it("gives /shop/web:80 on containerPort 8080 a proxy answering to the l4lb name, forwarding to the app's instances", function () {
    const [p, ...rest] = planVipProxies(normalizeApp(web({ VIP_0: "/shop/web:80" }) as any), "dev");
    assert.equal(rest.length, 0);
    assert.equal(p.hostname, "shopweb.marathon.l4lb.thisdcos.directory");
    assert.equal(p.container, "dev.shop.web.vip-shopweb");
    assert.deepEqual(p.routes, [{ vipPort: 80, containerPort: 8080 }]);
    assert.equal(p.backendName, "web.shop.marathon.mesos");
    assert.match(p.config, /bind :80\n/);
    assert.match(p.config, /server-template task \d+ web\.shop\.marathon\.mesos:8080\n/);
    assert.match(p.config, /option redispatch 1/);
  });

  it("serves a named and an IP VIP of one port mapping with one proxy each; the IP VIP's proxy is named after the IP", function () {
    const plans = planVipProxies(normalizeApp(web({ VIP_0: "/shop/web:80", VIP_1: "9.10.255.250:80" }) as any), "dev");
    assert.deepEqual(plans.map((p) => [p.address, p.ip, p.container]), [
      ["9.10.255.250", "9.10.255.250", "dev.shop.web.vip-9-10-255-250"],
      ["shopweb.marathon.l4lb.thisdcos.directory", undefined, "dev.shop.web.vip-shopweb"],
    ]);
  });

  it("changes the config (and so replaces the proxy) when a VIP port changes, never when the instance count does", function () {
    const a = planVipProxies(normalizeApp(web({ VIP_0: "/shop/web:80" }) as any), "dev")[0];
    const b = planVipProxies(normalizeApp({ ...web({ VIP_0: "/shop/web:80" }), instances: 9 } as any), "dev")[0];
    const c = planVipProxies(normalizeApp(web({ VIP_0: "/shop/web:81" }) as any), "dev")[0];
    assert.equal(a.configDigest, b.configDigest);
    assert.notEqual(a.configDigest, c.configDigest);
    assert.equal(haproxyConfig(a.routes, a.backendName), a.config);
  });

  it("no longer gives the instances the VIP name: it is the proxy's", function () {
    const { inputs, failures } = check(web({ VIP_0: "/shop/web:80" }));
    assert.deepEqual(failures, []);
    assert.ok(!resolveApp(inputs).aliases.some((a) => a.includes("l4lb")), resolveApp(inputs).aliases.join(", "));
  });

  it("keeps the subnet out of the state: check drops it", function () {
    const { inputs } = check(web({ VIP_0: "/shop/web:80" }));
    assert.equal((inputs.networks[NET] as any).subnet, undefined);
  });

  describe("refused at preview, by the label's JSON path", function () {
    const property = "app.container.portMappings[0].labels.VIP_0";
    const cases: [string, Record<string, string>, RegExp][] = [
      ["an IP VIP outside the app's overlay", { VIP_0: "10.1.2.3:80" }, /10\.1\.2\.3 is outside 9\.10\.0\.0\/16/],
      ["an IP VIP inside an agent's block", { VIP_0: "9.10.1.200:80" }, /9\.10\.1\.200 lies in agent-2's block 9\.10\.1\.0\/24/],
      ["an IP VIP on the network's gateway", { VIP_0: "9.10.0.1:80" }, /gateway/],
    ];
    for (const [what, labels, reason] of cases) {
      it(what, function () {
        const { failures } = check(web(labels));
        assert.equal(failures.length, 1, JSON.stringify(failures));
        assert.equal(failures[0].property, property);
        assert.match(failures[0].reason, /on the local cluster an IP VIP is an address of the app's virtual network dcos-1 \(9\.10\.0\.0\/16\) outside every agent's block/);
        assert.match(failures[0].reason, reason);
      });
    }

    it("a VIP on a port mapping without containerPort", function () {
      const app = normalizeApp(web({ VIP_0: "/shop/web:80" }, { containerPort: 0 }) as any);
      assert.deepEqual(vipPortFailures(app), [{ property: "container.portMappings[0].labels.VIP_0", reason: "VIP \"shopweb.marathon.l4lb.thisdcos.directory:80\" needs the port mapping's containerPort: the local cluster forwards the VIP port to it" }]);
    });

    it("a VIP on a UDP port", function () {
      const { failures } = check(web({ VIP_0: "/shop/web:80" }, { protocol: "udp" }));
      assert.deepEqual(failures.map((f) => [f.property, f.reason]), [[property, "VIP \"shopweb.marathon.l4lb.thisdcos.directory:80\" is on a udp port; the local cluster's VIPs carry TCP"]]);
    });

    it("one VIP port sent to two container ports", function () {
      const app = web({ VIP_0: "/shop/web:80" });
      app.container.portMappings.push({ containerPort: 9090, name: "admin", labels: { VIP_0: "/shop/web:80" } } as any);
      const { failures } = check(app);
      assert.deepEqual(failures.map((f) => f.property), ["app.container.portMappings[1].labels.VIP_0"]);
      assert.match(failures[0].reason, /forwards to containerPort 8080 and 9090; one VIP port goes to one container port/);
    });
  });
});
