// MarathonApp lifecycle on the local cluster: scaling keeps survivors' addresses, apps created in
// parallel never share an address, a container killed by hand is seen by refresh and restored by
// up, an image/cmd change rolls the instances, and secret env values stay out of the state.
import { strict as assert } from "assert";
import { createTestStack, opsRecorder, resourcesOfType, TestStack } from "../support/pulumi";
import { engine, ownedObjects, requireDocker, run } from "../support/docker";
import { dockerExec } from "../support/net";
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { ROOT } from "../support/paths";

const suffix = Math.random().toString(36).slice(2, 6);
const net = `life-${suffix}`;
const SECRET = `s3cr3t-${suffix}-value`;

function app(id: string, instances: number, extra: Record<string, unknown> = {}) {
  return {
    app: {
      id, cmd: "exec sleep 3600", instances, cpus: 0.05, mem: 16,
      container: { type: "DOCKER", docker: { image: "busybox" } },
      networks: [{ mode: "container", name: net }],
      ...extra,
    },
  };
}

/** A MarathonApp's outputs as the state holds them (refresh updates these, not the stack outputs). */
async function appState(t: TestStack, name: string): Promise<any> {
  const apps = await resourcesOfType(t.stack, "MarathonApp");
  const found = apps.find((r) => String(r.urn).endsWith(`::${name}`));
  assert.ok(found, `MarathonApp ${name} in state`);
  return found.outputs;
}

describe("MarathonApp lifecycle on the local cluster", function () {
  let t: TestStack;
  const config = (apps: unknown[]) => ({
    cluster: { agents: ["agent-1", "agent-2"] },
    networks: [{ name: net, subnet: "9.250.0.0/16", prefix: 24 }],
    apps,
  });
  const ipsOf = (res: any, id: string) => res.outputs.marathonApps.value[id].instances.map((i: any) => i.ip);

  before(async function () {
    await requireDocker();
    t = await createTestStack("life", config([app("/scaled", 3)]));
  });

  after(async function () {
    if (t) await t.dispose();
  });

  it("scales 3 → 5 → 2 keeping survivors' addresses (scale down removes the newest)", async function () {
    const three = ipsOf(await t.stack.up(), "/scaled");
    assert.equal(new Set(three).size, 3);
    t.setConfig(config([app("/scaled", 5)]));
    const five = ipsOf(await t.stack.up(), "/scaled");
    assert.deepEqual(five.slice(0, 3), three);
    assert.equal(new Set(five).size, 5);
    t.setConfig(config([app("/scaled", 2)]));
    const rec = opsRecorder();
    const two = ipsOf(await t.stack.up({ onEvent: rec.onEvent }), "/scaled");
    assert.equal(rec.ops["MarathonApp::scaled"], "update");
    assert.deepEqual(two, three.slice(0, 2));
    const running = (await engine.listContainers({ filters: { label: [`io.dcos-vnet.stack=${t.name}`] } })).length;
    assert.equal(running, 2);
  });

  it("never gives the same address twice to apps created in parallel on the same agents", async function () {
    t.setConfig(config([app("/scaled", 2), app("/para-a", 6), app("/para-b", 6)]));
    const res = await t.stack.up({ parallel: 8 });
    const all = [...ipsOf(res, "/scaled"), ...ipsOf(res, "/para-a"), ...ipsOf(res, "/para-b")];
    assert.equal(all.length, 14);
    assert.equal(new Set(all).size, 14, `duplicates in ${all}`);
    // and the engine agrees: 14 endpoints, 14 addresses
    const inspected = await engine.getNetwork(net).inspect();
    const endpoints = Object.values<any>(inspected.Containers ?? {}).map((c) => c.IPv4Address);
    assert.equal(new Set(endpoints).size, 14);
  });

  it("refresh notices a container killed by hand, and the next up restores it on the same address", async function () {
    const before = (await t.stack.outputs()).marathonApps.value["/para-a"].instances[1];
    await run("docker", ["kill", before.container]);
    await t.stack.refresh();
    const seen = (await appState(t, "para-a")).instances[1];
    assert.equal(seen.state, "stopped");
    const rec = opsRecorder();
    const res = await t.stack.up({ onEvent: rec.onEvent });
    assert.equal(rec.ops["MarathonApp::para-a"], "update");
    const after = res.outputs.marathonApps.value["/para-a"].instances[1];
    assert.equal(after.state, "running");
    assert.equal(after.ip, before.ip);
    const info = await engine.getContainer(after.container).inspect();
    assert.equal(info.State.Running, true);
  });

  it("refresh notices a container removed by hand, and up re-creates it on its old address", async function () {
    const before = (await t.stack.outputs()).marathonApps.value["/para-b"].instances[0];
    await run("docker", ["rm", "-f", before.container]);
    await t.stack.refresh();
    assert.equal((await appState(t, "para-b")).instances[0].state, "missing");
    const after = (await t.stack.up()).outputs.marathonApps.value["/para-b"].instances[0];
    assert.equal(after.state, "running");
    assert.equal(after.ip, before.ip);
  });

  it("rolls the instances when the definition changes, within the upgrade strategy", async function () {
    t.setConfig(config([app("/scaled", 2, { cmd: "exec sleep 3601", upgradeStrategy: { minimumHealthCapacity: 0.5, maximumOverCapacity: 0 } })]));
    const before = (await t.stack.outputs()).marathonApps.value["/scaled"].instances;
    const res = await t.stack.up();
    const after = res.outputs.marathonApps.value["/scaled"].instances;
    assert.equal(after.length, 2);
    assert.ok(after.every((i: any) => !before.some((b: any) => b.container === i.container)), "all instances replaced");
    const ps = await dockerExec(after[0].container, "cat /proc/1/cmdline | tr '\\0' ' '");
    assert.match(ps.out, /sleep 3601/);
  });

  it("keeps secret env values out of the state in plaintext, while the container gets them", async function () {
    // As a user does: pulumi config set --secret --path 'dcos-vnet:secrets.db-password' …
    await t.cli(["config", "set", "--secret", "--path", "dcos-vnet:secrets.db-password", SECRET]);
    const stored = yaml.load(fs.readFileSync(path.join(ROOT, `Pulumi.${t.name}.yaml`), "utf8")) as any;
    t.setConfig({
      ...config([app("/scaled", 2), app("/with-secret", 1, { env: { DB_PASSWORD: { secret: "db" }, PLAIN: "visible" }, secrets: { db: { source: "db-password" } } })]),
      secrets: stored.config["dcos-vnet:secrets"],
    });
    const res = await t.stack.up();
    const inst = res.outputs.marathonApps.value["/with-secret"].instances[0];
    const env = await dockerExec(inst.container, "env");
    assert.match(env.out, new RegExp(`^DB_PASSWORD=${SECRET}$`, "m"));
    const exported = await t.cli(["stack", "export"]);
    const at = exported.indexOf(SECRET);
    assert.ok(at < 0, `secret value in plaintext in pulumi stack export: …${exported.slice(Math.max(0, at - 300), at + 40)}…`);
    assert.ok(exported.includes("visible"), "the export holds the app (sanity check of the search)");
  });

  it("destroy leaves nothing with our labels", async function () {
    await t.stack.destroy();
    assert.deepEqual(await ownedObjects(t.name), { networks: [], containers: [] });
  });
});
