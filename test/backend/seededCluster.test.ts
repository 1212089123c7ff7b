// The seeded cluster's apps and pods are what users write: each passes this project's own validation,
// except the ones that deliberately use a field the project does not model; and the double stores
// all of them, for either Marathon version, as that Marathon would.
import { strict as assert } from "assert";
import { validateApp } from "../../src/core/marathon/validateApp";
import { validatePod } from "../../src/core/marathon/validatePod";
import { UNSUPPORTED_APPS, seededApps, seededPods, startSeededCluster } from "../support/seededCluster";

describe("seeded cluster fixture (test/fixtures/cluster/marathon-*.json)", function () {
  it("has 60 apps and 6 pods that pass the project's validation, except the listed unsupported ones", function () {
    const apps = seededApps();
    assert.equal(apps.length, 60);
    assert.equal(seededPods().length, 6);
    const failing = apps.filter((a) => validateApp(a).length > 0).map((a) => a.id);
    assert.deepEqual(failing, UNSUPPORTED_APPS);
    for (const pod of seededPods()) assert.deepEqual(validatePod(pod), [], String(pod.id));
  });

  for (const version of ["1.5", "1.10"] as const) {
    it(`Marathon ${version} stores them normalised: legacy ipAddress translated, service ports assigned, no write recorded`, async function () {
      const fake = await startSeededCluster({ version });
      try {
        assert.equal(fake.apps.size, 60);
        assert.equal(fake.pods.size, 6);
        assert.equal(fake.writes(), 0);
        const cart = fake.apps.get("/shop/cart")!;
        assert.equal(cart.ipAddress, undefined);
        assert.deepEqual(cart.networks, [{ mode: "container", name: "dcos" }]);
        assert.ok(cart.container.portMappings[0].servicePort >= 10000 && cart.container.portMappings[0].servicePort <= 20000);
        assert.equal(cart.maxLaunchDelaySeconds, version === "1.5" ? 3600 : 300);
        const etl = fake.apps.get("/data/etl-0")!;
        assert.equal(etl.portDefinitions.length, 2);
        assert.equal(etl.fetch[0].uri, "https://artifacts.example.com/etl-0.tgz");
        const res = await fetch(`${fake.url}/v2/info`);
        assert.match(((await res.json()) as { version: string }).version, new RegExp(`^${version.replace(".", "\\.")}\\.`));
        const overlay = await fetch(`${fake.clusterUrl}/mesos/overlay-master/state`);
        assert.equal(overlay.status, 200);
      } finally {
        await fake.close();
      }
    });
  }
});
