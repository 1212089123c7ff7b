// The CLI's argument parsing: a flag never takes the positional argument that follows it, unknown
// flags are refused by name, and a command refuses the flags it does not take.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { execFile } from "child_process";
import { promisify } from "util";
import { parseArgs, UsageError } from "../../src/cli/args";
import { DCOS_DEFAULT_OVERLAY_CONFIG } from "../../src/core/overlay/types";
import { renderOverlayConfigYaml } from "../../src/core/overlay/configYaml";
import { ROOT } from "../support/paths";

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

describe("dcos-vnet argument parsing", function () {
  it("keeps the positional argument after a flag that takes no value", function () {
    const args = parseArgs(["config", "import", "--help", "config.yaml", "--stack", "dev"]);
    assert.deepEqual(args.positional, ["config", "import", "config.yaml"]);
    assert.equal(args.help, true);
    assert.deepEqual(args.flags, { stack: "dev" });
  });

  it("reads --name value and --name=value alike", function () {
    assert.deepEqual(parseArgs(["map", "--stack", "dev", "--out=plan.svg"]).flags, { stack: "dev", out: "plan.svg" });
  });

  it("refuses an unknown flag by name instead of taking the next argument as its value", function () {
    assert.throws(() => parseArgs(["config", "import", "--verbose", "config.yaml"]), (err: unknown) => {
      assert.ok(err instanceof UsageError, `expected a UsageError, got ${err}`);
      assert.match(err.message, /Unknown option '--verbose'/);
      return true;
    });
  });

  it("refuses a flag that needs a value when none follows", function () {
    assert.throws(() => parseArgs(["config", "export", "--stack"]), /Option '--stack <value>' argument missing/);
  });

  describe("through the bin", function () {
    let dir: string;
    beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "dcos-vnet-args-"))));
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("imports the file named after the flags, whatever their order", async function () {
      const file = path.join(dir, "config.yaml");
      fs.writeFileSync(file, renderOverlayConfigYaml(DCOS_DEFAULT_OVERLAY_CONFIG));
      const r = await cli(["config", "import", "--stack", "order", "--root", dir, file]);
      assert.equal(r.code, 0, r.stderr);
      assert.ok(fs.existsSync(path.join(dir, "Pulumi.order.yaml")));
    });

    it("prints the usage for --help before a positional argument, and runs nothing", async function () {
      const file = path.join(dir, "config.yaml");
      fs.writeFileSync(file, renderOverlayConfigYaml(DCOS_DEFAULT_OVERLAY_CONFIG));
      const r = await cli(["config", "import", "--help", file, "--stack", "help", "--root", dir]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^usage: dcos-vnet <command>/);
      assert.equal(fs.existsSync(path.join(dir, "Pulumi.help.yaml")), false);
    });

    it("refuses an unknown flag with exit code 2, naming it, and writes nothing", async function () {
      const file = path.join(dir, "config.yaml");
      fs.writeFileSync(file, renderOverlayConfigYaml(DCOS_DEFAULT_OVERLAY_CONFIG));
      const r = await cli(["config", "import", "--stack", "x", "--root", dir, "--dry-run", file]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /Unknown option '--dry-run'/);
      assert.equal(fs.existsSync(path.join(dir, "Pulumi.x.yaml")), false);
    });

    it("refuses a flag the command does not take", async function () {
      const r = await cli(["config", "export", "--stack", "prod", "--out", "plan.svg"]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /--out is not an option of "config export" \(it takes --stack, --root\)/);
    });
  });
});
