// Declaration test (Pulumi mocks, nothing runs): what DcosCluster declares, and that each app is
// given only the networks it joins and the secrets it references. End-to-end behaviour of the same
// component is tested through the real CLI (test/e2e/package*.e2e.test.ts).
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";

describe("DcosCluster (declarations under Pulumi mocks)", function () {
  const declared: pulumi.runtime.MockResourceArgs[] = [];
  let failure: Error | undefined;
  let clash: Error | undefined;

  before(async function () {
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          declared.push(args);
          return { id: `${args.name}-id`, state: args.inputs };
        },
        call: () => ({}),
      },
      "dcos-vnet",
      "mockstack",
    );
    const { DcosCluster } = await import("../../src/index");
    const app = (id: string, network: string, env: Record<string, unknown> = {}, secrets: Record<string, unknown> = {}) => ({
      id, cmd: "sleep 1000", instances: 1, networks: [{ mode: "container", name: network }],
      container: { type: "DOCKER", docker: { image: "busybox" } }, env, secrets,
    });
    new DcosCluster("c", {
      cluster: { agents: ["a1", "a2"] },
      networks: [
        { name: "blue", subnet: "9.40.0.0/16", prefix: 24 },
        { name: "green", subnet: "9.41.0.0/16", prefix: 24 },
      ],
      apps: [
        { app: app("/web", "blue", { DB_PASSWORD: { secret: "db" } }, { db: { source: "db-password" } }) },
        { app: app("/api", "green") },
      ],
      pods: [{ pod: { id: "/shop/cart", networks: [{ mode: "container", name: "green" }], containers: [{ name: "main", resources: { cpus: 0.1, mem: 32 }, exec: { command: { shell: "sleep 1000" } } }] } }],
      secrets: { "db-password": "s3cret", "other-token": "t0ken" },
    });
    try {
      new DcosCluster("bad", {
        networks: [{ name: "blue", subnet: "9.50.0.0/16", prefix: 24 }],
        apps: [{ app: app("/lost", "purple") }],
      }, { namePrefix: "bad-" });
    } catch (err) {
      failure = err as Error;
    }
    try {
      new DcosCluster("clash", {
        networks: [{ name: "blue", subnet: "9.51.0.0/16", prefix: 24 }],
        apps: [{ app: app("/shop.web", "blue") }, { app: app("/shop/web", "blue") }],
      }, { namePrefix: "clash-" });
    } catch (err) {
      clash = err as Error;
    }
    await new Promise((resolve) => setTimeout(resolve, 300)); // let registrations flush
  });

  const byName = (type: string, name: string) => declared.find((d) => d.type.endsWith(type) && d.name === name);

  it("declares the component and, per network, a VirtualNetwork and a LocalDockerNetwork named after it", function () {
    assert.ok(byName("dcos-vnet:index:DcosCluster", "c"));
    for (const n of ["blue", "green"]) {
      assert.ok(byName(":VirtualNetwork", n), `VirtualNetwork ${n}`);
      assert.ok(byName(":LocalDockerNetwork", n), `LocalDockerNetwork ${n}`);
    }
  });

  it("keeps the resources' type tokens (policies tell them apart)", function () {
    const types = new Set(declared.map((d) => d.type));
    for (const t of ["pulumi-nodejs:dynamic/dcos:VirtualNetwork", "pulumi-nodejs:dynamic/dcos:LocalDockerNetwork", "pulumi-nodejs:dynamic/dcos:MarathonApp"]) {
      assert.ok(types.has(t), `${t} in ${[...types].join(", ")}`);
    }
  });

  it("gives each app only the network it joins", function () {
    assert.deepEqual(Object.keys(byName(":MarathonApp", "web")!.inputs.networks), ["blue"]);
    assert.deepEqual(Object.keys(byName(":MarathonApp", "api")!.inputs.networks), ["green"]);
  });

  it("declares each pod as a MarathonPod under the component, given only the network it joins", function () {
    const pod = byName(":MarathonPod", "pod.shop.cart");
    assert.ok(pod, "MarathonPod pod.shop.cart");
    assert.equal(pod!.type, "pulumi-nodejs:dynamic/dcos:MarathonPod");
    assert.deepEqual(Object.keys(pod!.inputs.networks), ["green"]);
    assert.equal(pod!.inputs.pod.id, "/shop/cart");
  });

  it("gives each app only the secrets it references, and none to an app that references none", function () {
    // A secret arrives wrapped in Pulumi's secret signature: kept secret, with only the one source.
    const web = byName(":MarathonApp", "web")!.inputs.secretEnv;
    assert.equal(web["4dabf18193072939515e22adb298388d"], "1b47061264138c4ac30d75fd1eb44270", "secretEnv is a secret");
    assert.deepEqual(web.value, { "db-password": "s3cret" });
    const api = byName(":MarathonApp", "api")!.inputs;
    assert.ok(api.secretEnv === undefined || Object.keys(api.secretEnv).length === 0, JSON.stringify(api.secretEnv));
  });

  it("refuses an app on a network the cluster does not declare, naming the app and the known networks, before declaring it", function () {
    assert.ok(failure, "DcosCluster should have thrown");
    assert.match(failure!.message, /apps\[0\]\.networks\[0\]\.name: network purple is not a virtual network of this stack \(known: blue\)/);
    assert.equal(byName(":MarathonApp", "bad-lost"), undefined);
  });

  it("refuses two app ids that the local cluster would write as one container name, naming both, before declaring either", function () {
    assert.ok(clash, "DcosCluster should have thrown");
    assert.match(clash!.message, /apps\[1\]\.id: app \/shop\/web and app \/shop\.web \(apps\[0\]\.id\) would both run a container named mockstack\.shop\.web\.<n>/);
    assert.equal(declared.filter((d) => d.name.startsWith("clash-") && d.type.endsWith(":MarathonApp")).length, 0);
  });
});
