// Privileged containers: mandatory in a prod stack (dcos-prod-no-privileged-containers), a warning
// elsewhere (dcos-privileged-containers), on the local cluster and on DC/OS alike.
import { strict as assert } from "assert";
import { runResourcePolicy } from "../../policy/testing";
import { privilegedContainers, prodNoPrivilegedContainers } from "../../policy/rules/privilegedContainers";
import { app, vnet } from "./resources";

const stack = () => ({ name: "live", project: "dcos-vnet" });
const prodRule = prodNoPrivilegedContainers(stack);
const anyRule = privilegedContainers(stack);
const PROD_TAG = { stackTags: { env: "prod" } };
const privileged = (target: "local" | "marathon" = "local") =>
  app("/ops/agent", "dcos-1", { container: { type: "DOCKER", docker: { image: "busybox", privileged: true } } }, target);

describe("policies on privileged containers", function () {
  it("refuses a privileged app of a prod stack (mandatory), naming the resource, the app id and the field", async function () {
    assert.equal(prodRule.enforcementLevel, "mandatory");
    const v = await runResourcePolicy(prodRule, privileged(), PROD_TAG);
    assert.deepEqual(v.map((x) => x.message), [
      "MarathonApp ops.agent (/ops/agent) of prod stack live (tagged env=prod) runs a privileged container (app.container.docker.privileged: true); " +
        "a privileged container is root on its agent's host (every device and capability). Prod apps run unprivileged: remove it",
    ]);
    assert.equal((await runResourcePolicy(prodRule, privileged("marathon"), PROD_TAG)).length, 1, "on DC/OS too");
    assert.equal((await runResourcePolicy(prodRule, privileged(), { config: { prodStacks: ["live"] } })).length, 1, "prodStacks counts");
  });

  it("warns about one in any other stack (advisory), and leaves a prod stack's to the mandatory rule", async function () {
    assert.equal(anyRule.enforcementLevel, "advisory");
    const v = await runResourcePolicy(anyRule, privileged(), { stackTags: { env: "dev" } });
    assert.deepEqual(v.map((x) => x.message), [
      "MarathonApp ops.agent (/ops/agent) runs a privileged container (app.container.docker.privileged: true); a privileged container is root on its agent's host (every device and capability)",
    ]);
    assert.deepEqual(await runResourcePolicy(anyRule, privileged(), PROD_TAG), []);
    assert.deepEqual(await runResourcePolicy(prodRule, privileged(), { stackTags: { env: "dev" } }), []);
  });

  it("passes unprivileged apps and other resources", async function () {
    for (const rule of [prodRule, anyRule]) {
      assert.deepEqual(await runResourcePolicy(rule, app("/web", "dcos-1"), PROD_TAG), []);
      assert.deepEqual(await runResourcePolicy(rule, app("/web", "dcos-1", { container: { type: "DOCKER", docker: { image: "busybox", privileged: false } } })), []);
      assert.deepEqual(await runResourcePolicy(rule, vnet("dcos-1", "9.0.0.0/16"), PROD_TAG), []);
    }
  });
});
