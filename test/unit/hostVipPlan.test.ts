// The VIP plan of host- and bridge-mode apps (pure): one proxy per VIP address on the host network,
// its HAProxy config with the instances' agent-ip:hostPort as backends (and so a new digest when
// they move, none when tasks are only replaced on their slots), and the rules MarathonApp's check
// applies at preview (TCP, one port per VIP port, an IP VIP in the host network's task half).
import { strict as assert } from "assert";
import { checkMarathonApp } from "../../src/core/marathon/appInputs";
import { normalizeApp } from "../../src/core/marathon/normalize";
import { configDigest, hostVipConfig, hostVipFailures, planHostVipProxies } from "../../src/core/local/hostVipPlan";

const hostApp = (labels: Record<string, string>, extra: Record<string, unknown> = {}) => ({
  id: "/hm/web", cmd: "httpd -f -p $PORT0", instances: 2,
  networks: [{ mode: "host" }],
  portDefinitions: [{ port: 0, name: "admin" }, { port: 0, name: "http", labels, ...extra }],
});
const bridgeApp = (labels: Record<string, string>, extra: Record<string, unknown> = {}) => ({
  id: "/hm/br", cmd: "httpd -f -p 80", instances: 2,
  container: { type: "DOCKER", docker: { image: "busybox" }, portMappings: [{ containerPort: 0, hostPort: 0, labels, ...extra }] },
  networks: [{ mode: "container/bridge" }],
});
const AGENTS = { "agent-1": { ip: "172.16.0.2", container: "s.agent.agent-1" }, "agent-2": { ip: "172.16.0.3", container: "s.agent.agent-2" } };
const check = (app: unknown, more: Record<string, unknown> = {}) =>
  checkMarathonApp({
    app, networks: {}, owner: { project: "p", stack: "s" }, target: "local",
    hostAgents: ["agent-1", "agent-2"], hostNetwork: { dockerNetwork: "s-host", subnet: "172.16.0.0/24", agents: AGENTS }, hostPortsTaken: {},
    ...more,
  }, () => false);

describe("VIP plan of host- and bridge-mode apps (local cluster)", function () {
  it("reads a host-mode app's VIP from its port definition: one proxy answering to the l4lb name, routed to that port's index", function () {
    const plans = planHostVipProxies(normalizeApp(hostApp({ VIP_0: "/hm/web:80" }) as any), "s");
    assert.deepEqual(plans, [{
      address: "hmweb.marathon.l4lb.thisdcos.directory", hostname: "hmweb.marathon.l4lb.thisdcos.directory",
      container: "s.hm.web.vip-hmweb", routes: [{ vipPort: 80, portIndex: 1 }],
    }]);
  });

  it("reads a bridge-mode app's named and IP VIPs from its port mapping, one proxy each", function () {
    const plans = planHostVipProxies(normalizeApp(bridgeApp({ VIP_0: "/hm/br:8080", VIP_1: "172.16.0.250:8080" }) as any), "s");
    assert.deepEqual(plans.map((p) => [p.address, p.ip, p.container, p.routes]), [
      ["172.16.0.250", "172.16.0.250", "s.hm.br.vip-172-16-0-250", [{ vipPort: 8080, portIndex: 0 }]],
      ["hmbr.marathon.l4lb.thisdcos.directory", undefined, "s.hm.br.vip-hmbr", [{ vipPort: 8080, portIndex: 0 }]],
    ]);
  });

  it("plans no proxy for a container-network app (vipPlan serves those) nor for an app without VIP labels", function () {
    const overlay = { id: "/a", cmd: "x", container: { type: "DOCKER", docker: { image: "busybox" }, portMappings: [{ containerPort: 80, labels: { VIP_0: "/a:80" } }] }, networks: [{ mode: "container", name: "n" }] };
    assert.deepEqual(planHostVipProxies(normalizeApp(overlay as any), "s"), []);
    assert.deepEqual(planHostVipProxies(normalizeApp(hostApp({}) as any), "s"), []);
  });

  it("forwards each VIP port to every instance's agent-ip and the host port of the labelled port, each checked every second", function () {
    const [p] = planHostVipProxies(normalizeApp(hostApp({ VIP_0: "/hm/web:80" }) as any), "s");
    const config = hostVipConfig(p.routes, [{ ip: "172.16.0.3", ports: [1025, 1026] }, { ip: "172.16.0.2", ports: [1025, 1026] }]);
    assert.match(config, /frontend vip-80\n  bind :80\n  default_backend app-80\nbackend app-80\n  balance roundrobin\n  server task-0 172\.16\.0\.2:1026\n  server task-1 172\.16\.0\.3:1026\n$/);
    assert.match(config, /default-server check inter 1s fall 1 rise 1\n/);
    assert.match(config, /option redispatch 1\n/);
  });

  it("changes the digest (a new proxy) when an instance moves, never when tasks are replaced on the same agents and ports", function () {
    const routes = [{ vipPort: 80, portIndex: 0 }];
    const a = configDigest(hostVipConfig(routes, [{ ip: "172.16.0.2", ports: [7000] }, { ip: "172.16.0.3", ports: [7000] }]));
    const sameSlots = configDigest(hostVipConfig(routes, [{ ip: "172.16.0.3", ports: [7000] }, { ip: "172.16.0.2", ports: [7000] }]));
    const moved = configDigest(hostVipConfig(routes, [{ ip: "172.16.0.2", ports: [7000] }, { ip: "172.16.0.2", ports: [7001] }]));
    const scaled = configDigest(hostVipConfig(routes, [{ ip: "172.16.0.2", ports: [7000] }]));
    assert.equal(a, sameSlots);
    assert.notEqual(a, moved);
    assert.notEqual(a, scaled);
  });

  it("passes the check of a host-mode and a bridge-mode app with VIPs (a bridge mapping's containerPort may be 0: the task listens on its host port)", function () {
    assert.deepEqual(check(hostApp({ VIP_0: "/hm/web:80" })).failures, []);
    assert.deepEqual(check(bridgeApp({ VIP_0: "/hm/br:80", VIP_1: "172.16.0.250:80" })).failures, []);
  });

  describe("refused at preview, by the label's JSON path", function () {
    const rule = /on the local cluster a host or bridge app's IP VIP is an address of the host network's task half 172\.16\.0\.128\/25 \(cluster\.hostSubnet 172\.16\.0\.0\/24\), which the VIP's proxy takes/;
    const cases: [string, string, RegExp][] = [
      ["an IP VIP outside the host subnet", "10.1.2.3:80", /; 10\.1\.2\.3 is outside 172\.16\.0\.0\/24$/],
      ["an IP VIP in the agents' half", "172.16.0.20:80", /; 172\.16\.0\.20 is in the agents' half$/],
      ["an IP VIP on the subnet's broadcast address", "172.16.0.255:80", /; 172\.16\.0\.255 is the half's first, second or last address$/],
    ];
    for (const [what, vip, why] of cases) {
      it(what, function () {
        const { failures } = check(bridgeApp({ VIP_0: vip }));
        assert.deepEqual(failures.map((f) => f.property), ["app.container.portMappings[0].labels.VIP_0"]);
        assert.match(failures[0].reason, rule);
        assert.match(failures[0].reason, why);
      });
    }

    it("places the IP VIP with cluster.hostSubnet at a first preview, when the host network is not known yet", function () {
      const { failures } = check(bridgeApp({ VIP_0: "10.1.2.3:80" }), { hostNetwork: undefined, hostSubnet: "172.16.0.0/24" });
      assert.deepEqual(failures.map((f) => f.property), ["app.container.portMappings[0].labels.VIP_0"]);
      assert.equal((check(bridgeApp({}), { hostSubnet: "172.16.0.0/24" }).inputs as any).hostSubnet, undefined, "not kept in the state");
    });

    it("a VIP on a host-mode UDP port", function () {
      const { failures } = check(hostApp({ VIP_0: "/hm/web:80" }, { protocol: "udp" }));
      assert.deepEqual(failures.map((f) => [f.property, f.reason]), [
        ["app.portDefinitions[1].labels.VIP_0", "VIP \"hmweb.marathon.l4lb.thisdcos.directory:80\" is on a udp port; the local cluster's VIPs carry TCP"],
      ]);
    });

    it("one VIP port on two ports of the app", function () {
      const app = hostApp({ VIP_0: "/hm/web:80" });
      (app.portDefinitions[0] as any).labels = { VIP_3: "/hm/web:80" };
      const failures = hostVipFailures(normalizeApp(app as any));
      assert.deepEqual(failures.map((f) => f.property), ["portDefinitions[1].labels.VIP_0"]);
      assert.match(failures[0].reason, /is declared on ports 0 and 1; one VIP port goes to one port of the app/);
    });

    it("a host-mode VIP label that does not parse", function () {
      const { failures } = check(hostApp({ VIP_0: "/hm/web" }));
      assert.deepEqual(failures.map((f) => f.property), ["app.portDefinitions[1].labels.VIP_0"]);
      assert.match(failures[0].reason, /must be NAME:PORT or IP:PORT/);
    });
  });
});
