// The organisation's three stacks, as committed (Pulumi.dev.yaml, Pulumi.marketing.yaml,
// Pulumi.prod.yaml), up at the same time on one Docker engine: each stack's apps reach each other
// by IP and DNS name; no container of one stack reaches another stack's (real packets, bounded).
import { strict as assert } from "assert";
import { openProjectStack } from "../support/pulumi";
import { networkOrUndefined, requireDocker } from "../support/docker";
import { dockerExec, httpGet, resolve } from "../support/net";

const NETWORKS = ["dcos-1", "mkt-1", "prod-1", "prod-2"];

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
    // The seed app listens on nothing: probe it with ICMP, which its own network does answer.
    const seed = instances("dev", "/my-networking")[0];
    const gateway = outputs.dev.virtualNetworks.value["dcos-1"].subnet.replace(/0\/16$/, "1"); // 9.10.0.1
    const own = await dockerExec(seed.container, `ping -c 1 -W 2 ${gateway}`);
    assert.equal(own.code, 0, `sanity: the probe works inside dev: ${own.out}`);
    const across = await dockerExec(web.container, `ping -c 1 -W 2 ${seed.ip}`);
    assert.notEqual(across.code, 0, `prod reached dev's ${seed.ip}`);
  });
});
