// Changes DC/OS cannot apply to a running cluster (an overlay's subnet or prefix, an overlay removed,
// the VTEP settings), on `target: marathon` through the real Pulumi CLI against the Marathon double:
// preview warns with DC/OS's procedure (also in preview-md's Warnings), `up` is refused with nothing
// written to Marathon until dcos-vnet:cluster.acknowledgeReinstall is set, and then goes through.
import { strict as assert } from "assert";
import * as path from "path";
import { execFile } from "child_process";
import { promisify } from "util";
import { createTestStack, resourcesOfType, TestStack } from "../support/pulumi";
import { startFakeMarathon, FakeMarathon } from "../support/fakeMarathon";
import { ROOT } from "../support/paths";

const TOKEN = "dcos-jwt-for-tests";
const KEY = "dcos-vnet:cluster.acknowledgeReinstall";

describe("changes DC/OS applies only by reinstalling (target marathon, real Pulumi CLI)", function () {
  let fake: FakeMarathon;
  let t: TestStack;
  let token: unknown;
  const config = (o: { prefix?: number; spare?: boolean; vtep?: object; acknowledge?: boolean } = {}) => ({
    cluster: { target: "marathon", agents: ["agent-1", "agent-2"], ...(o.acknowledge ? { acknowledgeReinstall: true } : {}) },
    networks: [
      { name: "dcos-1", subnet: "9.0.0.0/8", prefix: o.prefix ?? 24 },
      ...(o.spare === false ? [] : [{ name: "spare", subnet: "10.200.0.0/16", prefix: 24, agents: ["agent-2"] }]),
    ],
    ...(o.vtep ? { vtep: o.vtep } : {}),
    marathon: { url: fake.clusterUrl, deploymentTimeoutSeconds: 20, allowInsecureHttp: true },
    marathonToken: token,
    apps: [{ file: "examples/seed-app/app.json" }],
  });
  const writes = () => fake.requests.filter((r) => r.method !== "GET").length;
  /** The warnings of a preview, as the engine reported them. */
  async function previewWarnings(): Promise<string[]> {
    const found: string[] = [];
    await t.stack.preview({ onEvent: (e: any) => e.diagnosticEvent?.severity === "warning" && found.push(e.diagnosticEvent.message) });
    return found.filter((m) => /DC\/OS cannot apply/.test(m));
  }
  /** A refused up: the message, and that nothing reached Marathon and the state kept every resource as it was. */
  async function assertRefused(expected: RegExp): Promise<void> {
    const before = writes();
    // The custom resources must not change. (The default provider records the new config at any
    // run, and the component its list of declared network names: bookkeeping, not the cluster.)
    const custom = (r: any) => !String(r.type).startsWith("pulumi:providers:") && r.custom === true;
    const resources = async () =>
      new Map<string, string>((await t.stack.exportStack()).deployment.resources.filter(custom).map((r: any) => [r.urn, JSON.stringify([r.inputs, r.outputs])]));
    const state = await resources();
    assert.ok(state.size >= 3, "the guard, the networks and the app are compared");
    await assert.rejects(t.stack.up(), (err: Error) => {
      assert.match(err.message, expected);
      assert.match(err.message, new RegExp(`refuses this until ${KEY}`));
      return true;
    });
    assert.equal(writes(), before, "no POST, PUT or DELETE reached Marathon");
    const after = await resources();
    const changed = [...new Set([...state.keys(), ...after.keys()])].filter((urn) => state.get(urn) !== after.get(urn));
    assert.deepEqual(changed, [], "the state is unchanged");
  }

  before(async function () {
    fake = await startFakeMarathon({ token: TOKEN, deploymentMs: 200 });
    t = await createTestStack("reinstall", { cluster: { target: "marathon" }, networks: [{ name: "dcos-1", subnet: "9.0.0.0/8", prefix: 24 }], marathon: { url: "http://127.0.0.1:1" }, apps: [] });
    token = await t.secret(TOKEN);
    t.setConfig(config());
    await t.stack.up();
  });

  after(async function () {
    if (t) await t.dispose();
    if (fake) await fake.close();
  });

  it("a stack whose state has no guard gets it by a create alone: nothing replaced, nothing written", async function () {
    // This state with the guard and every dependency on it taken out (the shape of a stack from
    // before the guard; a real 0.3.0 stack is brought up and upgraded in overlayMasterUpgrade.e2e).
    const exported = await t.stack.exportStack();
    const guardUrn = exported.deployment.resources.find((r: any) => String(r.type).endsWith("DcosOverlayConfig")).urn;
    exported.deployment.resources = exported.deployment.resources
      .filter((r: any) => r.urn !== guardUrn)
      .map((r: any) => ({ ...r, dependencies: (r.dependencies ?? []).filter((d: string) => d !== guardUrn), propertyDependencies: undefined }));
    await t.stack.importStack(exported);
    const before = writes();
    const res = await t.stack.up();
    const { create, same, ...others } = res.summary.resourceChanges ?? {};
    assert.deepEqual({ create, others }, { create: 1, others: {} }, JSON.stringify(res.summary.resourceChanges));
    assert.ok((same ?? 0) >= 4);
    assert.equal(writes(), before);
    assert.equal((await resourcesOfType(t.stack, "DcosOverlayConfig")).length, 1);
  });

  it("an overlay's prefix changed: preview warns with the procedure, preview-md shows it, up is refused, then acknowledged", async function () {
    t.setConfig(config({ prefix: 25 }));
    const [warning, ...more] = await previewWarnings();
    assert.deepEqual(more, []);
    assert.match(warning, /^- overlay dcos-1 changed: prefix 24 → 25 \(agents: agent-1, agent-2; apps and pods: \/my-networking\)$/m);
    assert.match(warning, /docs\.d2iq\.com\/mesosphere\/dcos\/2\.2\/networking\/SDN\/dcos-overlay/);
    assert.match(warning, /Uninstall DC\/OS from every node/);
    assert.match(warning, /overlay_replicated_log/);
    assert.match(warning, /No overlay subnet goes away, so the agents' IPMASQ rules \(nat table, POSTROUTING\) can stay/);

    const env = { ...process.env, ...t.env };
    const { stdout } = await promisify(execFile)(process.execPath, [path.join(ROOT, "bin", "dcos-vnet"), "preview-md", "--stack", t.name], { cwd: ROOT, env });
    const warnings = stdout.slice(stdout.indexOf("### Warnings"));
    assert.ok(stdout.includes("### Warnings"), stdout);
    assert.match(warnings, /\*\*warning\*\* in DcosOverlayConfig `dcos_overlay_network`:\n```+text\nDC\/OS cannot apply these overlay changes/);
    assert.match(warnings, /- overlay dcos-1 changed: prefix 24 → 25 \(agents: agent-1, agent-2; apps and pods: \/my-networking\)/);
    assert.match(warnings, /Uninstall DC\/OS from every node/);

    await assertRefused(/overlay dcos-1 changed: prefix 24 → 25/);
    t.setConfig(config({ prefix: 25, acknowledge: true }));
    await t.stack.up();
    const [network] = (await resourcesOfType(t.stack, "VirtualNetwork")).filter((r) => r.outputs.name === "dcos-1");
    assert.equal(network.outputs.prefix, 25);
    // Left set, the acknowledgement is warned of: it would let the next such change through.
    const lingering: string[] = [];
    await t.stack.preview({ onEvent: (e: any) => e.diagnosticEvent?.severity === "warning" && lingering.push(e.diagnosticEvent.message) });
    assert.ok(lingering.some((m) => /cluster\.acknowledgeReinstall is true and no change DC\/OS cannot apply in place is pending: set it back to false/.test(m)), lingering.join("\n"));
    t.setConfig(config({ prefix: 25 }));
    assert.deepEqual(await previewWarnings(), [], "recorded: nothing pending afterwards");
  });

  it("an overlay removed: preview names it with its agent, up is refused, then acknowledged", async function () {
    t.setConfig(config({ prefix: 25, spare: false }));
    const [warning] = await previewWarnings();
    assert.match(warning, /^- overlay spare removed \(agents: agent-2; apps and pods: none\)$/m);
    assert.match(warning, /On every agent \(agent-2\), remove the IPMASQ rules of the overlay subnets that go \(10\.200\.0\.0\/16\) from the POSTROUTING chain of the nat table/);
    await assertRefused(/overlay spare removed/);
    assert.ok((await resourcesOfType(t.stack, "VirtualNetwork")).some((r) => r.outputs.name === "spare"), "the network is still in the state");
    t.setConfig(config({ prefix: 25, spare: false, acknowledge: true }));
    await t.stack.up();
    assert.ok(!(await resourcesOfType(t.stack, "VirtualNetwork")).some((r) => r.outputs.name === "spare"));
  });

  it("a VTEP subnet changed: every agent and app is named, up is refused, then acknowledged", async function () {
    t.setConfig(config({ prefix: 25, spare: false, vtep: { subnet: "44.129.0.0/20" } }));
    const [warning] = await previewWarnings();
    assert.match(warning, /^- VTEP subnet 44\.128\.0\.0\/20 → 44\.129\.0\.0\/20 \(agents: agent-1, agent-2; apps and pods: \/my-networking\)$/m);
    await assertRefused(/VTEP subnet 44\.128\.0\.0\/20 → 44\.129\.0\.0\/20/);
    t.setConfig(config({ prefix: 25, spare: false, vtep: { subnet: "44.129.0.0/20" }, acknowledge: true }));
    await t.stack.up();
    const [guard] = await resourcesOfType(t.stack, "DcosOverlayConfig");
    assert.equal(guard.outputs.vtep.subnet, "44.129.0.0/20");
  });
});
