// One table of bad input across networks and apps: each fails `pulumi preview` (the real CLI) with
// the field named — a config key for networks (DC/OS's wording), the app's JSON path for apps
// (Marathon's wording) — exits non-zero, and leaves the engine untouched (networks and containers
// listed before and after).
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { createTestStack, TestStack } from "../support/pulumi";
import { engine, requireDocker } from "../support/docker";
import { BAD_NETWORKS } from "../support/badNetworks";

const suffix = Math.random().toString(36).slice(2, 6);
const net = `bad-${suffix}`;
const ok = { id: "/bad", cmd: "sleep 1", networks: [{ mode: "container", name: net }] };
const docker = (extra: Record<string, unknown> = {}) => ({ type: "DOCKER", docker: { image: "busybox", ...extra } });

/** [what, app definition, JSON path under app., Marathon's wording (or ours where Marathon has none)] */
const BAD_APPS: Array<[string, Record<string, unknown>, string, string]> = [
  ["negative cpus", { ...ok, cpus: -1 }, "cpus", "must be greater than 0"],
  ["cpus as text", { ...ok, cpus: "two" }, "cpus", "number"],
  ["negative mem", { ...ok, mem: -5 }, "mem", "0"],
  ["fractional instances", { ...ok, instances: 1.5 }, "instances", "integer"],
  ["backoffFactor below 1", { ...ok, backoffFactor: 0.5 }, "backoffFactor", "1"],
  ["no cmd, args or container", { id: "/bad", networks: [{ mode: "container", name: net }] }, "", "AppDefinition must either contain one of 'cmd' or 'args', and/or a 'container'."],
  ["uppercase id", { ...ok, id: "/Bad" }, "id", "must fully match"],
  ["reserved id ending", { ...ok, id: "/bad/tasks" }, "id", "must not end with any of the following reserved keywords: restart, tasks, versions"],
  ["root id", { ...ok, id: "/" }, "id", "must not be root"],
  ["legacy and canonical networks mixed", { ...ok, ipAddress: { networkName: net } }, "ipAddress", "cannot mix deprecated and canonical network APIs"],
  ["docker.network and networks", { ...ok, container: docker({ network: "USER" }) }, "container.docker.network", "must not specify both container.docker.network and networks"],
  ["host network with a name", { ...ok, networks: [{ mode: "host", name: "x" }] }, "networks[0].name", "Host networks may not have names or labels"],
  ["bridge network with a name", { ...ok, networks: [{ mode: "container/bridge", name: "x" }] }, "networks[0].name", "Bridge networks may not have names"],
  ["duplicate networks", { ...ok, networks: [{ mode: "container", name: net }, { mode: "container", name: net }] }, "networks[1].name", "Duplicate networks are not allowed"],
  ["host mixed with container", { ...ok, networks: [{ mode: "container", name: net }, { mode: "host" }] }, "networks", "May specify a single host network, single bridge network, or else 1-to-n container networks"],
  ["docker app on two container networks", { ...ok, container: docker(), networks: [{ mode: "container", name: net }, { mode: "container", name: "other" }] }, "networks", "may only specify a single container network when using the Docker container engine"],
  ["unnamed container network joins DC/OS's default, absent here", { ...ok, networks: [{ mode: "container" }] }, "networks[0].name", "network dcos is not a virtual network of this stack"],
  ["portMappings with host networking", { ...ok, networks: [{ mode: "host" }], container: { ...docker(), portMappings: [{ containerPort: 80 }] } }, "container.portMappings", "portMappings are not allowed with host-networking"],
  ["portDefinitions without host networking", { ...ok, portDefinitions: [{ port: 80 }] }, "portDefinitions", "portDefinitions are only allowed with host-networking"],
  ["portMappings and docker.portMappings", { ...ok, container: { ...docker({ portMappings: [{ containerPort: 1 }] }), portMappings: [{ containerPort: 2 }] } }, "container.docker.portMappings", "cannot specify both portMappings and docker.portMappings"],
  ["duplicate port names", { ...ok, container: { ...docker(), portMappings: [{ containerPort: 80, name: "web" }, { containerPort: 81, name: "web" }] } }, "container.portMappings[1].name", "Port names must be unique."],
  ["port out of range", { ...ok, container: { ...docker(), portMappings: [{ containerPort: 70000 }] } }, "container.portMappings[0].containerPort", "65535"],
  ["bad port name", { ...ok, container: { ...docker(), portMappings: [{ containerPort: 80, name: "Web_1" }] } }, "container.portMappings[0].name", "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"],
  ["bad protocol", { ...ok, container: { ...docker(), portMappings: [{ containerPort: 80, protocol: "sctp" }] } }, "container.portMappings[0].protocol", "tcp"],
  ["UNIQUE with a value", { ...ok, constraints: [["hostname", "UNIQUE", "x"]] }, "constraints[0]", "UNIQUE does not accept a value"],
  ["MAX_PER without an integer", { ...ok, constraints: [["hostname", "MAX_PER", "many"]] }, "constraints[0]", "MAX_PER requires an integer value"],
  ["unknown constraint operator", { ...ok, constraints: [["hostname", "NEAR"]] }, "constraints[0]", "NEAR"],
  ["LIKE with a broken regex", { ...ok, constraints: [["hostname", "LIKE", "(("]] }, "constraints[0]", "regular expression"],
  ["minimumHealthCapacity above 1", { ...ok, upgradeStrategy: { minimumHealthCapacity: 1.5 } }, "upgradeStrategy.minimumHealthCapacity", "1"],
  ["docker container without image", { ...ok, container: { type: "DOCKER", docker: {} } }, "container.docker.image", "image"],
  ["env value not a string", { ...ok, env: { A: 1 } }, "env.A", "string"],
  ["unknown field", { ...ok, instancez: 2 }, "instancez", "is not a field of"],
  ["unknown virtual network", { ...ok, networks: [{ mode: "container", name: "nowhere" }] }, "networks[0].name", "network nowhere is not a virtual network of this stack"],
  ["constraints no agent can meet", { ...ok, instances: 3, constraints: [["hostname", "UNIQUE"]] }, "constraints", "allow at most 2 instances"],
];

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

async function snapshot(): Promise<string[]> {
  const nets = await engine.listNetworks();
  const containers = await engine.listContainers({ all: true });
  return [...nets.map((n) => n.Id), ...containers.map((c) => c.Id)].sort();
}

describe("bad input fails pulumi preview, naming the field, with nothing touched", function () {
  let t: TestStack;
  const base = { cluster: { agents: ["agent-1", "agent-2"] }, networks: [{ name: net, subnet: "9.251.0.0/16", prefix: 24 }] };

  before(async function () {
    await requireDocker();
    t = await createTestStack("badapps", { ...base, apps: [] });
  });

  after(async function () {
    if (t) await t.dispose();
  });

  it(`covers at least 60 bad inputs (has ${BAD_NETWORKS.length} networks + ${BAD_APPS.length} apps + 1 file)`, function () {
    assert.ok(BAD_NETWORKS.length + BAD_APPS.length + 1 >= 60);
  });

  for (const [what, networks, property, wording] of BAD_NETWORKS) {
    it(`network config: ${what}`, async function () {
      t.setConfig(networks === undefined ? { cluster: base.cluster } : { cluster: base.cluster, networks });
      const before = await snapshot();
      await assert.rejects(t.stack.preview(), (err: Error & { commandResult?: { code: number } }) => {
        assert.notEqual(err.commandResult?.code ?? 1, 0, "non-zero exit");
        assert.ok(err.message.includes(`${property}: `) && err.message.includes(wording), err.message.slice(-1500));
        return true;
      });
      assert.deepEqual(await snapshot(), before, "the engine is untouched");
    });
  }

  for (const [what, app, property, wording] of BAD_APPS) {
    it(`app: ${what}`, async function () {
      t.setConfig({ ...base, apps: [{ app }] });
      const before = await snapshot();
      const where = property ? `property app\\.${escape(property)} ` : "";
      await assert.rejects(t.stack.preview(), (err: Error & { commandResult?: { code: number } }) => {
        assert.notEqual(err.commandResult?.code ?? 1, 0, "non-zero exit");
        assert.match(err.message, new RegExp(`${where}.*has a problem: .*${escape(wording)}`), err.message.slice(-1500));
        return true;
      });
      assert.deepEqual(await snapshot(), before, "the engine is untouched");
    });
  }

  it("an app file that is not JSON fails preview naming the file and the parser's reason", async function () {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dcos-vnet-app-"));
    const file = path.join(dir, "broken.json");
    fs.writeFileSync(file, '{"id": "/x", "cmd": ');
    t.setConfig({ ...base, apps: [{ file }] });
    await assert.rejects(t.stack.preview(), new RegExp(`${escape(file)}: the app definition is not valid JSON`));
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
