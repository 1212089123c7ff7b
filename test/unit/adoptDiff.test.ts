// adopt's run writes nothing to Marathon, so under `adopt: true` the target marathon diff never
// plans a replace (a DELETE, then a POST or PUT): a moved app, another URL or another pod id is an
// update, which under adopt only records Marathon's copy. And the observed view adopt compares its
// files on is the provider's own (one list of Marathon's read-only fields, one null rule).
import { strict as assert } from "assert";
import { dcosTarget } from "../../src/resources/providers/marathonAppDcos";
import { dcosPodTarget } from "../../src/resources/providers/marathonPodDcos";
import { observedOf, observedOfMarathon } from "../../src/backends/marathon/deployer";
import { observedPodOf } from "../../src/backends/marathon/podDeployer";
import { APP_READ_ONLY, appOfAnswer, withoutNulls } from "../../src/core/marathon/marathonAnswer";
import { cleanApp } from "../../src/core/adopt/cleanDefinition";
import type { AppDefinition } from "../../src/core/marathon/types";
import type { PodDefinition } from "../../src/core/marathon/podTypes";

const app = { id: "/web", cmd: "httpd -f", instances: 2, cpus: 0.1, mem: 64, networks: [{ mode: "container", name: "dcos" }] };
const appInputs = (over: Record<string, unknown> = {}) => ({ app, network: "dcos", target: "marathon", connection: { url: "https://dcos.example.com/service/marathon" }, ...over });
const appOlds = () => ({ ...appInputs(), observed: observedOf(app as unknown as AppDefinition), appId: "/web" });

const pod = { id: "/cart", scaling: { kind: "fixed", instances: 1 }, containers: [{ name: "c", resources: { cpus: 0.1, mem: 32 }, image: { kind: "DOCKER", id: "busybox" } }], networks: [{ mode: "container", name: "dcos" }] };
const podInputs = (over: Record<string, unknown> = {}) => ({ pod, target: "marathon", connection: { url: "https://dcos.example.com/service/marathon" }, ...over });
const podOlds = () => ({ ...podInputs(), observed: observedPodOf(pod as unknown as PodDefinition), podId: "/cart" });

describe("adopt's run never plans a replace (target marathon diff under adopt: true)", function () {
  it("a new connection URL replaces an app without adopt, and is an update under adopt", async function () {
    const news = appInputs({ connection: { url: "https://10.0.0.5/service/marathon" } });
    assert.deepEqual((await dcosTarget.diff("/web", appOlds(), news)).replaces, ["connection"], "the test's premise");
    assert.deepEqual(await dcosTarget.diff("/web", appOlds(), { ...news, adopt: true }), { changes: true, replaces: [], deleteBeforeReplace: false });
  });

  it("an app moved to another network is an update under adopt", async function () {
    const moved = { ...app, networks: [{ mode: "container", name: "prod" }] };
    const news = appInputs({ app: moved, network: "prod" });
    assert.ok((await dcosTarget.diff("/web", appOlds(), news)).replaces?.includes("network"), "the test's premise");
    assert.deepEqual(await dcosTarget.diff("/web", appOlds(), { ...news, adopt: true }), { changes: true, replaces: [], deleteBeforeReplace: false });
  });

  it("a pod with another id or URL is an update under adopt", async function () {
    const news = podInputs({ pod: { ...pod, id: "/cart2" }, connection: { url: "https://10.0.0.5/service/marathon" } });
    assert.deepEqual((await dcosPodTarget.diff("/cart", podOlds(), news)).replaces, ["pod.id", "connection"], "the test's premise");
    assert.deepEqual(await dcosPodTarget.diff("/cart", podOlds(), { ...news, adopt: true }), { changes: true, replaces: [], deleteBeforeReplace: false });
  });

  it("an update under adopt that would record another id under the resource is refused before any request", async function () {
    const news = { ...appInputs({ app: { ...app, id: "/web2" } }), adopt: true };
    await assert.rejects(dcosTarget.update("/web", appOlds(), news), /stack holds this resource as \/web.*nothing was written to Marathon/s);
    await assert.rejects(dcosPodTarget.update("/cart", podOlds(), { ...podInputs({ pod: { ...pod, id: "/cart2" } }), adopt: true }), /as \/cart.*replace/s);
  });
});

describe("Marathon's answer, read once for the provider and for adopt (core/marathon/marathonAnswer)", function () {
  const answer = {
    ...app, version: "2024-01-01T00:00:00Z", counts: { running: 2 }, tasksRunning: 2, deployments: [], user: null,
    labels: { TIER: "web" }, container: { type: "MESOS", docker: null, volumes: [] },
  };

  it("one list of read-only fields (counts included) and nulls dropped at every depth", function () {
    assert.ok(APP_READ_ONLY.includes("counts"));
    const own = appOfAnswer(answer);
    for (const k of ["version", "counts", "tasksRunning", "deployments", "user"]) assert.equal(own[k], undefined, k);
    assert.deepEqual(own.container, { type: "MESOS", volumes: [] });
    assert.deepEqual(withoutNulls([{ a: null, b: [{ c: null }] }]), [{ b: [{}] }]);
  });

  it("the file adopt writes compares equal to Marathon's copy on the provider's own observed view", function () {
    assert.deepEqual(observedOf(cleanApp(answer, "1.10.0") as unknown as AppDefinition), observedOfMarathon(answer));
  });
});

describe("adopt's preview gate (src/cli/adoptRun.ts)", function () {
  const { removalSteps } = require("../../src/cli/adoptRun") as typeof import("../../src/cli/adoptRun");
  const urn = (type: string, name: string) => `urn:pulumi:s::dcos-vnet::dcos-vnet:index:DcosCluster$${type}::${name}`;

  it("names each app or pod a step would delete or replace, once, and nothing else", function () {
    const preview = JSON.stringify({
      steps: [
        { op: "same", urn: urn("dcos-vnet:index:MarathonApp", "web") },
        { op: "delete", urn: urn("dcos-vnet:index:MarathonApp", "db-client") },
        { op: "replace", urn: urn("dcos-vnet:index:MarathonPod", "cart") },
        { op: "create-replacement", urn: urn("dcos-vnet:index:MarathonPod", "cart") },
        { op: "delete-replaced", urn: urn("dcos-vnet:index:MarathonPod", "cart") },
        { op: "discard", urn: urn("dcos-vnet:index:MarathonApp", "old") },
        { op: "delete", urn: urn("dcos-vnet:index:VirtualNetwork", "dcos") },
        { op: "update", urn: urn("dcos-vnet:index:MarathonApp", "api") },
      ],
    });
    assert.deepEqual(removalSteps(preview), [
      { op: "delete", resource: "MarathonApp::db-client", urn: urn("dcos-vnet:index:MarathonApp", "db-client") },
      { op: "replace", resource: "MarathonPod::cart", urn: urn("dcos-vnet:index:MarathonPod", "cart") },
      { op: "discard", resource: "MarathonApp::old", urn: urn("dcos-vnet:index:MarathonApp", "old") },
    ]);
  });
});
