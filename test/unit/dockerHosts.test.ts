// `dcos-vnet:cluster.hosts` and `.swarm`: refused at preview with the field named, accepted with
// the defaults filled in; a stack without hosts parses exactly as before (no new field appears).
import { strict as assert } from "assert";
import { parseStackConfig } from "../../src/config/stackConfig";
import { dockerOptions } from "../../src/backends/docker/client";
import { checkMarathonApp, resolveApp } from "../../src/core/marathon/appInputs";
import { localTarget } from "../../src/resources/providers/marathonAppLocal";
import { provider as dockerNetworkProvider } from "../../src/resources/providers/localDockerNetwork";
import { engineTransportFailures, insecureEngineWarning, insecureEngines } from "../../src/core/local/engineTransport";

const networks = [{ name: "dcos-1", subnet: "9.10.0.0/16", prefix: 24 }];
const agents = ["agent-1", "agent-2"];

function failures(cluster: Record<string, unknown>): string[] {
  const parsed = parseStackConfig({ cluster: { agents, ...cluster }, networks });
  assert.equal(parsed.ok, false, `accepted ${JSON.stringify(cluster)}`);
  return parsed.ok ? [] : parsed.failures.map((f) => `${f.property}: ${f.reason}`);
}

describe("cluster of several Docker hosts: config (cluster.hosts, cluster.swarm)", function () {
  it("leaves a stack without hosts exactly as before", function () {
    const parsed = parseStackConfig({ cluster: { agents }, networks });
    assert.ok(parsed.ok);
    assert.ok(!("hosts" in parsed.value.cluster) && !("swarm" in parsed.value.cluster), "no hosts, no swarm");
  });

  it("accepts hosts with agents and fills in swarm: form", function () {
    const hosts = { "host-1": { docker: "unix:///run/h1.sock", advertiseAddr: "10.0.0.1", agents: ["agent-1"] }, "host-2": { docker: "tcp://10.0.0.2:2376", agents: ["agent-2"], tls: { ca: "ca.pem", cert: "cert.pem", key: "key.pem" } } };
    const parsed = parseStackConfig({ cluster: { agents, hosts }, networks });
    assert.ok(parsed.ok, JSON.stringify(parsed));
    assert.equal(parsed.value.cluster.swarm, "form");
  });

  it("names each wrong field", function () {
    assert.deepEqual(failures({ hosts: { "host-1": { docker: "http://x", agents: ["agent-1", "agent-9"] } } }), [
      'dcos-vnet:cluster.hosts.host-1.docker: docker must be unix:///path/to/docker.sock or tcp://address:port, got "http://x"',
      "dcos-vnet:cluster.hosts.host-1.advertiseAddr: swarm: form needs each host's advertiseAddr (the address the other hosts reach it at) unless docker is tcp://<IPv4>",
      "dcos-vnet:cluster.hosts.host-1.agents: agent agent-9 is not among the cluster's agents (agent-1, agent-2)",
    ]);
    assert.deepEqual(failures({ hosts: { "host-1": { docker: "unix:///a.sock", advertiseAddr: "10.0.0.1", agents: ["agent-1"] } } }), [
      "dcos-vnet:cluster.hosts: agents agent-2 are on no host: list each agent under one host's agents",
    ]);
    assert.deepEqual(failures({ swarm: "join", hosts: { "host-1": { docker: "unix:///a.sock", agents: agents } } }), [
      'dcos-vnet:cluster.swarm: swarm must be form (this project inits and joins the swarm) or existing, got "join"',
    ]);
    assert.deepEqual(failures({ hosts: { "host-1": { docker: "unix:///a.sock", agents } } }), [
      "dcos-vnet:cluster.hosts.host-1.advertiseAddr: swarm: form needs each host's advertiseAddr (the address the other hosts reach it at) unless docker is tcp://<IPv4>",
    ]);
    assert.deepEqual(failures({ hosts: { "host-1": { docker: "unix:///a.sock", advertiseAddr: "10.0.0.1", agents: ["agent-1"] }, "host-2": { docker: "unix:///b.sock", advertiseAddr: "10.0.0.2", agents: ["agent-1", "agent-2"] } } }), [
      "dcos-vnet:cluster.hosts.host-2.agents: agent agent-1 is already on host host-1: an agent runs on one host",
    ]);
  });

  it("refuses a tcp:// engine without tls at preview, unless its host says insecure: true", function () {
    const rule = "a tcp:// Docker engine needs tls (its CA, client certificate and key): the Engine API is root on that host, and registry credentials and secret env values would cross the network in clear; to accept that, set insecure: true on the host";
    const host = (extra: Record<string, unknown>) => ({ hosts: { "host-1": { docker: "tcp://10.0.0.1:2375", agents, ...extra } } });
    assert.deepEqual(failures(host({})), [`dcos-vnet:cluster.hosts.host-1.docker: ${rule}`]);
    assert.deepEqual(failures(host({ insecure: "yes" })), [
      'dcos-vnet:cluster.hosts.host-1.insecure: insecure must be true or false, got "yes"',
      `dcos-vnet:cluster.hosts.host-1.docker: ${rule}`,
    ]);
    const parsed = parseStackConfig({ cluster: { agents, ...host({ insecure: true }) }, networks });
    assert.ok(parsed.ok, JSON.stringify(parsed));
    const tls = { ca: "ca.pem", cert: "cert.pem", key: "key.pem" };
    assert.deepEqual(failures(host({ tls, insecure: true })), [
      "dcos-vnet:cluster.hosts.host-1.insecure: insecure: true is for a tcp:// engine without tls (this one has tls)",
    ]);
    assert.deepEqual(failures({ hosts: { "host-1": { docker: "unix:///a.sock", advertiseAddr: "10.0.0.1", agents, insecure: true } } }), [
      "dcos-vnet:cluster.hosts.host-1.insecure: insecure: true is for a tcp:// engine without tls (this one is unix://)",
    ]);
  });

  it("warns on every run, naming the host, for each host reached over plain HTTP by choice", function () {
    const engines = { "agent-1": { host: "host-1", docker: "unix:///a.sock" }, "agent-2": { host: "host-2", docker: "tcp://10.0.0.2:2375", insecure: true }, "agent-3": { host: "host-2", docker: "tcp://10.0.0.2:2375", insecure: true } };
    assert.deepEqual(insecureEngines(Object.values(engines)), [{ host: "host-2", docker: "tcp://10.0.0.2:2375" }], "once per host");
    assert.equal(
      insecureEngineWarning({ host: "host-2", docker: "tcp://10.0.0.2:2375" }),
      "Docker engine tcp://10.0.0.2:2375 (host host-2) is reached over plain HTTP (insecure: true): the Engine API is root on that host, and registry credentials and secret env values cross the network in clear. Start its dockerd with --tlsverify and give the host tls (ca, cert, key) instead.",
    );
    assert.deepEqual(insecureEngines([{ host: "h", docker: "tcp://10.0.0.2:2376", tls: { ca: "", cert: "", key: "" } }]), []);
  });

  it("refuses plain tcp:// engines handed to the resources directly, naming the input", function () {
    const plain = { host: "host-2", docker: "tcp://10.0.0.2:2375" };
    const unknown = Symbol("unknown");
    const isUnknown = (v: unknown) => v === unknown;
    const [failure] = engineTransportFailures({ "agent-2": plain }, "engines", isUnknown);
    assert.equal(failure.property, "engines.agent-2.docker");
    assert.match(failure.reason, /^a tcp:\/\/ Docker engine needs tls/);
    assert.deepEqual(engineTransportFailures([{ host: "host-1", docker: "unix:///a.sock" }, plain], "swarm.hosts", isUnknown).map((f) => f.property), ["swarm.hosts[1].docker"]);
    assert.deepEqual(engineTransportFailures({ "agent-2": { ...plain, insecure: true } }, "engines", isUnknown), []);
    assert.deepEqual(engineTransportFailures(unknown, "engines", isUnknown), [], "not known at preview: checked at up");
  });

  it("dockerOptions refuses a tcp:// engine without tls unless the EngineRef says insecure (the resources used directly)", function () {
    assert.throws(() => dockerOptions({ host: "h", docker: "tcp://10.0.0.2:2375" }), /tcp:\/\/10\.0\.0\.2:2375 of host h: a tcp:\/\/ Docker engine needs tls/);
    assert.deepEqual(dockerOptions({ host: "h", docker: "tcp://10.0.0.2:2375", insecure: true }), { host: "10.0.0.2", port: 2375, protocol: "http" });
  });

  it("takes TCP:// for tcp:// and tls without all of ca, cert and key for no tls (neither slips through to plain HTTP)", function () {
    const needsTls = /a tcp:\/\/ Docker engine needs tls/;
    assert.throws(() => dockerOptions({ host: "h", docker: "TCP://10.0.0.2:2375" }), needsTls, "URL schemes ignore case");
    for (const tls of [null, {}, { ca: "ca" }, { ca: "ca", cert: "c", key: 1 }]) {
      const engine = { host: "h", docker: "tcp://10.0.0.2:2375", tls } as unknown as Parameters<typeof dockerOptions>[0];
      assert.throws(() => dockerOptions(engine), needsTls, JSON.stringify(tls));
      assert.deepEqual(engineTransportFailures({ "agent-1": engine }, "engines", () => false).map((f) => f.property), ["engines.agent-1.docker"], JSON.stringify(tls));
    }
    assert.deepEqual(engineTransportFailures([{ host: "h", docker: "TCP://10.0.0.2:2375" }], "swarm.hosts", () => false).map((f) => f.property), ["swarm.hosts[0].docker"]);
    assert.deepEqual(insecureEngines([{ host: "h", docker: "TCP://10.0.0.2:2375", tls: null, insecure: true }]), [{ host: "h", docker: "TCP://10.0.0.2:2375" }], "warned about");
  });

  it("a state whose engines are to be reached otherwise (insecure: true added) is an update that rewrites it, never a replace", async function () {
    // Refresh and destroy reach the engines as the state says: a host marked insecure only in the
    // config would stay unreachable for them until an update writes it into the state.
    const plain = { host: "host-2", docker: "tcp://10.0.0.2:2375" };
    const allowed = { ...plain, insecure: true };
    const networks = { "dcos-1": { dockerNetwork: "dcos-1", agentSubnets: { "agent-1": { mesos: "9.10.0.0/25", docker: "9.10.0.128/25" } } } };
    const inputs = (engines?: object) =>
      checkMarathonApp({ app: { id: "/web", cmd: "sleep 1", networks: [{ mode: "container", name: "dcos-1" }] }, networks, owner: { project: "p", stack: "s" }, ...(engines ? { engines } : {}) }, () => false).inputs;
    const state = (engines?: object) => ({ ...resolveApp(inputs(engines)), instances: [], nextIndex: 0, appId: "/web" });
    const same = { changes: false, replaces: [], deleteBeforeReplace: false };
    assert.deepEqual(await localTarget.diff("/web", state({ "agent-1": plain }), inputs({ "agent-1": allowed })), { changes: true, replaces: [], deleteBeforeReplace: false });
    assert.deepEqual(await localTarget.diff("/web", state({ "agent-1": allowed }), inputs({ "agent-1": allowed })), same);
    assert.deepEqual(await localTarget.diff("/web", state(), inputs()), same);

    const network = (swarm: object) => ({ name: "dcos-1", subnet: "9.10.0.0/16", gateway: "9.10.0.1", ipMasquerade: false, labels: {}, owner: { project: "p", stack: "s" }, swarm });
    const swarm = (host: object) => ({ mode: "form", hosts: [{ ...host, advertiseAddr: "10.0.0.2" }] });
    assert.deepEqual(await dockerNetworkProvider.diff!("dcos-1", { ...network(swarm(plain)), networkId: "n1" }, network(swarm(allowed))), { changes: true, replaces: [], deleteBeforeReplace: false });
    assert.deepEqual(await dockerNetworkProvider.diff!("dcos-1", { ...network(swarm(allowed)), networkId: "n1" }, network(swarm(allowed))), same);
  });

  it("gives dockerode https with the client certificates for a tcp:// engine with tls", function () {
    const tls = { ca: "CA", cert: "CERT", key: "KEY" };
    assert.deepEqual(dockerOptions({ host: "h", docker: "tcp://10.0.0.2:2376", tls }), { host: "10.0.0.2", port: 2376, protocol: "https", ...tls });
    assert.deepEqual(dockerOptions({ host: "h", docker: "unix:///run/h.sock" }), { socketPath: "/run/h.sock" });
  });

  it("refuses at preview, naming each field, what several hosts do not run: host/bridge networking, VIPs, health checks, pods", function () {
    const engines = { "agent-1": { host: "host-1", docker: "unix:///a.sock" } };
    const check = (app: Record<string, unknown>, several: Record<string, unknown> = { engines }) =>
      checkMarathonApp({ app, networks: { "dcos-1": { dockerNetwork: "dcos-1", agentSubnets: { "agent-1": { mesos: "9.10.0.0/25", docker: "9.10.0.128/25" } } } }, owner: { project: "p", stack: "s" }, ...several }, (v) => v === UNKNOWN)
        .failures.map((f) => `${f.property}: ${f.reason}`);
    const UNKNOWN = Symbol("unknown");
    const onOverlay = { id: "/web", cmd: "sleep 1", networks: [{ mode: "container", name: "dcos-1" }] };
    assert.deepEqual(check(onOverlay), [], "an IP-per-container app runs on several hosts");
    const only = "a cluster of several Docker hosts runs only apps on virtual networks (IP-per-container) so far";
    assert.deepEqual(check({ id: "/hm", cmd: "sleep 1", networks: [{ mode: "host" }] }), [
      `app.networks: host-mode networking needs agents with addresses of their own, which ${only}`,
    ]);
    const withVipAndCheck = {
      ...onOverlay,
      container: { type: "MESOS", portMappings: [{ containerPort: 8080, labels: { VIP_0: "/web:80" } }] },
      healthChecks: [{ protocol: "MESOS_TCP", portIndex: 0 }],
    };
    const refused = [
      `app.container.portMappings[0].labels.VIP_0: VIP web.marathon.l4lb.thisdcos.directory:80 needs a VIP proxy, which ${only}`,
      `app.healthChecks: health checks are run by the local cluster beside one engine; ${only}`,
    ];
    assert.deepEqual(check(withVipAndCheck), refused);
    assert.deepEqual(check(withVipAndCheck, { engines: UNKNOWN }), refused, "engines not yet known at preview still means several hosts");
    assert.deepEqual(check(withVipAndCheck, {}), [], "one local engine runs them");
    const hosts = { "host-1": { docker: "unix:///a.sock", advertiseAddr: "10.0.0.1", agents } };
    const parsed = parseStackConfig({ cluster: { agents, hosts }, networks, pods: [{ file: "pod.json" }] });
    assert.equal(parsed.ok, false);
    assert.deepEqual(parsed.ok ? [] : parsed.failures.map((f) => `${f.property}: ${f.reason}`), [
      `dcos-vnet:pods: pods need a holder container beside one engine, which ${only}`,
    ]);
  });
});
