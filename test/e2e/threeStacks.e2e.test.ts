// The organisation's three stacks, as committed (Pulumi.dev.yaml, Pulumi.marketing.yaml,
// Pulumi.prod.yaml), up at the same time on one Docker engine: each stack's apps reach each other
// by IP and DNS name; no container of one stack reaches another stack's (real packets, bounded).
import { strict as assert } from "assert";
import { openProjectStack } from "../support/pulumi";
import { networkOrUndefined, requireDocker } from "../support/docker";
import { dockerExec, httpGet, removeContainers, resolve, startClient } from "../support/net";

const NETWORKS = ["dcos-1", "mkt-1", "prod-1", "prod-2"];
/** A probe target of the test's own on dev's network: the seed app's command ends every 30 s and
 * Docker restarts it, so a probe into or towards the seed container can meet it restarting. */
const DEV_TARGET = "three-stacks-dev-target";
const DEV_TARGET_IP = "9.10.255.200"; // far above the blocks dev's agents hold (9.10.0.0/24 up)

describe("stacks dev, marketing and prod up together on one engine", function () {
  const stacks: Record<string, { stack: any; dispose(): Promise<void> }> = {};
  const outputs: Record<string, any> = {};

  before(async function () {
    // On the tests' private engine: the user's own dev, marketing and prod may be up meanwhile.
    await requireDocker();
    for (const name of ["dev", "marketing", "prod"]) {
      stacks[name] = await openProjectStack(name);
      outputs[name] = (await stacks[name].stack.up()).outputs;
    }
  });

  after(async function () {
    await removeContainers(DEV_TARGET);
    for (const s of Object.values(stacks)) await s.dispose();
  });

  const instances = (stack: string, app: string) => outputs[stack].marathonApps.value[app].instances;

  it("brings all three up with non-overlapping subnets, their networks on the test engine", async function () {
    for (const name of NETWORKS) assert.ok(await networkOrUndefined(name), `network ${name} on the test engine`);
    assert.deepEqual(Object.keys(outputs.dev.virtualNetworks.value), ["dcos-1"]);
    assert.deepEqual(Object.keys(outputs.marketing.virtualNetworks.value), ["mkt-1"]);
    assert.deepEqual(Object.keys(outputs.prod.virtualNetworks.value).sort(), ["prod-1", "prod-2"]);
    assert.equal(instances("dev", "/my-networking").length, 1);
    assert.equal(instances("marketing", "/campaign/landing").length, 2);
    assert.equal(instances("prod", "/shop/web").length, 3);
  });

  it("prod's web and api reach each other by IP and by DC/OS DNS name, on the same port", async function () {
    const web = instances("prod", "/shop/web")[0];
    const api = instances("prod", "/shop/api");
    assert.match(await httpGet(web.container, "api.shop.marathon.mesos", 8080), /200 OK[\s\S]*served_by/);
    for (const a of api) assert.match(await httpGet(web.container, a.ip, 8080), /200 OK/);
    assert.deepEqual(await resolve(web.container, "api.shop.marathon.mesos"), api.map((a: any) => a.ip).sort());
    assert.match(await httpGet(api[0].container, "web-shop.marathon.containerip.dcos.thisdcos.directory", 8080), /200 OK[\s\S]*web/);
  });

  it("marketing's landing instances answer each other on port 80", async function () {
    const [a, b] = instances("marketing", "/campaign/landing");
    assert.match(await httpGet(a.container, b.ip, 80), /200 OK[\s\S]*landing/);
    assert.match(await httpGet(b.container, "landing.campaign.marathon.mesos", 80), /200 OK/);
  });

  it("isolates the stacks: prod cannot reach marketing or dev, marketing cannot reach prod", async function () {
    const web = instances("prod", "/shop/web")[0];
    const landing = instances("marketing", "/campaign/landing")[0];
    assert.doesNotMatch(await httpGet(web.container, landing.ip, 80), /HTTP/);
    assert.doesNotMatch(await httpGet(landing.container, web.ip, 8080), /HTTP/);
    assert.deepEqual(await resolve(web.container, "landing.campaign.marathon.mesos"), []);
    // dev's seed app listens on nothing: probe dev's network with ICMP, which it does answer, at a
    // target that stays up (the probe works from inside dev, and fails from prod).
    await startClient(DEV_TARGET, "dcos-1", DEV_TARGET_IP);
    const gateway = outputs.dev.virtualNetworks.value["dcos-1"].subnet.replace(/0\/16$/, "1"); // 9.10.0.1
    const own = await dockerExec(DEV_TARGET, `ping -c 1 -W 2 ${gateway}`);
    assert.equal(own.code, 0, `sanity: the probe works inside dev: ${own.out}`);
    const across = await dockerExec(web.container, `ping -c 1 -W 2 ${DEV_TARGET_IP}`);
    assert.notEqual(across.code, 0, `prod reached ${DEV_TARGET_IP} on dev's network`);
    const back = await dockerExec(DEV_TARGET, `ping -c 1 -W 2 ${web.ip}`);
    assert.notEqual(back.code, 0, `dev reached prod's ${web.ip}`);
  });
});
