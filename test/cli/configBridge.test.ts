// `dcos-vnet config export|import`, run as a user runs it (the bin script, a child process).
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as yaml from "js-yaml";
import { execFile } from "child_process";
import { promisify } from "util";
import { ROOT } from "../support/paths";
import { DCOS_DEFAULT_OVERLAY_CONFIG } from "../../src/core/overlay/types";
import { parseOverlayConfigYaml, renderOverlayConfigYaml } from "../../src/core/overlay/configYaml";

const BIN = path.join(ROOT, "bin", "dcos-vnet");

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], { cwd: ROOT });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("dcos-vnet config export / import (DC/OS install config bridge)", function () {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "dcos-vnet-bridge-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("exports the prod stack's networks as config.yaml's dcos_overlay_network, with DC/OS's VTEP defaults", async function () {
    const r = await cli(["config", "export", "--stack", "prod"]);
    assert.equal(r.code, 0, r.stderr);
    const parsed = parseOverlayConfigYaml(r.stdout);
    assert.ok(parsed.ok);
    if (!parsed.ok) return;
    assert.deepEqual(parsed.config.overlays, [
      { name: "prod-1", subnet: "9.30.0.0/16", prefix: 24 },
      { name: "prod-2", subnet: "9.31.0.0/16", prefix: 24 },
    ]);
    assert.equal(parsed.config.vtep_subnet, "44.128.0.0/20");
  });

  it("imports DC/OS's shipped default (dcos 9.0.0.0/8 /24, dcos6 fd01:b::/64 /80) and exports it back identically", async function () {
    const file = path.join(dir, "config.yaml");
    fs.writeFileSync(file, `cluster_name: demo\n${renderOverlayConfigYaml(DCOS_DEFAULT_OVERLAY_CONFIG)}`);
    const imp = await cli(["config", "import", file, "--stack", "fromdcos", "--root", dir]);
    assert.equal(imp.code, 0, imp.stderr);
    const doc = yaml.load(fs.readFileSync(path.join(dir, "Pulumi.fromdcos.yaml"), "utf8")) as any;
    assert.deepEqual(doc.config["dcos-vnet:networks"], [
      { name: "dcos", subnet: "9.0.0.0/8", prefix: 24 },
      { name: "dcos6", subnet6: "fd01:b::/64", prefix6: 80 },
    ]);
    const exp = await cli(["config", "export", "--stack", "fromdcos", "--root", dir]);
    assert.equal(exp.code, 0, exp.stderr);
    const back = parseOverlayConfigYaml(exp.stdout);
    assert.ok(back.ok);
    if (back.ok) assert.deepEqual(back.config, DCOS_DEFAULT_OVERLAY_CONFIG);
  });

  it("round-trips a stack: export, import into a new stack, export again gives the same text", async function () {
    const first = await cli(["config", "export", "--stack", "prod"]);
    const file = path.join(dir, "config.yaml");
    fs.writeFileSync(file, first.stdout);
    assert.equal((await cli(["config", "import", file, "--stack", "copy", "--root", dir])).code, 0);
    const second = await cli(["config", "export", "--stack", "copy", "--root", dir]);
    assert.equal(second.stdout, first.stdout);
  });

  it("keeps a stack's own fields (agents, labels) of networks that keep their name, and its other config", async function () {
    fs.writeFileSync(path.join(dir, "Pulumi.keep.yaml"), yaml.dump({
      config: { "dcos-vnet:networks": [{ name: "dcos", subnet: "9.0.0.0/8", prefix: 24, labels: { team: "a" } }], "dcos-vnet:apps": [{ file: "x.json" }] },
      encryptionsalt: "v1:salt",
    }));
    const file = path.join(dir, "config.yaml");
    fs.writeFileSync(file, renderOverlayConfigYaml(DCOS_DEFAULT_OVERLAY_CONFIG));
    assert.equal((await cli(["config", "import", file, "--stack", "keep", "--root", dir])).code, 0);
    const doc = yaml.load(fs.readFileSync(path.join(dir, "Pulumi.keep.yaml"), "utf8")) as any;
    assert.deepEqual(doc.config["dcos-vnet:networks"][0].labels, { team: "a" });
    assert.deepEqual(doc.config["dcos-vnet:apps"], [{ file: "x.json" }]);
    assert.equal(doc.encryptionsalt, "v1:salt");
  });

  it("keeps the stack file's comments, key order and styles; changes only what the import changes", async function () {
    const before = [
      "# Stack keep: owned by the platform team.",
      "encryptionsalt: v1:salt",
      "config:",
      "  # apps first, then networks: keep this order",
      "  dcos-vnet:apps:",
      "    - file: x.json # the web app",
      "  dcos-vnet:cluster:",
      "    agents: [agent-1, agent-2] # flow style stays",
      "  dcos-vnet:networks:",
      "    # the main overlay",
      "    - name: dcos",
      "      labels:",
      "        team: a # who to call",
      "      subnet: 9.0.0.0/8",
      "      prefix: 24",
      "    - name: old # dropped by the import",
      "      subnet: 10.0.0.0/8",
      "      prefix: 24",
      "  dcos-vnet:vtep:",
      "    subnet: 44.128.0.0/20 # DC/OS's default",
      '    macOui: "70:B3:D5:00:00:00"',
      "",
    ].join("\n");
    fs.writeFileSync(path.join(dir, "Pulumi.keep.yaml"), before);
    const file = path.join(dir, "config.yaml");
    fs.writeFileSync(file, renderOverlayConfigYaml(DCOS_DEFAULT_OVERLAY_CONFIG));
    const r = await cli(["config", "import", file, "--stack", "keep", "--root", dir]);
    assert.equal(r.code, 0, r.stderr);
    const after = [
      "# Stack keep: owned by the platform team.",
      "encryptionsalt: v1:salt",
      "config:",
      "  # apps first, then networks: keep this order",
      "  dcos-vnet:apps:",
      "    - file: x.json # the web app",
      "  dcos-vnet:cluster:",
      "    agents: [agent-1, agent-2] # flow style stays",
      "  dcos-vnet:networks:",
      "    # the main overlay",
      "    - name: dcos",
      "      labels:",
      "        team: a # who to call",
      "      subnet: 9.0.0.0/8",
      "      prefix: 24",
      "    - name: dcos6",
      "      subnet6: fd01:b::/64",
      "      prefix6: 80",
      "  dcos-vnet:vtep:",
      "    subnet: 44.128.0.0/20 # DC/OS's default",
      '    macOui: "70:B3:D5:00:00:00"',
      "    subnet6: fd01:a::/64",
      "",
    ].join("\n");
    assert.equal(fs.readFileSync(path.join(dir, "Pulumi.keep.yaml"), "utf8"), after);
  });

  const refusals: Array<[string, string, string]> = [
    ["a reserved name", renderOverlayConfigYaml({ ...DCOS_DEFAULT_OVERLAY_CONFIG, overlays: [{ name: "host", subnet: "9.0.0.0/8", prefix: 24 }] }), "Overlay network name: host is a reserved network name"],
    ["overlapping overlays", renderOverlayConfigYaml({ ...DCOS_DEFAULT_OVERLAY_CONFIG, overlays: [{ name: "a", subnet: "9.0.0.0/8", prefix: 24 }, { name: "b", subnet: "9.1.0.0/16", prefix: 24 }] }), "Found overlapping address spaces"],
    ["a section that is not JSON", "dcos_overlay_network: '{oops'\n", "Provided input was not valid JSON"],
    ["no overlays", "dcos_overlay_network:\n  vtep_subnet: 44.128.0.0/20\n  vtep_mac_oui: 70:B3:D5:00:00:00\n", 'Missing "overlays" in overlay configuration'],
    ["a name over 13 characters", renderOverlayConfigYaml({ ...DCOS_DEFAULT_OVERLAY_CONFIG, overlays: [{ name: "abcdefghijklmn", subnet: "9.0.0.0/8", prefix: 24 }] }), "Overlay name cannot exceed 13 characters"],
  ];
  for (const [what, text, message] of refusals) {
    it(`refuses ${what} with DC/OS's message and writes nothing`, async function () {
      const file = path.join(dir, "config.yaml");
      fs.writeFileSync(file, text);
      const r = await cli(["config", "import", file, "--stack", "x", "--root", dir]);
      assert.equal(r.code, 1);
      assert.ok(r.stderr.includes(message), r.stderr);
      assert.equal(fs.existsSync(path.join(dir, "Pulumi.x.yaml")), false);
    });
  }
});
