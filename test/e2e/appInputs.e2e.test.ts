// Each app holds only what it uses: the network it joins and the secrets it references. So a
// secret the app does not reference, or a new network, leaves it unchanged in `pulumi preview`, and
// its state does not grow with the number of networks in the stack.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { createTestStack, opsRecorder, TestStack } from "../support/pulumi";
import { requireDocker } from "../support/docker";
import { ROOT } from "../support/paths";

const suffix = Math.random().toString(36).slice(2, 6);
const netName = (i: number) => `in${suffix}-${i}`;
const network = (i: number) => ({ name: netName(i), subnet: `9.${180 + i}.0.0/16`, prefix: 24 });

function app(id: string, net: string, extra: Record<string, unknown> = {}) {
  return {
    app: {
      id, cmd: "exec sleep 3600", instances: 1, cpus: 0.05, mem: 16,
      container: { type: "DOCKER", docker: { image: "busybox" } },
      networks: [{ mode: "container", name: net }],
      ...extra,
    },
  };
}

/** Bytes of each MarathonApp's entry in `pulumi stack export` (as stored: secrets encrypted). */
async function appStateBytes(t: TestStack): Promise<Record<string, number>> {
  const state = JSON.parse(await t.cli(["stack", "export"]));
  return Object.fromEntries(
    state.deployment.resources
      .filter((r: any) => String(r.type).endsWith(":MarathonApp"))
      .map((r: any) => [String(r.urn).split("::").pop(), JSON.stringify(r).length]),
  );
}

describe("an app's inputs: only its own network and secrets", function () {
  let t: TestStack;
  let secrets: unknown;
  const apps = [
    app("/plain", netName(1)),
    app("/keyed", netName(2), { env: { TOKEN: { secret: "tok" } }, secrets: { tok: { source: "token" } } }),
  ];

  before(async function () {
    await requireDocker();
    t = await createTestStack("inputs", { cluster: { agents: ["agent-1"] }, networks: [network(1), network(2)], apps });
    await t.cli(["config", "set", "--secret", "--path", "dcos-vnet:secrets.token", "first"]);
    await t.cli(["config", "set", "--secret", "--path", "dcos-vnet:secrets.unused", "one"]);
    secrets = (yaml.load(fs.readFileSync(path.join(ROOT, `Pulumi.${t.name}.yaml`), "utf8")) as any).config["dcos-vnet:secrets"];
    t.setConfig({ cluster: { agents: ["agent-1"] }, networks: [network(1), network(2)], apps, secrets });
    await t.stack.up();
  });

  after(async function () {
    if (t) await t.dispose();
  });

  it("a changed secret that no app references leaves every app unchanged", async function () {
    await t.cli(["config", "set", "--secret", "--path", "dcos-vnet:secrets.unused", "two"]);
    const { ops, onEvent } = opsRecorder();
    await t.stack.preview({ onEvent });
    assert.equal(ops["MarathonApp::plain"], "same", JSON.stringify(ops));
    assert.equal(ops["MarathonApp::keyed"], "same", JSON.stringify(ops));
  });

  it("a changed secret that one app references updates that app alone", async function () {
    await t.cli(["config", "set", "--secret", "--path", "dcos-vnet:secrets.token", "second"]);
    const { ops, onEvent } = opsRecorder();
    await t.stack.preview({ onEvent });
    assert.equal(ops["MarathonApp::keyed"], "update", JSON.stringify(ops));
    assert.equal(ops["MarathonApp::plain"], "same", JSON.stringify(ops));
  });

  it("adding networks leaves existing apps unchanged, and an app's state does not grow with them", async function () {
    await t.cli(["config", "set", "--secret", "--path", "dcos-vnet:secrets.token", "first"]);
    const secretsNow = (yaml.load(fs.readFileSync(path.join(ROOT, `Pulumi.${t.name}.yaml`), "utf8")) as any).config["dcos-vnet:secrets"];
    const before = await appStateBytes(t);
    const many = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(network);
    t.setConfig({ cluster: { agents: ["agent-1"] }, networks: many, apps, secrets: secretsNow });
    const { ops, onEvent } = opsRecorder();
    await t.stack.preview({ onEvent });
    assert.equal(ops["MarathonApp::plain"], "same", JSON.stringify(ops));
    assert.equal(ops["MarathonApp::keyed"], "same", JSON.stringify(ops));
    assert.equal(ops[`VirtualNetwork::${netName(10)}`], "create");
    await t.stack.up();
    const after = await appStateBytes(t);
    assert.deepEqual(after, before, "state per app at 2 and at 10 networks");
  });
});
