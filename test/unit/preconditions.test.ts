// Tests that need Docker or Pulumi must fail, not skip, when those are missing; and nothing may
// reach the user's Docker engine before the tests' private engine runs. Prove the guards.
import { strict as assert } from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import { promisify } from "util";
import { startPrivateEngine } from "../support/privateEngine";
import { requirePulumi } from "../support/pulumi";
import { ROOT } from "../support/paths";

const execFileAsync = promisify(execFile);

/** Private engines' directories and network namespaces on this machine. */
function engineLeftovers(): string[] {
  const netns = fs.existsSync("/var/run/netns") ? fs.readdirSync("/var/run/netns") : [];
  return [...fs.readdirSync("/tmp").map((d) => `/tmp/${d}`), ...netns.map((n) => `netns ${n}`)].filter((e) => e.includes("dvt-pre")).sort();
}

/** Runs a snippet in a fresh node process set up as mocha sets up the tests (rootHooks loaded). */
async function inFreshTestProcess(code: string, env: Record<string, string> = {}): Promise<string> {
  const { stdout } = await execFileAsync(
    process.execPath,
    ["-r", "ts-node/register/transpile-only", "-r", "./test/support/rootHooks.ts", "-e", code],
    { cwd: ROOT, env: { ...process.env, ...env, DOCKER_HOST: "" }, encoding: "utf8" },
  );
  return stdout;
}

describe("test preconditions", function () {
  it("a private engine without a dockerd binary fails with a clear message", async function () {
    await assert.rejects(
      startPrivateEngine("pre", { dockerd: `${os.tmpdir()}/no-such-dockerd` }),
      /private Docker engine.*could not start: no dockerd binary \(.*no-such-dockerd\).*npm run setup/s,
    );
  });

  it("a dockerd that exits at once fails with the end of its log, and leaves no namespace or directory behind", async function () {
    await assert.rejects(
      startPrivateEngine("pre", { dockerd: "/bin/false" }),
      /private Docker engine.*could not start: dockerd exited before answering; the end of \/tmp\/dvt-pre-\w+\/dockerd\.log/s,
    );
    assert.deepEqual(engineLeftovers(), []);
  });

  it("requireDocker rejects (never skips) when the private engine cannot start", async function () {
    const out = await inFreshTestProcess(
      `require("./test/support/docker").requireDocker().then(() => console.log("started"), (e) => console.log(e.message))`,
      { DCOS_VNET_TEST_DOCKERD: "/no/such/dockerd" },
    );
    assert.match(out, /private Docker engine.*could not start: no dockerd binary \(\/no\/such\/dockerd\).*npm run setup/s);
  });

  it("before requireDocker, neither dockerode, the docker CLI nor `run` reach any engine", async function () {
    const out = await inFreshTestProcess(`
      const { engine, run } = require("./test/support/docker");
      const Docker = require("dockerode");
      (async () => {
        console.log("DOCKER_HOST=" + process.env.DOCKER_HOST);
        await new Docker().ping().then(() => console.log("dockerode reached an engine"), (e) => console.log("dockerode: " + e.code));
        await run("docker", ["info"]).then(() => console.log("run reached an engine"), (e) => console.log("run: " + e.message));
        try { engine.listContainers(); console.log("engine reached"); } catch (e) { console.log("engine: " + e.message); }
        await require("util").promisify(require("child_process").execFile)("docker", ["info"]).then(() => console.log("cli reached an engine"), (e) => console.log("cli: " + e.stderr));
      })();`);
    assert.match(out, /^DOCKER_HOST=unix:\/\/\/dvt-private-engine-not-started--call-requireDocker-first\.sock$/m);
    assert.match(out, /^dockerode: ENOENT$/m);
    assert.match(out, /^run: the tests' private Docker engine is not started: call requireDocker\(\) in a before hook first$/m);
    assert.match(out, /^engine: the tests' private Docker engine is not started/m);
    assert.match(out, /^cli: .*dvt-private-engine-not-started/m);
    assert.doesNotMatch(out, /reached/);
  });

  it("requirePulumi rejects with a clear message when the CLI is missing", async function () {
    await assert.rejects(requirePulumi(`${os.tmpdir()}/no-such-pulumi`), /need the Pulumi CLI.*npm run setup/s);
  });
});
