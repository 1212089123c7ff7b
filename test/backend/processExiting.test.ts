// The harness's view of a container's first process as it ends (test/support/processes.ts): the
// init of a PID namespace whose command ended stays in do_exit, sleeping and not a zombie, until
// every other process of its namespace is reaped. Reproduced without Docker: a namespace's init
// ends while a process that nsenter put in the namespace is killed but not reaped (nsenter, its
// parent outside, is stopped). A `docker exec` returns 137 in that window while dockerd still says
// the container runs (test/backend/probeRestarting.test.ts once failed so in CI).
import { strict as assert } from "assert";
import { ChildProcess, spawn, execFileSync } from "child_process";
import { isAlive, isExiting, waitGone } from "../support/processes";
import { until } from "../support/until";

describe("a PID namespace's init that ended, while its namespace is not yet empty", function () {
  this.timeout(30_000);
  let init: ChildProcess | undefined;
  let entered: ChildProcess | undefined;

  after(function () {
    if (entered?.pid && isAlive(entered.pid)) process.kill(entered.pid, "SIGCONT");
    for (const p of [entered, init]) if (p?.pid && isAlive(p.pid)) p.kill("SIGKILL");
  });

  it("is alive and not a zombie, but exiting", async function () {
    // `unshare --pid --fork` forks the namespace's init: unshare's child, running sleep 2.
    init = spawn("unshare", ["--pid", "--fork", "sleep", "2"], { stdio: "ignore" });
    let nsInit = 0;
    await until("unshare has forked the namespace's init", 5_000, () => {
      const kids = execFileSync("ps", ["-o", "pid=", "--ppid", String(init!.pid)], { encoding: "utf8" }).trim();
      nsInit = Number(kids.split("\n")[0]);
      return nsInit > 0;
    });
    entered = spawn("nsenter", ["-t", String(nsInit), "--pid", "--", "sleep", "600"], { stdio: "ignore" });
    await until("nsenter's child runs in the namespace", 5_000, () => execFileSync("ps", ["-o", "pid=", "--ppid", String(entered!.pid)], { encoding: "utf8" }).trim() !== "");
    process.kill(entered.pid!, "SIGSTOP"); // it will not reap its child: the namespace stays non-empty

    assert.equal(isExiting(nsInit), false, "a running init is not exiting");
    await until("the init's command has ended (it is in do_exit)", 10_000, () => isExiting(nsInit));
    assert.equal(isAlive(nsInit), true, "neither zombie nor gone: what made a probe think the run still ran");

    process.kill(entered.pid!, "SIGCONT");
    assert.ok(await waitGone(nsInit, 10_000), "the init is gone once nsenter reaped its child");
  });
});
