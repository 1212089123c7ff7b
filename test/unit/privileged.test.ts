// Privileged containers on the local cluster are the operator's call: MarathonApp's check refuses
// `container.docker.privileged: true` (by its JSON path, naming the config key that allows it)
// unless the cluster allows privileged containers, for container-network and host-mode apps alike.
// On a DC/OS target DC/OS's own permissions decide. The opt-in is not kept in the state, so an
// app's state is the same with or without it.
import { strict as assert } from "assert";
import { checkMarathonApp } from "../../src/core/marathon/appInputs";
import { parseStackConfig } from "../../src/config/stackConfig";
import { checkApp, NET } from "../support/badApps";

const REFUSED = {
  property: "app.container.docker.privileged",
  reason:
    "this cluster does not allow privileged containers (a privileged container is root on the Docker host); " +
    "an operator allows them with dcos-vnet:cluster.allowPrivileged: true (the MarathonApp input allowPrivileged)",
};
const docker = (privileged: unknown) => ({ type: "DOCKER", docker: { image: "busybox", privileged } });
const onOverlay = (privileged: unknown) => ({ id: "/priv", cmd: "sleep 1", container: docker(privileged), networks: [{ mode: "container", name: NET }] });
const hostMode = { id: "/priv-host", cmd: "sleep 1", container: docker(true), networks: [{ mode: "host" }], portDefinitions: [] };
const AGENTS = { "agent-1": { ip: "172.16.0.2", container: "s.agent.agent-1" } };
const checkHostApp = (more: Record<string, unknown>) =>
  checkMarathonApp({
    app: hostMode, networks: {}, owner: { project: "p", stack: "s" }, target: "local",
    hostAgents: ["agent-1"], hostNetwork: { dockerNetwork: "s-host", subnet: "172.16.0.0/24", agents: AGENTS }, hostPortsTaken: {},
    ...more,
  }, () => false);

describe("privileged containers need the cluster's allowPrivileged (MarathonApp check)", function () {
  it("refuses a privileged app on a virtual network, by its JSON path, naming the config key", function () {
    assert.deepEqual(checkApp(onOverlay(true)).failures, [REFUSED]);
  });

  it("refuses a privileged host-mode task (it would run in the agent's network namespace)", function () {
    assert.deepEqual(checkHostApp({}).failures, [REFUSED]);
  });

  it("accepts it once the cluster allows privileged containers, and keeps the opt-in out of the state", function () {
    const overlay = checkApp(onOverlay(true), { allowPrivileged: true });
    assert.deepEqual(overlay.failures, []);
    assert.equal("allowPrivileged" in overlay.inputs, false, JSON.stringify(Object.keys(overlay.inputs)));
    assert.deepEqual(checkHostApp({ allowPrivileged: true }).failures, []);
    // The same app's inputs with and without the opt-in: no diff, no replace for a state written without it.
    assert.deepEqual(checkApp(onOverlay(false), { allowPrivileged: true }).inputs, checkApp(onOverlay(false)).inputs);
  });

  it("leaves non-privileged apps alone, and privileged apps on a DC/OS target to DC/OS's permissions", function () {
    assert.deepEqual(checkApp(onOverlay(false)).failures, []);
    assert.deepEqual(checkApp(onOverlay(true), { target: "marathon" }).failures, []);
  });

  it("reads dcos-vnet:cluster.allowPrivileged from the stack config: true or false, absent meaning false", function () {
    const networks = [{ name: "n", subnet: "9.0.0.0/8", prefix: 24 }];
    const parsed = parseStackConfig({ cluster: { allowPrivileged: true }, networks });
    assert.ok(parsed.ok && parsed.value.cluster.allowPrivileged === true);
    const absent = parseStackConfig({ networks });
    assert.ok(absent.ok && absent.value.cluster.allowPrivileged === undefined, "absent: no key in the parsed config");
    const bad = parseStackConfig({ cluster: { allowPrivileged: "yes" }, networks });
    assert.deepEqual(!bad.ok && bad.failures, [{ property: "dcos-vnet:cluster.allowPrivileged", reason: "allowPrivileged must be true or false, got \"yes\"" }]);
  });
});
