// A host- or bridge-mode app's state and its VIP proxies, as MarathonApp's diff compares them: a
// state written before such apps' VIPs had proxies (no `vips`) is updated once, never replaced, so
// the next `up` makes the proxies and keeps the tasks; a state with its proxies running is
// unchanged, and a stopped or missing proxy (seen by refresh) is drift, healed by an update.
import { strict as assert } from "assert";
import { checkMarathonApp } from "../../src/core/marathon/appInputs";
import { localTarget } from "../../src/resources/providers/marathonAppLocal";

const hostApp = (labels: Record<string, string>) => ({
  id: "/hm/web", cmd: "httpd -f -p $PORT0", instances: 1, cpus: 0.1, mem: 32,
  networks: [{ mode: "host" }], portDefinitions: [{ port: 0, name: "http", labels }],
});

function checked(app: unknown) {
  const { inputs, failures } = checkMarathonApp({
    app, networks: {}, owner: { project: "p", stack: "s" }, target: "local", hostAgents: ["agent-1"],
    hostNetwork: { dockerNetwork: "s-host", subnet: "172.16.0.0/24", agents: { "agent-1": { ip: "172.16.0.2", container: "s.agent.agent-1" } } },
    hostPortsTaken: {},
  }, () => false);
  assert.deepEqual(failures, []);
  return inputs;
}

/** What an `up` of the app wrote: the inputs, one running task, and the VIP proxies given. */
function state(app: unknown, vips?: unknown[]) {
  return {
    ...checked(app),
    instances: [{ index: 0, agent: "agent-1", ip: "172.16.0.2", container: "s.hm.web.0", containerId: "c0", half: "mesos", state: "running", ports: [1025] }],
    nextIndex: 1,
    appId: "/hm/web",
    aliases: [],
    ...(vips ? { vips } : {}),
  };
}

const proxy = (s: string) => ({ address: "hmweb.marathon.l4lb.thisdcos.directory", ports: [80], container: "s.hm.web.vip-hmweb", containerId: "p0", ip: "172.16.0.130", state: s });
const UPDATE = { changes: true, replaces: [], deleteBeforeReplace: false };
const NONE = { changes: false, replaces: [], deleteBeforeReplace: false };

describe("a host-mode app's VIP proxies in its state (MarathonApp diff)", function () {
  const vip = { VIP_0: "/hm/web:80" };

  it("a state written before host VIPs had proxies: an update (no replace) that makes them", async function () {
    assert.deepEqual(await localTarget.diff("/hm/web", state(hostApp(vip)), checked(hostApp(vip))), UPDATE);
  });

  it("its proxies running: no changes; a host app without VIPs stays unchanged as before", async function () {
    assert.deepEqual(await localTarget.diff("/hm/web", state(hostApp(vip), [proxy("running")]), checked(hostApp(vip))), NONE);
    assert.deepEqual(await localTarget.diff("/hm/web", state(hostApp({})), checked(hostApp({}))), NONE);
  });

  it("a proxy seen stopped or missing by refresh: an update", async function () {
    for (const s of ["stopped", "missing"]) {
      assert.deepEqual(await localTarget.diff("/hm/web", state(hostApp(vip), [proxy(s)]), checked(hostApp(vip))), UPDATE, s);
    }
  });
});
