// What a MarathonApp's state holds: the definition once, as written, and of the network it joins
// only what its instances use. Marathon's canonical form and the DNS names are recomputed from
// `app` (resolveApp), so a state written before (with `canonical`, `aliases`, the whole allocation)
// compares by today's rules: unchanged when nothing changed, an update or a replace when it did.
import { strict as assert } from "assert";
import { resolveApp } from "../../src/core/marathon/appInputs";
import { localTarget } from "../../src/resources/providers/marathonAppLocal";
import { APP_STACK, NET, checkApp } from "../support/badApps";

const app = (extra: Record<string, unknown> = {}) => ({
  id: "/shop/web", cmd: "exec sleep 3600", instances: 2, cpus: 0.1, mem: 32,
  container: { type: "DOCKER", docker: { image: "busybox" }, portMappings: [{ containerPort: 80, name: "http" }] },
  networks: [{ mode: "container", name: NET }],
  ...extra,
});

function checked(definition: Record<string, unknown>) {
  const { inputs, failures } = checkApp(definition, { appFile: "apps/web.json" });
  assert.deepEqual(failures, []);
  return inputs;
}

/** The whole allocation of APP_STACK's network (9.251.0.0/16, /24 per agent), as the stack program gives it. */
function fullAllocation(): Record<string, { block: string; mesos: string; docker: string }> {
  return Object.fromEntries(APP_STACK.cluster.agents.map((a, i) => [a, { block: `9.251.${i}.0/24`, mesos: `9.251.${i}.0/25`, docker: `9.251.${i}.128/25` }]));
}

/** Outputs as the previous shape wrote them: every input (canonical, aliases, appFile, the whole allocation) repeated. */
function previousShapeOutputs(definition: Record<string, unknown>) {
  const resolved = resolveApp(checked(definition));
  return {
    ...resolved,
    appFile: "apps/web.json",
    networks: { [NET]: { dockerNetwork: NET, agentSubnets: fullAllocation() } },
    instances: [0, 1].map((index) => ({
      index, agent: APP_STACK.cluster.agents[index], ip: `9.251.${index}.130`, container: `unit.shop.web.${index}`,
      containerId: `c${index}`, half: "docker", state: "running",
    })),
    nextIndex: 2,
    strays: [],
    appId: resolved.canonical.id,
  };
}

describe("a MarathonApp's state: the definition once", function () {
  it("check's inputs hold the definition as written, without canonical, aliases, the file it came from or an empty secretEnv", function () {
    const inputs = checked(app()) as unknown as Record<string, unknown>;
    assert.deepEqual(Object.keys(inputs).sort(), ["app", "network", "networks", "owner", "servicePorts", "target"]);
    assert.deepEqual(inputs.app, app());
  });

  it("of the network it joins, the inputs keep the Docker network and the app's half of each agent's block", function () {
    const inputs = checked(app());
    assert.deepEqual(inputs.networks, {
      [NET]: { dockerNetwork: NET, agentSubnets: { "agent-1": { docker: "9.251.0.128/25" }, "agent-2": { docker: "9.251.1.128/25" } } },
    });
    const mesos = checked(app({ container: { type: "MESOS", docker: { image: "busybox" } } }));
    assert.deepEqual(mesos.networks[NET].agentSubnets, { "agent-1": { mesos: "9.251.0.0/25" }, "agent-2": { mesos: "9.251.1.0/25" } });
  });

  it("resolveApp recomputes Marathon's canonical form and the DNS names from the definition", function () {
    const { canonical, aliases } = resolveApp(checked(app({ id: "shop//web/" })));
    assert.equal(canonical.id, "/shop/web");
    assert.equal(canonical.upgradeStrategy.minimumHealthCapacity, 1);
    assert.deepEqual(aliases, ["web", "web.shop.marathon.mesos", "web-shop.marathon.containerip.dcos.thisdcos.directory"]);
  });

  describe("diff against a state of the previous shape", function () {
    const previous = previousShapeOutputs(app());
    const diff = (definition: Record<string, unknown>) => localTarget.diff("/shop/web", previous, checked(definition));

    it("nothing changed: no changes", async function () {
      assert.deepEqual(await diff(app()), { changes: false, replaces: [], deleteBeforeReplace: false });
    });

    it("the same app in Marathon's legacy form: no changes", async function () {
      const { networks: _, ...rest } = app();
      assert.deepEqual(await diff({ ...rest, ipAddress: { networkName: NET }, container: { ...app().container, docker: { image: "busybox", network: "USER" } } }),
        { changes: false, replaces: [], deleteBeforeReplace: false });
    });

    it("another instance count or env: an update", async function () {
      assert.deepEqual(await diff(app({ instances: 3 })), { changes: true, replaces: [], deleteBeforeReplace: false });
      assert.deepEqual(await diff(app({ env: { TIER: "web" } })), { changes: true, replaces: [], deleteBeforeReplace: false });
    });

    it("another app id: a replace, named by the field the user wrote", async function () {
      assert.deepEqual(await diff(app({ id: "/shop/api" })), { changes: true, replaces: ["app.id"], deleteBeforeReplace: true });
    });
  });
});
