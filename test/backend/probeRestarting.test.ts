// The tests' probe into a container (test/support/net.ts dockerExec) when Docker restarts that
// container, as it restarts an app whose command ends (the seed app's, every 30 s): the probe waits
// until the container runs and runs again if the container restarted under it, so its result is
// that of a container that ran throughout. A probe is retried this way; an assertion never is.
import { strict as assert } from "assert";
import { randomBytes } from "crypto";
import { engine, requireDocker, run } from "../support/docker";
import { dockerExec, removeContainers } from "../support/net";

const suffix = randomBytes(3).toString("hex");

/** A container whose first `endings` runs end after `seconds` s; Docker restarts it; the next run stays up. */
async function startEnding(name: string, endings: number, seconds: number): Promise<void> {
  const script = `n=$(cat /runs 2>/dev/null || echo 0); echo $((n + 1)) > /runs; [ "$n" -ge ${endings} ] && exec sleep 600; sleep ${seconds}`;
  await run("docker", ["run", "-d", "--name", name, "--label", "io.dcos-vnet.test=probe", "--restart", "unless-stopped", "busybox", "sh", "-c", script]);
}

async function restartsOf(name: string): Promise<number> {
  return (await engine.getContainer(name).inspect()).RestartCount;
}

describe("a probe into a container that Docker restarts (dockerExec)", function () {
  this.timeout(120_000);
  const ending = `probe-ending-${suffix}`;
  const failing = `probe-failing-${suffix}`;

  before(async function () {
    await requireDocker();
  });

  after(async function () {
    await removeContainers(ending, failing);
  });

  it("runs again in the container's next run when the container's command ended during it", async function () {
    await startEnding(ending, 1, 2);
    const probe = await dockerExec(ending, "sleep 4; cat /runs");
    assert.deepEqual(probe, { code: 0, out: "2\n" }, "the probe's answer, from the container's second run");
    assert.equal(await restartsOf(ending), 1, "precondition: Docker restarted the container once, during the probe");
  });

  it("waits until a container that Docker is restarting runs", async function () {
    // Five runs that end at once: Docker waits 0.1, 0.2, 0.4, 0.8 and 1.6 s before the next.
    await startEnding(failing, 5, 0);
    // The probe takes a second: no run that ends at once can answer it.
    const probe = await dockerExec(failing, "sleep 1; cat /runs");
    assert.deepEqual(probe, { code: 0, out: "6\n" }, "the probe's answer, from the run that stays up");
    assert.equal(await restartsOf(failing), 5, "precondition: Docker restarted the container five times");
  });
});
