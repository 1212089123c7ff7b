// The fuzzer's long-input half (test/unit/fuzz.test.ts has the random-shape half): every validator
// of the pure core gets ~10,000-character adversarial strings (test/support/adversarialInput.ts) in
// every field of a good document, and must return its failures as data. No timing: a validator that
// backtracks on such a string never returns, and mocha's timeout reports it.
import { strict as assert } from "assert";
import fc from "fast-check";
import { Failure } from "../../src/core/common/failure";
import { parseStackConfig } from "../../src/config/stackConfig";
import { parseStackVtep } from "../../src/config/stackVtep";
import { validateOverlaySet } from "../../src/core/overlay/validateOverlaySet";
import { parseOverlayConfigYaml } from "../../src/core/overlay/configYaml";
import { masterAgentSubnets, parseOverlayMasterState } from "../../src/core/overlay/masterState";
import { checkVirtualNetwork } from "../../src/core/overlay/virtualNetwork";
import { parseAddress, parseCidr } from "../../src/core/ip/cidr";
import { validateApp } from "../../src/core/marathon/validateApp";
import { validatePod } from "../../src/core/marathon/validatePod";
import { checkMarathonPod } from "../../src/core/marathon/podInputs";
import { validateAppId } from "../../src/core/marathon/appId";
import { parseVip } from "../../src/core/marathon/vip";
import { parseImageRef } from "../../src/core/local/imageRef";
import { parseDockerConfig } from "../../src/core/local/dockerConfig";
import { validateDockerNetworkSpec } from "../../src/core/local/validateDockerNetworkSpec";
import { validateHostSubnet } from "../../src/core/local/agents";
import { likeMatcher } from "../../src/core/local/likeMatch";
import { placeInstances } from "../../src/core/local/placement";
import { checkMarathonApp } from "../../src/core/marathon/appInputs";
import { checkApp, NET } from "../support/badApps";
import { GOOD_SPEC } from "../support/badDockerNetworks";
import { longString, withOneLongField } from "../support/adversarialInput";
import { engineTransportFailures, plainDockerHostWarning } from "../../src/core/local/engineTransport";
import { marathonConnectionFailures } from "../../src/core/marathon/connection";
import { validateAgentNames } from "../../src/core/local/agents";
import { stackNameClashes } from "../../src/core/local/containerNames";
import { taskRules } from "../../src/core/local/agentNat";
import { ourListedRules } from "../../src/core/local/agentRoutes";

const isFailureList = (v: unknown): v is Failure[] =>
  Array.isArray(v) && v.every((f) => typeof f?.property === "string" && typeof f?.reason === "string" && f.reason.length > 0);
const shown = (v: unknown) => String(JSON.stringify(v, (_, x) => (typeof x === "bigint" ? String(x) : x))).slice(0, 300);
function assertFailures(v: unknown, what: string): void {
  if (!isFailureList(v)) assert.fail(`${what} returned ${shown(v)}`);
}
/** A Parsed<T>: a value, or a reason (or failures) why not. */
function assertParsed(v: any, what: string): void {
  if (!(v && (v.ok === true || (v.ok === false && (typeof v.reason === "string" || isFailureList(v.failures)))))) assert.fail(`${what} returned ${shown(v)}`);
}

const RUNS = { numRuns: 150 };

// Good documents: every field is exercised by replacing it (or its key) with a long string.
const GOOD_APP = {
  id: "/shop/web",
  cmd: "sleep 1000",
  instances: 2, cpus: 0.1, mem: 32,
  container: {
    type: "DOCKER",
    docker: { image: "127.0.0.1:5000/shop/web:1.2" },
    portMappings: [{ containerPort: 80, name: "http", protocol: "tcp", labels: { VIP_0: "/shop/web:80", VIP_1: "9.10.255.250:80" } }],
  },
  networks: [{ mode: "container", name: NET }],
  env: { MODE: "prod", DB_PASSWORD: { secret: "db" } },
  secrets: { db: { source: "db-pw" } },
  labels: { team: "shop" },
  constraints: [["hostname", "LIKE", "agent-[0-9]+"], ["hostname", "UNLIKE", "agent-9"], ["hostname", "MAX_PER", "2"]],
  healthChecks: [{ protocol: "MESOS_HTTP", path: "/health", portIndex: 0, gracePeriodSeconds: 10, intervalSeconds: 5, timeoutSeconds: 2, maxConsecutiveFailures: 3 }],
  upgradeStrategy: { minimumHealthCapacity: 0.5, maximumOverCapacity: 0.5 },
};
const HOST_APP = {
  id: "/ops/probe",
  cmd: "sleep 1000",
  networks: [{ mode: "host" }],
  portDefinitions: [{ port: 0, name: "admin", labels: { VIP_0: "/ops/probe:9000" } }],
  healthChecks: [{ protocol: "COMMAND", command: { value: "true" }, delaySeconds: 15 }],
};
const MESOS_APP = {
  id: "/pull/private",
  container: { type: "MESOS", docker: { image: "registry.example.com/team/app@sha256:" + "a".repeat(64), pullConfig: { secret: "pull" } } },
  cmd: "sleep 1",
  networks: [{ mode: "container", name: NET }],
  secrets: { pull: { source: "registry-auth" } },
};
/** MarathonApp's check as the stack program calls it for a host-mode app (agents and host network given). */
const HOST_NETWORK = { dockerNetwork: "s-host", subnet: "172.16.0.0/24", agents: { "agent-1": { ip: "172.16.0.2", container: "s.agent.agent-1" } } };
const checkHostApp = (app: unknown, target: string) =>
  checkMarathonApp({ app, networks: {}, owner: { project: "p", stack: "s" }, target, hostAgents: ["agent-1"], hostNetwork: HOST_NETWORK, hostPortsTaken: {} }, () => false);
const SECRETS = { "db-pw": "x", "registry-auth": JSON.stringify({ auths: { "registry.example.com": { auth: Buffer.from("u:p").toString("base64") } } }) };

const POD_NETWORKS = { [NET]: { dockerNetwork: NET, agentSubnets: { "agent-1": { block: "9.1.0.0/24", mesos: "9.1.0.0/25", docker: "9.1.0.128/25" } } } };
const GOOD_POD = {
  id: "/shop/cart",
  scaling: { kind: "fixed", instances: 1 },
  networks: [{ mode: "container", name: NET }],
  scheduling: { placement: { constraints: [{ fieldName: "hostname", operator: "LIKE", value: "agent-.*" }] } },
  containers: [
    {
      name: "main", resources: { cpus: 0.1, mem: 32 }, exec: { command: { shell: "sleep 1" } },
      endpoints: [{ name: "http", containerPort: 8080, protocol: ["tcp"], labels: { VIP_0: "/shop/cart:80" } }],
      healthCheck: { http: { endpoint: "http", path: "/" }, gracePeriodSeconds: 10, intervalSeconds: 10, timeoutSeconds: 5, maxConsecutiveFailures: 3, delaySeconds: 2 },
    },
    { name: "sidecar", resources: { cpus: 0.1, mem: 32 }, image: { kind: "DOCKER", id: "busybox:1.36" }, environment: { A: "b" } },
  ],
};

const GOOD_STACK = {
  cluster: { target: "local", agents: ["agent-1", "agent-2"], dockerProvider: "builtin", hostSubnet: "172.16.0.0/24" },
  networks: [{ name: "dcos-1", subnet: "9.0.0.0/16", prefix: 24, subnet6: "fd01:b::/64", prefix6: 80, agents: ["agent-1"], mtu: 1420, labels: { team: "x" } }],
  apps: [{ app: GOOD_APP }, { file: "apps/web.json" }],
  pods: [{ pod: GOOD_POD }],
  vtep: { subnet: "44.128.0.0/20", subnet6: "fd01:a::/64", macOui: "70:B3:D5:00:00:00", mtu: 1500 },
};
const MARATHON_STACK = {
  cluster: { target: "marathon" },
  networks: [{ name: "dcos", subnet: "9.0.0.0/8", prefix: 24 }],
  marathon: { url: "https://dcos.example.com", uid: "ops", caBundleFile: "ca.pem", insecureSkipVerify: false, allowInsecureHttp: false, force: false, deploymentTimeoutSeconds: 600 },
};
// Several hosts: engines by unix socket, tcp:// with TLS and tcp:// marked insecure; every cluster key there is.
const HOSTS_STACK = {
  cluster: {
    target: "local", agents: ["agent-1", "agent-2", "agent-3"], allowPrivileged: true, swarm: "form", swarmEncrypted: true,
    hosts: {
      "host-1": { docker: "unix:///run/h1.sock", advertiseAddr: "10.0.0.1", agents: ["agent-1"] },
      "host-2": { docker: "tcp://10.0.0.2:2376", tls: { ca: "ca.pem", cert: "cert.pem", key: "key.pem" }, agents: ["agent-2"] },
      "host-3": { docker: "tcp://10.0.0.3:2375", insecure: true, agents: ["agent-3"] },
    },
  },
  networks: [{ name: "dcos-1", subnet: "9.0.0.0/16", prefix: 24 }],
  apps: [{ app: GOOD_APP }],
};
const OVERLAY_YAML = (s: string) => `dcos_overlay_network:\n  vtep_subnet: 44.128.0.0/20\n  overlays:\n    - name: ${JSON.stringify(s)}\n      subnet: 9.0.0.0/8\n      prefix: 24\n`;

describe("fuzzing the validators with long adversarial strings", function () {
  it("the good documents pass, so each long field is what is refused", function () {
    for (const app of [GOOD_APP, MESOS_APP]) assert.deepEqual(checkApp(app, { secretEnv: SECRETS }).failures, [], app.id);
    assert.deepEqual(checkHostApp(HOST_APP, "local").failures, []);
    assert.deepEqual(checkMarathonPod({ pod: GOOD_POD, networks: POD_NETWORKS, owner: { project: "p", stack: "s" } }, () => false).failures, []);
    assert.ok(parseStackConfig(GOOD_STACK).ok, JSON.stringify(parseStackConfig(GOOD_STACK)));
    assert.ok(parseStackConfig(MARATHON_STACK).ok, JSON.stringify(parseStackConfig(MARATHON_STACK)));
    assert.ok(parseStackConfig(HOSTS_STACK).ok, JSON.stringify(parseStackConfig(HOSTS_STACK)));
    assert.deepEqual(validateDockerNetworkSpec(GOOD_SPEC as any), []);
  });

  for (const [what, template] of [["container app", GOOD_APP], ["host app", HOST_APP], ["MESOS app with pullConfig", MESOS_APP]] as const) {
    it(`app definitions (${what}): validateApp and MarathonApp's check, local and DC/OS targets`, function () {
      fc.assert(fc.property(withOneLongField(template), (app) => {
        assertFailures(validateApp(app), "validateApp");
        for (const target of ["local", "marathon"]) {
          const checked = template === HOST_APP ? checkHostApp(app, target) : checkApp(app, { secretEnv: SECRETS, target });
          assertFailures(checked.failures, `MarathonApp check ${target}`);
        }
      }), RUNS);
    });
  }

  it("pod definitions: validatePod and MarathonPod's check", function () {
    fc.assert(fc.property(withOneLongField(GOOD_POD), (pod) => {
      assertFailures(validatePod(pod), "validatePod");
      for (const target of ["local", "marathon"]) {
        assertFailures(checkMarathonPod({ pod, networks: POD_NETWORKS, owner: { project: "p", stack: "s" }, target }, () => false).failures, `checkMarathonPod ${target}`);
      }
    }), RUNS);
  });

  for (const [what, template] of [["local", GOOD_STACK], ["marathon", MARATHON_STACK], ["local on several hosts", HOSTS_STACK]] as const) {
    it(`stack config (${what} target): parseStackConfig`, function () {
      fc.assert(fc.property(withOneLongField(template), (config) => {
        assertParsed(parseStackConfig(config as any), "parseStackConfig");
      }), RUNS);
    });
  }

  it("virtual networks and overlays: validateOverlaySet, VirtualNetwork's check, DC/OS config.yaml, the VTEP", function () {
    const network = GOOD_STACK.networks[0];
    fc.assert(fc.property(withOneLongField(network), longString, (net, s) => {
      assertFailures(validateOverlaySet([net]), "validateOverlaySet");
      if (net && typeof net === "object" && !Array.isArray(net)) assertFailures(checkVirtualNetwork({}, net as Record<string, unknown>, () => false).failures, "checkVirtualNetwork");
      assertParsed(parseOverlayConfigYaml(OVERLAY_YAML(s)), "parseOverlayConfigYaml");
      assertParsed(parseOverlayConfigYaml(s), "parseOverlayConfigYaml (raw)");
    }), RUNS);
    fc.assert(fc.property(withOneLongField(GOOD_STACK.vtep), (vtep) => {
      assertFailures(parseStackVtep(vtep, "dcos-vnet:vtep").failures, "parseStackVtep");
    }), RUNS);
  });

  it("the overlay master's state, as adoption and refresh read it", function () {
    const agent = { ip: "10.0.1.1", overlays: [{ info: { name: "dcos", subnet: "9.0.0.0/8", prefix: 24 }, subnet: "9.0.1.0/24", mesos_bridge: { name: "m-dcos", ip: "9.0.1.0/25" }, docker_bridge: { name: "d-dcos", ip: "9.0.1.128/25" }, state: { status: "STATUS_OK" } }] };
    const state = { network: { vtep_subnet: "44.128.0.0/20", vtep_mac_oui: "70:B3:D5:00:00:00", overlays: [agent.overlays[0].info] }, agents: [agent] };
    assert.ok(parseOverlayMasterState(state).ok);
    fc.assert(fc.property(withOneLongField(state), longString, (doc, s) => {
      const parsed = parseOverlayMasterState(doc);
      assertParsed(parsed, "parseOverlayMasterState");
      if (parsed.ok) masterAgentSubnets(parsed.value, s);
    }), RUNS);
  });

  it("Docker network specs: LocalDockerNetwork's rules", function () {
    fc.assert(fc.property(withOneLongField(GOOD_SPEC), (spec) => {
      if (spec && typeof spec === "object" && !Array.isArray(spec)) assertFailures(validateDockerNetworkSpec(spec as Record<string, unknown>), "validateDockerNetworkSpec");
    }), RUNS);
  });

  it("single strings: image references, app ids, VIP labels, CIDRs and addresses, Docker configs, host subnets", function () {
    fc.assert(fc.property(longString, (s) => {
      assertParsed(parseImageRef(s), "parseImageRef");
      assertFailures(validateAppId(s), "validateAppId");
      const vip = parseVip(s, "VIP_0");
      assert.ok("port" in vip || isFailureList([vip]), "parseVip");
      assertParsed(parseCidr(s), "parseCidr");
      assertParsed(parseAddress(s), "parseAddress");
      assertParsed(parseDockerConfig(s, "secret pull"), "parseDockerConfig");
      const host = validateHostSubnet(s);
      assert.ok(host === undefined || typeof host === "string", "validateHostSubnet");
    }), { numRuns: 300 });
  });

  it("single strings where the hardening reads them: engines, Marathon connections, DOCKER_HOST, agent names, container-name clashes, iptables listings", function () {
    const engine = (s: string) => ({ host: "h", docker: s, tls: { ca: s, cert: s, key: s } });
    fc.assert(fc.property(longString, (s) => {
      assertFailures(engineTransportFailures({ [s]: { host: s, docker: s } }, "engines", () => false), "engineTransportFailures (map)");
      assertFailures(engineTransportFailures([engine(s), { host: s, docker: `tcp://${s}`, insecure: true }], "swarm.hosts", () => false), "engineTransportFailures (list)");
      assertFailures(marathonConnectionFailures({ url: s, token: s, uid: s, password: s, allowInsecureHttp: s, deploymentTimeoutSeconds: s }, () => false), "marathonConnectionFailures");
      assertFailures(marathonConnectionFailures({ url: `http://${s}`, token: "t", deploymentTimeoutSeconds: s.length }, () => false), "marathonConnectionFailures (http)");
      const warning = plainDockerHostWarning(s, s);
      assert.ok(warning === undefined || typeof warning === "string", "plainDockerHostWarning");
      assertFailures(validateAgentNames([s, `${s}-`, s.toUpperCase(), "agent-1"]), "validateAgentNames");
      assertFailures(stackNameClashes(s, { apps: [{ ...GOOD_APP, id: `/${s}` }, { ...GOOD_APP, id: `/${s}/x` }], pods: [{ ...GOOD_POD, id: `/${s}` }], agents: [s, "agent-1"] }), "stackNameClashes");
      for (const listing of [s, `-A PREROUTING ${s}`, `-A DOCKER-USER -m comment --comment "${s}" -j ACCEPT\n${s}`]) {
        assert.ok(Array.isArray(taskRules(listing, s)), "taskRules");
        assert.ok(Array.isArray(ourListedRules(listing, { project: "p", stack: "s" })), "ourListedRules");
      }
    }), { numRuns: 200 });
  });

  it("LIKE/UNLIKE constraints: long patterns, and patterns against long agent names, in placement", function () {
    fc.assert(fc.property(longString, longString, fc.constantFrom("(a|a)*b", "(a+)+$", "(.*)*:", "([-.]?a)*!", "agent-[0-9]+"), (pattern, agent, classic) => {
      const m = likeMatcher(pattern);
      if (m.ok) assert.equal(typeof m.matches(agent), "boolean");
      for (const [p, name] of [[pattern, "agent-1"], [classic, agent], [pattern, agent]]) {
        for (const op of ["LIKE", "UNLIKE"]) {
          const placed = placeInstances(["agent-1", name], [["hostname", op, p]], [], 1, 0);
          assert.ok(placed.ok || typeof placed.reason === "string", "placeInstances");
        }
      }
    }), { numRuns: 100 });
  });
});
