// The pure part of `dcos-vnet adopt`: Marathon's answers turned into definitions a user would
// write (and that this project accepts), the stack config from the overlay master's state, the
// report. No Pulumi, no network.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { cleanApp, cleanPod } from "../../src/core/adopt/cleanDefinition";
import { planAdoption } from "../../src/core/adopt/adoptPlan";
import { renderAdoptReport, secretCommand, secretConfigPath } from "../../src/core/adopt/report";
import { renderAdoptedProgram } from "../../src/core/adopt/codeProgram";
import { differingFields } from "../../src/core/adopt/compare";
import { validateApp } from "../../src/core/marathon/validateApp";
import { validatePod } from "../../src/core/marathon/validatePod";
import { parseStackConfig } from "../../src/config/stackConfig";
import { ROOT } from "../support/paths";

const OVERLAY_STATE = JSON.parse(fs.readFileSync(path.join(ROOT, "test/fixtures/cluster/overlay-master-state.json"), "utf8"));

/** An app as Marathon 1.10 answers GET /v2/apps?embed=apps.tasks: defaults filled, nulls, status fields. */
const answer110 = () => ({
  id: "/web",
  backoffFactor: 1.15,
  backoffSeconds: 1,
  cmd: "httpd -f -p 80",
  args: null,
  user: null,
  container: {
    type: "DOCKER",
    docker: { forcePullImage: false, image: "busybox", parameters: [], privileged: false },
    volumes: [],
    portMappings: [{ containerPort: 80, labels: {}, name: "http", protocol: "tcp", servicePort: 10101 }],
  },
  cpus: 0.1, disk: 0, executor: "", instances: 2, labels: {}, maxLaunchDelaySeconds: 300, mem: 64, gpus: 0,
  networks: [{ mode: "container", name: "dcos" }],
  portDefinitions: [],
  requirePorts: false,
  upgradeStrategy: { maximumOverCapacity: 1, minimumHealthCapacity: 1 },
  killSelection: "YOUNGEST_FIRST",
  unreachableStrategy: { inactiveAfterSeconds: 0, expungeAfterSeconds: 0 },
  acceptedResourceRoles: ["*"],
  constraints: [], dependencies: [], env: {}, fetch: [], healthChecks: [], readinessChecks: [], secrets: {}, uris: [],
  role: "slave_public",
  version: "2024-01-02T03:04:05.000Z",
  versionInfo: { lastScalingAt: "2024-01-02T03:04:05.000Z", lastConfigChangeAt: "2024-01-02T03:04:05.000Z" },
  tasksStaged: 0, tasksRunning: 2, tasksHealthy: 2, tasksUnhealthy: 0,
  deployments: [],
  tasks: [{ id: "web.1", host: "10.0.1.3" }],
  lastTaskFailure: { appId: "/web", message: "killed" },
  taskStats: { startedAfterLastScaling: { stats: { counts: { running: 2 } } } },
});

describe("adopt: Marathon's answers as definitions a user would write", function () {
  it("drops status fields, nulls and the defaults of Marathon 1.10, and keeps what was chosen (service ports included)", function () {
    const app = cleanApp(answer110(), "1.10.17");
    assert.deepEqual(app, {
      id: "/web",
      cmd: "httpd -f -p 80",
      container: { type: "DOCKER", docker: { image: "busybox" }, portMappings: [{ containerPort: 80, name: "http", protocol: "tcp", servicePort: 10101 }] },
      cpus: 0.1, instances: 2, mem: 64,
      networks: [{ mode: "container", name: "dcos" }],
      acceptedResourceRoles: ["*"],
      role: "slave_public",
    });
    assert.deepEqual(validateApp(app), []);
  });

  it("keeps `id` first, as users write it", function () {
    const { id, ...rest } = answer110();
    assert.equal(Object.keys(cleanApp({ ...rest, id }, "1.10.0"))[0], "id");
  });

  it("drops maxLaunchDelaySeconds only when it is the default of the cluster's own version (3600 up to 1.7, 300 from 1.8)", function () {
    assert.equal(cleanApp({ ...answer110(), maxLaunchDelaySeconds: 3600 }, "1.5.12").maxLaunchDelaySeconds, undefined);
    assert.equal(cleanApp({ ...answer110(), maxLaunchDelaySeconds: 300 }, "1.5.12").maxLaunchDelaySeconds, 300);
    assert.equal(cleanApp({ ...answer110(), maxLaunchDelaySeconds: 3600 }, "1.10.0").maxLaunchDelaySeconds, 3600);
    assert.equal(cleanApp({ ...answer110(), maxLaunchDelaySeconds: 300 }, undefined).maxLaunchDelaySeconds, 300, "version unknown: kept");
  });

  it("drops `portDefinitions: []` of a container-network app (refused there) but keeps it on a host app (no ports, unlike absent)", function () {
    const host = { ...answer110(), networks: [{ mode: "host" }], container: null, portDefinitions: [] };
    const cleaned = cleanApp(host, "1.10.0");
    assert.deepEqual(cleaned.portDefinitions, []);
    assert.equal(cleaned.container, undefined);
    assert.deepEqual(validateApp(cleaned), []);
    assert.equal(cleanApp(answer110(), "1.10.0").portDefinitions, undefined);
  });

  it("reads a pod from /v2/pods (definition + version) and from ::status (spec wrapper), without status", function () {
    const pod = {
      id: "/cart", version: "2024-01-01T00:00:00Z", labels: {},
      scaling: { kind: "fixed", instances: 1 },
      networks: [{ mode: "container", name: "dcos" }],
      containers: [{ name: "app", resources: { cpus: 0.1, mem: 32 }, image: { kind: "DOCKER", id: "busybox" } }],
    };
    const expected = { id: "/cart", scaling: pod.scaling, networks: pod.networks, containers: pod.containers };
    assert.deepEqual(cleanPod(pod), expected);
    assert.deepEqual(cleanPod({ id: "/cart", spec: pod, status: "STABLE", statusSince: "x", instances: [{ id: "i" }] }), expected);
    assert.deepEqual(validatePod(cleanPod(pod)), []);
  });
});

describe("adopt: the stack from the overlay master and Marathon", function () {
  const plan = () =>
    planAdoption(
      {
        overlayState: OVERLAY_STATE,
        marathonVersion: "1.10.17",
        apps: [
          answer110(),
          { ...answer110(), id: "/db", env: { PW: { secret: "pw" } }, secrets: { pw: { source: "/db/password" } } },
          { ...answer110(), id: "/cni", networks: [{ mode: "container", name: "calico" }] },
          { ...answer110(), id: "/newer", resourceLimits: { cpus: 2 } },
        ],
        pods: [],
      },
      { url: "https://dcos.example.com", uid: "deployer", outDir: "marathon" },
    );

  it("takes the agents, overlays and VTEP as the master knows them, and a config this project accepts", function () {
    const p = plan();
    assert.equal(p.config.cluster.agents.length, 12);
    assert.deepEqual(p.config.cluster.agents.slice(0, 2), ["10.0.1.3", "10.0.1.5"]);
    assert.deepEqual(p.config.networks.map((n) => n.name), ["dcos", "prod", "dcos6"]);
    assert.deepEqual(p.config.vtep, { subnet: "44.128.0.0/20", subnet6: "fd01:a::/64", macOui: "70:B3:D5:00:00:00", mtu: 1500 });
    assert.deepEqual(p.config.marathon, { url: "https://dcos.example.com", uid: "deployer" });
    const parsed = parseStackConfig({ ...p.config, adopting: true });
    assert.ok(parsed.ok, JSON.stringify(!parsed.ok && parsed.failures));
  });

  it("leaves out each app it cannot express, naming the app, the JSON path and why", function () {
    const p = plan();
    assert.deepEqual(p.config.apps, [{ file: "marathon/apps/db.json" }, { file: "marathon/apps/web.json" }]);
    assert.deepEqual(
      p.unsupported.map((u) => `${u.id} ${u.path}`),
      ["/cni networks[0].name", "/newer resourceLimits"],
    );
    assert.deepEqual(p.files.filter((f) => !f.adopted).map((f) => f.path), ["not-adopted/apps/cni.json", "not-adopted/apps/newer.json"]);
  });

  it("lists the secret sources of adopted apps, with the exact command for each", function () {
    const p = plan();
    assert.deepEqual(p.secretSources, ["/db/password"]);
    assert.equal(secretConfigPath("db-password"), "dcos-vnet:secrets.db-password");
    // No value on the command line: \`pulumi config set\` prompts for it (hidden), or reads stdin.
    assert.equal(secretCommand("/db/password", "prod"), `pulumi config set --secret --path 'dcos-vnet:secrets["/db/password"]' --stack prod`);
    const report = renderAdoptReport(p, { stack: "prod", url: "https://dcos.example.com", marathonVersion: "1.10.17", configFile: "Pulumi.prod.yaml", outDir: "marathon", imported: true });
    assert.match(report, /- app \/newer: `resourceLimits`: is not a field of a Marathon app definition/);
    assert.match(report, /secrets\["\/db\/password"\]/);
  });

  it("says a run that stopped left a partial import, to be finished with --force", function () {
    const report = renderAdoptReport(plan(), { stack: "prod", url: "https://x", configFile: "Pulumi.prod.yaml", outDir: "marathon", imported: false });
    assert.match(report, /partially imported.*re-run with --force/);
    assert.doesNotMatch(report, /not imported yet/);
  });

  it("adopts a cluster without an overlay master (404): no networks, agents or VTEP, and says so", function () {
    const p = planAdoption({ overlayState: undefined, apps: [], pods: [] }, { url: "https://x", outDir: "m" });
    assert.deepEqual([p.config.networks, p.config.cluster.agents, p.config.vtep], [[], [], undefined]);
    const report = renderAdoptReport(p, { stack: "s", url: "https://x", configFile: "c", outDir: "m", imported: true, overlayUrl: "https://x/mesos/overlay-master/state" });
    assert.match(report, /no networks, agents or VTEP: the cluster has no overlay master \(https:\/\/x\/mesos\/overlay-master\/state answered 404/);
    assert.match(report, /0 agent\(s\), 0 overlay\(s\)/);
  });

  it("reports what would not round-trip (the provider's comparison, given by the caller)", function () {
    const p = planAdoption(
      { overlayState: OVERLAY_STATE, apps: [answer110()], pods: [] },
      { url: "https://x", outDir: "m", roundTrip: () => ["instances (Marathon: 2, file: 3)"] },
    );
    assert.deepEqual(p.unsupported.map((u) => u.path), ["instances (Marathon: 2, file: 3)"]);
    assert.deepEqual(p.config.apps, []);
  });

  it("refuses a master state that is not overlay.proto's State, naming the field", function () {
    assert.throws(() => planAdoption({ overlayState: { agents: [{ ip: 5 }] }, apps: [], pods: [] }, { url: "https://x", outDir: "m" }), /agents\[0\]\.ip/);
  });

  it("--code: a DcosCluster program with the same cluster, reading secrets and adopting from the stack config", function () {
    const program = renderAdoptedProgram(plan(), { url: "https://dcos.example.com", marathonVersion: "1.10.17" });
    assert.match(program, /new DcosCluster\("cluster", \{/);
    assert.match(program, /"file": "marathon\/apps\/web.json"/);
    assert.match(program, /adopting: config.getBoolean\("adopting"\) \?\? false/);
    assert.match(program, /marathonToken: config.getSecret\("marathonToken"\)/);
  });
});

describe("adopt: comparing with Marathon's copy", function () {
  it("names differing fields with both values, an unset field and Marathon's null being the same", function () {
    assert.deepEqual(differingFields({ instances: 2, cmd: null }, { instances: 3 }), ["instances (Marathon: 2, file: 3)"]);
    assert.deepEqual(differingFields({ env: { A: "secret-ish" } }, { env: {} }), ["env"], "env values are not shown");
  });
});

describe("dcos-vnet:adopting", function () {
  const base = { cluster: { target: "marathon" }, networks: [{ name: "dcos", subnet: "9.0.0.0/8", prefix: 24 }], marathon: { url: "https://dcos.example.com" } };
  it("is true or false, and needs target marathon", function () {
    const bad = parseStackConfig({ ...base, adopting: "yes" });
    assert.ok(!bad.ok && bad.failures.some((f) => f.property === "dcos-vnet:adopting" && /true or false/.test(f.reason)));
    const local = parseStackConfig({ ...base, cluster: { target: "local" }, marathon: undefined, adopting: true });
    assert.ok(!local.ok && local.failures.some((f) => f.property === "dcos-vnet:adopting" && /target marathon/.test(f.reason)));
    const ok = parseStackConfig({ ...base, adopting: true });
    assert.ok(ok.ok && ok.value.adopting === true);
  });
});
