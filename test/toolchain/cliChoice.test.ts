// Which Pulumi CLI and language host setup uses (scripts/pulumi-toolchain.sh, the functions
// setup.sh runs), against stand-in `pulumi` and `pulumi-language-nodejs` executables on a PATH of
// the test's own: a pulumi at the SDK's version or newer with a fitting Pulumi language host is
// used; otherwise setup builds its own and says why.
import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ROOT } from "../support/paths";

const SDK = "v3.260.0";

/** A directory with a `pulumi` reporting `cli` and, if given, a language host answering -version with `host`. */
function install(cli: string | undefined, host?: string | "serves"): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dcos-vnet-cli-"));
  if (cli) fs.writeFileSync(path.join(dir, "pulumi"), `#!/bin/sh\n[ "$1" = version ] && echo ${cli}\n`, { mode: 0o755 });
  // A host too old to know -version starts serving instead: it prints a port and waits.
  const hostScript = host === "serves" ? "#!/bin/sh\necho 40125\nexec sleep 60\n" : `#!/bin/sh\n[ "$1" = -version ] && echo ${host}\n`;
  if (host) fs.writeFileSync(path.join(dir, "pulumi-language-nodejs"), hostScript, { mode: 0o755 });
  return dir;
}

/** What setup decides with these directories (first first) before the system's own PATH. */
function choose(...dirs: string[]): string {
  const script = `source scripts/pulumi-toolchain.sh
if user_cli; then echo "use $CLI_DIR/pulumi $CLI_VERSION with $HOST $HOST_VERSION"; else echo "build: $WHY_NOT"; fi`;
  const userPath = [...dirs, "/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"].join(":");
  return execFileSync("bash", ["-c", script], { cwd: ROOT, env: { ...process.env, PULUMI_VERSION: SDK, USER_PATH: userPath }, encoding: "utf8" }).trim();
}

describe("setup's choice of Pulumi CLI and language host", function () {
  const dirs: string[] = [];
  const dir = (cli: string | undefined, host?: string) => {
    const d = install(cli, host);
    dirs.push(d);
    return d;
  };
  after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it("uses a newer pulumi with its own language host, and says which", function () {
    const d = dir("v3.270.0", "v3.270.0");
    assert.equal(choose(d), `use ${d}/pulumi v3.270.0 with ${d}/pulumi-language-nodejs v3.270.0`);
  });

  it("uses a pulumi at exactly the SDK's version, and compares versions as numbers (3.1000 > 3.260)", function () {
    const exact = dir(SDK, SDK);
    assert.equal(choose(exact), `use ${exact}/pulumi ${SDK} with ${exact}/pulumi-language-nodejs ${SDK}`);
    const big = dir("v3.1000.0", "v3.1000.0");
    assert.match(choose(big), /^use .*v3\.1000\.0 with/);
  });

  it("builds its own when there is no pulumi, or an older one, and says so", function () {
    assert.equal(choose(), "build: no pulumi on PATH");
    const old = dir("v3.100.0", "v3.100.0");
    assert.equal(choose(old), `build: the pulumi on PATH (${old}/pulumi) is v3.100.0, older than the SDK's ${SDK}`);
  });

  it("builds its own when the newer pulumi has no fitting language host, naming what is missing", function () {
    const bare = dir("v3.270.0");
    assert.equal(choose(bare), `build: the pulumi on PATH (${bare}/pulumi, v3.270.0) has no pulumi-language-nodejs at ${SDK} or newer beside it or on PATH`);
    const oldHost = dir("v3.270.0", "v3.200.0");
    assert.match(choose(oldHost), /^build: .* has no pulumi-language-nodejs at v3\.260\.0 or newer/);
    const serving = dir("v3.270.0", "serves");
    assert.match(choose(serving), /^build: .* has no pulumi-language-nodejs/, "a host that does not answer -version does not fit");
  });

  it("takes a fitting Pulumi language host from elsewhere on PATH when the one beside the CLI is too old", function () {
    const cli = dir("v3.270.0", "v3.200.0");
    const host = dir(undefined, "v3.265.0");
    assert.equal(choose(host, cli), `use ${cli}/pulumi v3.270.0 with ${host}/pulumi-language-nodejs v3.265.0`);
  });
});
