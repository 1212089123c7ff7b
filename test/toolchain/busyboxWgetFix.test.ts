// setup's fix of busybox's `wget -T` (scripts/busyboxWgetFix.js): the "+" that makes -T a number
// written through a NULL pointer is removed from wget's getopt32 string, the complementary rules
// after it move left by one, and nothing outside that literal changes. Then against the host's
// Debian busybox-static (setup installs it): the patched copy takes -T without dying.
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ROOT } from "../support/paths";

const { fixWgetTimeoutOption } = require(path.join(ROOT, "scripts", "busyboxWgetFix.js")) as {
  fixWgetTimeoutOption(binary: Buffer): { patched: Buffer | undefined; reason: string };
};

const bytes = (s: string) => Buffer.from(s, "latin1");
// As in busybox 1.35's wget.c: short options, NUL, complementary rules, NUL; then the next string.
const WGET_OPTS = "^cqSO:o:P:Y:U:T:+t:n::\0-1:\xfe--\xfb:\xfe--\xfe:\xfb--\xfb:\xff::\0";
const FIXED_OPTS = "^cqSO:o:P:Y:U:T:t:n::\0-1:\xfe--\xfb:\xfe--\xfe:\xfb--\xfb:\xff::\0\0";

describe("setup's fix of busybox wget -T (scripts/busyboxWgetFix.js)", function () {
  it("drops the '+' of -T, moves the complementary rules left by one, and leaves every other byte", function () {
    const before = "\x7fELF..Connecting to %s\0";
    const after = "content-length\0transfer-encoding\0";
    const { patched, reason } = fixWgetTimeoutOption(bytes(before + WGET_OPTS + after));
    assert.ok(patched, reason);
    assert.equal(patched.toString("latin1"), before + FIXED_OPTS + after);
    assert.match(reason, /"\^cqSO:o:P:Y:U:T:\+t:n::" -> "\^cqSO:o:P:Y:U:T:t:n::"/);
  });

  it("leaves a binary without a numeric -T, or without wget, unchanged and says why", function () {
    const fixed = fixWgetTimeoutOption(bytes(`xx\0${FIXED_OPTS}yy`));
    assert.equal(fixed.patched, undefined);
    assert.match(fixed.reason, /declare no numeric -T/);
    const none = fixWgetTimeoutOption(bytes("no wget here\0"));
    assert.equal(none.patched, undefined);
    assert.match(none.reason, /no wget option string/);
  });

  it("refuses a binary where the string is ambiguous or not an option string", function () {
    assert.throws(() => fixWgetTimeoutOption(bytes(`${WGET_OPTS}${WGET_OPTS}`)), /appears 2 times/);
    assert.throws(() => fixWgetTimeoutOption(bytes("^cqSO: some text\0")), /is not one getopt32 string/);
  });

  it("the host's busybox, patched, takes wget -T and still parses the rest (Debian's busybox-static)", function () {
    assert.ok(fs.existsSync("/bin/busybox"), "/bin/busybox is missing: npm run setup installs Debian's busybox-static");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dcos-vnet-busybox-"));
    try {
      // busybox picks the applet by its file name, so the copy is called busybox.
      const copy = path.join(dir, "busybox");
      const { patched, reason } = fixWgetTimeoutOption(fs.readFileSync("/bin/busybox"));
      const help = spawnSync("/bin/busybox", ["wget", "--help"], { encoding: "utf8" });
      const hasTimeout = `${help.stdout}${help.stderr}`.includes("-T SEC");
      assert.ok(patched || hasTimeout, `the host's busybox has no timeout support and could not be patched: ${reason}`);
      fs.writeFileSync(copy, patched ?? fs.readFileSync("/bin/busybox"), { mode: 0o755 });
      const withT = spawnSync(copy, ["wget", "-T", "1", "-q", "-O", "/dev/null", "bogus://x"], { encoding: "utf8", timeout: 10_000 });
      assert.equal(withT.signal, null, `wget -T died on ${withT.signal}`);
      assert.equal(withT.status, 1);
      assert.match(withT.stderr, /not an http or ftp url: bogus:\/\/x/);
      // The complementary rules still hold: at least one URL ("-1").
      const noUrl = spawnSync(copy, ["wget", "-T", "1"], { encoding: "utf8", timeout: 10_000 });
      assert.equal(noUrl.signal, null);
      assert.match(noUrl.stderr, /Usage: wget/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
