// MarathonPod on the Marathon target, through the real Pulumi CLI against the contract double
// (test/support/fakeMarathon.ts with fakeMarathonPods.ts): a pod in the stack config goes to
// POST /v2/pods as written and up waits for its deployment; an unchanged second up sends nothing;
// scaling is a PUT; a pod breaking Marathon's rules fails the preview with Marathon's wording and
// nothing is sent; destroy is a DELETE.
import { strict as assert } from "assert";
import { createTestStack, TestStack } from "../support/pulumi";
import { startFakeMarathon, FakeMarathon } from "../support/fakeMarathon";

const TOKEN = "dcos-jwt-for-pod-tests";
const pod = (instances: number) => ({
  id: "/shop/cart",
  scaling: { kind: "fixed", instances },
  networks: [{ mode: "container", name: "dcos-1" }],
  containers: [
    { name: "main", resources: { cpus: 0.1, mem: 32 }, image: { kind: "DOCKER", id: "nginx:1.25" }, endpoints: [{ name: "http", containerPort: 80 }] },
    { name: "sidecar", resources: { cpus: 0.1, mem: 16 }, exec: { command: { shell: "while :; do wget -qO- localhost:80 >/dev/null; sleep 5; done" } } },
  ],
});

describe("MarathonPod on a DC/OS cluster (contract double, real Pulumi CLI)", function () {
  let fake: FakeMarathon;
  let t: TestStack;
  let token: unknown;
  const config = (pods: unknown[]) => ({
    cluster: { target: "marathon", agents: ["agent-1", "agent-2"] },
    networks: [{ name: "dcos-1", subnet: "9.0.0.0/8", prefix: 24 }],
    // The fake serves http:// on loopback: the token may go there (refused without this opt-in).
    marathon: { url: fake.clusterUrl, deploymentTimeoutSeconds: 20, allowInsecureHttp: true },
    marathonToken: token,
    pods,
  });
  const sent = () => fake.requests.filter((r) => r.method !== "GET" && r.path.includes("/v2/pods"));

  before(async function () {
    fake = await startFakeMarathon({ token: TOKEN, deploymentMs: 300 });
    t = await createTestStack("dcospods", { cluster: { target: "marathon" }, networks: [{ name: "dcos-1", subnet: "9.0.0.0/8", prefix: 24 }], marathon: { url: "http://127.0.0.1:1" } });
    token = await t.secret(TOKEN);
  });

  after(async function () {
    if (t) await t.dispose();
    if (fake) await fake.close();
  });

  it("a pod breaking Marathon's rules fails the preview with Marathon's wording, and nothing is sent", async function () {
    const bad = pod(1);
    bad.containers[1].name = "main";
    t.setConfig(config([{ pod: bad }]));
    await assert.rejects(t.stack.preview(), /pod\.containers\[1\]\.name[\s\S]*container names are unique/);
    assert.deepEqual(sent(), []);
  });

  it("creates the pod with POST /v2/pods, sent as written, and waits for its deployment", async function () {
    t.setConfig(config([{ pod: pod(1) }]));
    await t.stack.up();
    assert.equal(sent().length, 1);
    assert.equal(sent()[0].method, "POST");
    assert.equal(sent()[0].status, 201);
    assert.deepEqual(sent()[0].body, pod(1));
    assert.equal(sent()[0].authorization, `token=${TOKEN}`);
    assert.deepEqual(fake.runningDeployments(), []);
  });

  it("a second up sends nothing: Marathon's defaults and version are not drift", async function () {
    const res = await t.stack.up();
    assert.deepEqual(Object.keys(res.summary.resourceChanges ?? {}), ["same"]);
    assert.equal(sent().length, 1);
  });

  it("scales with PUT /v2/pods/{id} (200)", async function () {
    t.setConfig(config([{ pod: pod(2) }]));
    await t.stack.up();
    const put = sent().at(-1)!;
    assert.equal(put.method, "PUT");
    assert.equal(put.path, "/service/marathon/v2/pods/shop/cart");
    assert.equal(put.status, 200);
    assert.equal((fake.pods.get("/shop/cart") as any).scaling.instances, 2);
  });

  it("destroy deletes it with DELETE /v2/pods/{id} (202)", async function () {
    await t.stack.destroy();
    const del = sent().at(-1)!;
    assert.equal(del.method, "DELETE");
    assert.equal(del.status, 202);
    assert.equal(fake.pods.size, 0);
  });
});
