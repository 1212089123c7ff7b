// Ids that the local cluster would write as one container name are refused at preview, naming
// both (stackNameClashes is what DcosCluster runs over a local stack's apps, pods and agents).
import { strict as assert } from "assert";
import { stackNameClashes } from "../../src/core/local/containerNames";
import { validateAgentNames } from "../../src/core/local/agents";

const app = (id: string, extra: Record<string, unknown> = {}) => ({
  id, cmd: "sleep 1", instances: 1, networks: [{ mode: "container", name: "dcos" }], ...extra,
});
const pod = (id: string, containers: string[]) => ({
  id, networks: [{ mode: "container", name: "dcos" }],
  containers: containers.map((name) => ({ name, resources: { cpus: 0.1, mem: 32 }, exec: { command: { shell: "sleep 1" } } })),
});
const key = (field: string) => `dcos-vnet:${field}`;
const clashes = (apps: unknown[], pods: unknown[] = [], agents: string[] = []) =>
  stackNameClashes("dev", { apps: apps as Record<string, unknown>[], pods: pods as Record<string, unknown>[], agents }, key);
const reason = (later: string, earlier: string, at: string, name: string) =>
  `${later} and ${earlier} (${at}) would both run a container named ${name} on the local cluster, where a container name is unique per Docker engine ` +
  "(ids are written there with '.' for '/' and '-' for what Docker names do not allow); give one of them another name";

describe("container names that two ids of one stack would share (refused at preview)", function () {
  it("/shop.web and /shop/web: refused on the second, naming both and the name, whatever their instance counts", function () {
    for (const instances of [1, 0]) {
      assert.deepEqual(clashes([app("/shop.web"), app("/shop/web", { instances })]), [
        { property: "dcos-vnet:apps[1].id", reason: reason("app /shop/web", "app /shop.web", "dcos-vnet:apps[0].id", "dev.shop.web.<n>") },
      ]);
    }
  });

  it("an app and a pod of one id", function () {
    assert.deepEqual(clashes([app("/shop/cart")], [pod("/shop/cart", ["main"])]), [
      { property: "dcos-vnet:pods[0].id", reason: reason("pod /shop/cart", "app /shop/cart", "dcos-vnet:apps[0].id", "dev.shop.cart.<n>") },
    ]);
  });

  it("a pod's container named like another app's instance (/a/0's instance 1 is pod /a's instance 0's container 1)", function () {
    assert.deepEqual(clashes([app("/a/0")], [pod("/a", ["1"])]), [
      { property: "dcos-vnet:pods[0].id", reason: reason("pod /a", "app /a/0", "dcos-vnet:apps[0].id", "dev.a.0.1") },
    ]);
  });

  it("a VIP proxy named like a pod's container", function () {
    const withVip = app("/x/0", {
      container: { type: "DOCKER", docker: { image: "busybox" }, portMappings: [{ containerPort: 80, labels: { VIP_0: "/foo:80" } }] },
    });
    assert.deepEqual(clashes([withVip], [pod("/x", ["vip-foo"])]), [
      { property: "dcos-vnet:pods[0].id", reason: reason("pod /x", "app /x/0", "dcos-vnet:apps[0].id", "dev.x.0.vip-foo") },
    ]);
  });

  it("an agent's container named like an app's instance, when the stack runs agents", function () {
    assert.deepEqual(clashes([app("/agent")], [], ["agent-1", "0"]), [
      { property: "dcos-vnet:cluster.agents[1]", reason: reason("agent 0", "app /agent", "dcos-vnet:apps[0].id", "dev.agent.0") },
    ]);
  });

  it("ids whose names only look alike are accepted", function () {
    const apps = [app("/shop/web"), app("/shop/web-2"), app("/a"), app("/a/b"), app("/a/1"), app("/agent/x")];
    assert.deepEqual(clashes(apps, [pod("/a/p", ["b"]), pod("/q", ["main", "1x"])], ["agent-1", "agent-2"]), []);
  });

  it("one id listed twice is left to the check that says so (no second failure)", function () {
    assert.deepEqual(clashes([app("/shop/web"), app("/shop//web/")]), []);
  });

  it("definitions that do not validate are left to their own checks", function () {
    assert.deepEqual(clashes([app("/shop.web"), { id: "/shop/web", cpus: -1 }]), []);
  });
});

describe("agent names of a local cluster", function () {
  it("a name of 64 bytes (the most a Linux hostname holds) is accepted; 65 bytes, or 33 two-byte letters, are not", function () {
    assert.deepEqual(validateAgentNames(["a".repeat(64)]), []);
    assert.deepEqual(validateAgentNames(["a".repeat(65)]).map((f) => f.property), ["agents[0]"]);
    assert.match(validateAgentNames(["ü".repeat(33)])[0].reason, /is 66 bytes; it is the agent container's hostname, and Linux hostnames are at most 64 bytes/);
  });
});
