// MarathonApp's check for an app on several container networks on the local cluster: a UCR app
// joins each (its Mesos half of every agent's block kept per network), a Docker app is held to
// Marathon's one-network rule, room is checked per network, and a VIP whose mapping's
// networkNames leave out the network VIPs are served on is refused at preview.
import { strict as assert } from "assert";
import { checkMarathonApp } from "../../src/core/marathon/appInputs";

const subnet = (third: number) => ({
  "agent-1": { block: `9.${third}.0.0/24`, mesos: `9.${third}.0.0/25`, docker: `9.${third}.0.128/25` },
  "agent-2": { block: `9.${third}.1.0/24`, mesos: `9.${third}.1.0/25`, docker: `9.${third}.1.128/25` },
});
const networks = { a: { dockerNetwork: "a", agentSubnets: subnet(1) }, b: { dockerNetwork: "b", agentSubnets: subnet(2) }, c: { dockerNetwork: "c", agentSubnets: subnet(3) } };
const owner = { project: "p", stack: "s" };
const app = (extra: Record<string, unknown> = {}) => ({
  id: "/multi", cmd: "sleep 1", instances: 2, networks: [{ mode: "container", name: "a" }, { mode: "container", name: "b" }], ...extra,
});
const check = (a: unknown) => checkMarathonApp({ app: a, networks, owner }, () => false);

describe("MarathonApp check: several container networks on the local cluster", function () {
  it("keeps each network the app joins, each with only its Mesos half per agent; the first is `network`", function () {
    const { inputs, failures } = check(app());
    assert.deepEqual(failures, []);
    assert.equal(inputs.network, "a");
    assert.deepEqual(Object.keys(inputs.networks).sort(), ["a", "b"]);
    assert.deepEqual(inputs.networks.b, { dockerNetwork: "b", agentSubnets: { "agent-1": { mesos: "9.2.0.0/25" }, "agent-2": { mesos: "9.2.1.0/25" } } });
  });

  it("holds a Docker app to Marathon's one container network", function () {
    const { failures } = check(app({ container: { type: "DOCKER", docker: { image: "busybox" } } }));
    assert.ok(failures.some((f) => f.property === "app.networks" && f.reason.includes("may only specify a single container network when using the Docker container engine")), JSON.stringify(failures));
  });

  it("names a second network that is not the stack's at its own entry", function () {
    const { failures } = check(app({ networks: [{ mode: "container", name: "a" }, { mode: "container", name: "zz" }] }));
    assert.deepEqual(failures, [{ property: "app.networks[1].name", reason: "network zz is not a virtual network of this stack (known: a, b, c)" }]);
  });

  it("checks the room in each network's half", function () {
    const { failures } = check(app({ instances: 400 }));
    assert.ok(failures.some((f) => f.property === "app.instances" && f.reason.includes("Mesos half of the b overlay")), JSON.stringify(failures));
  });

  it("refuses a VIP whose mapping's networkNames leave out the first network (where VIPs are served)", function () {
    const mapped = (names: string[]) => app({ container: { type: "MESOS", portMappings: [{ containerPort: 80, networkNames: names, labels: { VIP_0: "/multi:80" } }] } });
    assert.deepEqual(check(mapped(["a"])).failures, []);
    const { failures } = check(mapped(["b"]));
    assert.equal(failures.length, 1);
    assert.equal(failures[0].property, "app.container.portMappings[0].networkNames");
    assert.match(failures[0].reason, /serves an app's VIPs on its first network \(a\).*names only b/);
  });

  it("refuses networkNames naming a network the app does not join (Marathon's rule)", function () {
    const { failures } = check(app({ container: { type: "MESOS", portMappings: [{ containerPort: 80, networkNames: ["c"] }] } }));
    assert.ok(failures.some((f) => f.property === "app.container.portMappings[0].networkNames[0]" && f.reason.includes("is not one of the app's container networks")), JSON.stringify(failures));
  });
});

describe("MarathonApp diff: a one-network app's state from before several networks", function () {
  // What today's main stores for a one-network app (marathonAppLocal outputs): the Docker network
  // by name and a digest of the app's allocation, sha256 of its stable JSON; restated here from
  // that format, not computed by the code under test.
  const { createHash } = require("crypto") as typeof import("crypto");
  const { localTarget } = require("../../src/resources/providers/marathonAppLocal") as typeof import("../../src/resources/providers/marathonAppLocal");
  const one = { id: "/multi", cmd: "sleep 1", instances: 2, networks: [{ mode: "container", name: "a" }] };
  const allocation = { agentSubnets: { "agent-1": { mesos: "9.1.0.0/25" }, "agent-2": { mesos: "9.1.1.0/25" } }, dockerNetwork: "a" };
  const digest = createHash("sha256").update(JSON.stringify(allocation)).digest("hex").slice(0, 16);
  const { networks: _n, ...inputs } = check(one).inputs;
  const stored = {
    ...inputs,
    dockerNetwork: "a",
    allocation: digest,
    instances: [0, 1].map((i) => ({ index: i, agent: `agent-${i + 1}`, ip: `9.1.${i}.2`, container: `s.multi.${i}`, containerId: `c${i}`, half: "mesos", state: "running" })),
    nextIndex: 2,
    appId: "/multi",
    aliases: ["multi", "multi.marathon.mesos", "multi.marathon.containerip.dcos.thisdcos.directory"],
  };

  it("unchanged: no changes (no update, no replace on upgrade)", async function () {
    assert.deepEqual(await localTarget.diff("/multi", stored, check(one).inputs), { changes: false, replaces: [], deleteBeforeReplace: false });
  });

  it("joining a second network: an update (the instances roll), not a replace", async function () {
    assert.deepEqual(await localTarget.diff("/multi", stored, check(app()).inputs), { changes: true, replaces: [], deleteBeforeReplace: false });
  });
});
