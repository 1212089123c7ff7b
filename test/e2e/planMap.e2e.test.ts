// `dcos-vnet map` on a real stack: bring up a network with a 3-instance Docker app through the
// real Pulumi CLI, run the command as a user would (node bin/dcos-vnet, the stack's backend and
// passphrase in the environment), and find in the picture every agent block, both halves and
// every instance address that the stack's outputs and the Docker engine report.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { execFile } from "child_process";
import { promisify } from "util";
import { createTestStack, TestStack, uniqueSuffix } from "../support/pulumi";
import { engine, requireDocker } from "../support/docker";
import { ROOT } from "../support/paths";

const NET = `map-${uniqueSuffix().slice(-6)}`;
const SUBNET = "9.170.0.0/16";

describe("dcos-vnet map on a real stack", function () {
  let t: TestStack;
  let outputs: any;
  let outDir: string;

  before(async function () {
    await requireDocker();
    t = await createTestStack("map", {
      cluster: { agents: ["agent-1", "agent-2"] },
      networks: [{ name: NET, subnet: SUBNET, prefix: 24 }],
      apps: [
        {
          app: {
            id: "/web", cmd: "exec sleep 3600", instances: 3, cpus: 0.05, mem: 16,
            container: { type: "DOCKER", docker: { image: "busybox" } },
            networks: [{ mode: "container", name: NET }],
          },
        },
      ],
    });
    outputs = (await t.stack.up()).outputs;
    outDir = fs.mkdtempSync(path.join(os.tmpdir(), "dcos-vnet-map-"));
  });

  after(async function () {
    if (outDir) fs.rmSync(outDir, { recursive: true, force: true });
    if (t) await t.dispose();
  });

  /** The CLI as a user runs it, pointed at the test stack's own backend. */
  async function mapCommand(out: string): Promise<string> {
    const { stdout } = await promisify(execFile)("node", [path.join(ROOT, "bin", "dcos-vnet"), "map", "--stack", t.name, "--out", out], {
      cwd: ROOT,
      env: { ...process.env, PULUMI_BACKEND_URL: `file://${t.backendDir}`, PULUMI_CONFIG_PASSPHRASE: "dcos-vnet-test" },
    });
    return stdout.trim();
  }

  const vnet = () => outputs.virtualNetworks.value[NET];
  const instances = (): any[] => outputs.marathonApps.value["/web"].instances;

  it("writes an SVG holding the network, every agent block with both halves, and the free blocks", async function () {
    const file = path.join(outDir, "plan.svg");
    assert.equal(await mapCommand(file), file);
    const svg = fs.readFileSync(file, "utf8");
    assert.ok(svg.startsWith("<svg ") && svg.trimEnd().endsWith("</svg>"));
    assert.ok(svg.includes(`>${NET}<`) && svg.includes(`>${SUBNET}<`));
    const blocks = Object.entries<any>(vnet().agentSubnets);
    assert.equal(blocks.length, 2);
    for (const [agent, b] of blocks) {
      for (const cidr of [b.block, b.mesos, b.docker]) assert.ok(svg.includes(`>${cidr}<`), `${agent} ${cidr}`);
    }
    assert.equal(vnet().capacity.blocksFree, 254);
    assert.ok(svg.includes("free: 254 blocks (99.2%)"));
  });

  it("shows every instance at the address the engine gave it, inside its own agent's block", async function () {
    const file = path.join(outDir, "plan.svg");
    const svg = fs.readFileSync(file, "utf8");
    assert.equal(instances().length, 3);
    for (const i of instances()) {
      const seen = await engine.getContainer(i.container).inspect();
      assert.equal(seen.NetworkSettings.Networks[NET]?.IPAMConfig?.IPv4Address ?? seen.NetworkSettings.Networks[NET]?.IPAddress, i.ip);
      const start = svg.indexOf(`class="agent-block" data-agent="${i.agent}"`);
      const end = svg.indexOf('class="agent-block"', start + 1);
      const card = svg.slice(start, end < 0 ? undefined : end);
      assert.ok(start >= 0 && card.includes(`data-ip="${i.ip}"`), `${i.ip} in ${i.agent}'s card`);
      assert.ok(card.includes(">/web<") && card.includes(">running<"));
    }
  });

  it("writes the same picture as an HTML page when --out ends in .html", async function () {
    const file = path.join(outDir, "plan.html");
    assert.equal(await mapCommand(file), file);
    const html = fs.readFileSync(file, "utf8");
    assert.ok(html.startsWith("<!DOCTYPE html>"));
    assert.ok(html.includes(`<title>Address plan of stack ${t.name}</title>`));
    for (const i of instances()) assert.ok(html.includes(`>${i.ip}<`), i.ip);
  });
});
