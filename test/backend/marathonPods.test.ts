// The Marathon client's /v2/pods calls against the contract double (test/support/fakeMarathon.ts,
// pods in fakeMarathonPods.ts): Marathon's status codes, the deployment header each change answers
// with, 409s, 404s and 422s turned into errors that name the pod and the field.
import { strict as assert } from "assert";
import { MarathonClient, MarathonError } from "../../src/backends/marathon/client";
import * as podDeployer from "../../src/backends/marathon/podDeployer";
import { FakeMarathon, startFakeMarathon } from "../support/fakeMarathon";

const TOKEN = "pods-jwt";
const pod = (instances = 1, shell = "sleep 100") => ({
  id: "/shop/cart",
  scaling: { kind: "fixed", instances },
  networks: [{ mode: "container", name: "dcos-1" }],
  containers: [
    { name: "main", resources: { cpus: 0.1, mem: 32 }, exec: { command: { shell } }, endpoints: [{ name: "http", containerPort: 8080 }] },
    { name: "sidecar", resources: { cpus: 0.1, mem: 32 }, exec: { command: { shell: "sleep 100" } } },
  ],
});

describe("Marathon client: pods (/v2/pods) against the contract double", function () {
  let fake: FakeMarathon;
  let api: MarathonClient;
  const conn = () => ({ url: fake.url, token: TOKEN, deploymentTimeoutSeconds: 5 });

  beforeEach(async function () {
    fake = await startFakeMarathon({ token: TOKEN, deploymentMs: 100 });
    api = new MarathonClient({ url: fake.url, token: TOKEN });
  });
  afterEach(async function () {
    api.close();
    await fake.close();
  });

  it("creates with POST /v2/pods (201 and a deployment id), reads it back, 409 on a second create", async function () {
    const { deploymentId } = await api.createPod(pod());
    assert.ok(deploymentId);
    const post = fake.requests.find((r) => r.method === "POST" && r.path.endsWith("/v2/pods"))!;
    assert.equal(post.status, 201);
    assert.deepEqual(post.body, pod(), "sent as written");
    assert.equal((await api.getPod("/shop/cart"))?.id, "/shop/cart");
    await assert.rejects(api.createPod(pod()), (e: MarathonError) => e.kind === "conflict" && /a pod with id \/shop\/cart already exists/.test(e.message));
  });

  it("reads a missing pod as undefined (404), and deletes a missing one as nothing to do", async function () {
    assert.equal(await api.getPod("/nope"), undefined);
    assert.equal(await api.deletePod("/nope"), undefined);
    assert.equal(fake.requests.filter((r) => r.status === 404).length, 2);
  });

  it("turns Marathon's 422 into failures naming the pod's fields", async function () {
    const bad = { ...pod(), containers: [pod().containers[0], { ...pod().containers[0] }] };
    await assert.rejects(api.createPod(bad), (e: MarathonError) => {
      assert.equal(e.kind, "invalid");
      assert.match(e.message, /rejected pod \/shop\/cart \(422: Object is not valid\)/);
      assert.ok(e.failures?.some((f) => /container names are unique/.test(f.reason)), JSON.stringify(e.failures));
      return true;
    });
    assert.equal(fake.pods.size, 0);
  });

  it("updates with PUT (200), refuses while a deployment holds the pod (409 locked), deletes with DELETE (202)", async function () {
    const created = await api.createPod(pod());
    await assert.rejects(api.updatePod("/shop/cart", pod(2)), (e: MarathonError) => e.kind === "locked" && /pod \/shop\/cart is locked by deployment/.test(e.message));
    await api.waitForDeployment(created.deploymentId, { pollMs: 20, timeoutMs: 5000 });
    const updated = await api.updatePod("/shop/cart", pod(2));
    assert.ok(updated.deploymentId);
    assert.equal((fake.pods.get("/shop/cart") as any).scaling.instances, 2);
    await api.waitForDeployment(updated.deploymentId, { pollMs: 20, timeoutMs: 5000 });
    const deleted = await api.deletePod("/shop/cart");
    assert.ok(deleted?.deploymentId);
    assert.equal(fake.requests.at(-1)?.status, 202);
    assert.equal(fake.pods.size, 0);
  });

  it("deployer: create waits for the deployment; read reduces Marathon's copy to the declared fields (its defaults are not drift)", async function () {
    const log: string[] = [];
    const created = await podDeployer.createPod(conn(), pod() as any, (m) => log.push(m));
    assert.deepEqual(fake.runningDeployments(), []);
    const seen = await podDeployer.readPod(conn(), "/shop/cart", () => {});
    assert.deepEqual(seen?.observed, created.observed);
    assert.deepEqual(seen?.observed, podDeployer.observedPodOf(pod() as any));
    (fake.pods.get("/shop/cart") as any).scaling.instances = 3; // scaled by hand
    assert.equal((await podDeployer.readPod(conn(), "/shop/cart", () => {}))?.observed.instances, 3);
  });
});
