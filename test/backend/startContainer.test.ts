// Starting a container when a swarm manager hands out its overlay attachment too late: the engine's
// 500 "attaching to network failed … context deadline exceeded" leaves the container created, and
// the start is asked again (at most 3 times in all); any other failure is thrown at once. The
// engine's answers are scripted here (a real manager cannot be made late on demand); the start
// itself is the one every container of ours goes through (runContainer, restartContainer).
import { strict as assert } from "assert";
import { attachmentTimedOut, startContainer } from "../../src/backends/docker/containers";

const engineError = (status: number, message: string) => Object.assign(new Error(message), { statusCode: status });
const LATE = () => engineError(500, "(HTTP code 500) server error - attaching to network failed, make sure your network options are correct and check manager logs: context deadline exceeded");

/** A start that fails with each scripted error in turn, then succeeds; counts its calls. */
function scripted(...failures: Error[]) {
  const calls = { n: 0 };
  const start = async () => {
    calls.n++;
    const err = failures.shift();
    if (err) throw err;
  };
  return { calls, start };
}

describe("startContainer: a swarm overlay attachment handed out too late", function () {
  it("asks again after a late attachment, and the container starts", async function () {
    const s = scripted(LATE(), LATE());
    await startContainer("t.web.1", s.start);
    assert.equal(s.calls.n, 3);
  });

  it("gives up after 3 tries with the engine's words and the container's name", async function () {
    const s = scripted(LATE(), LATE(), LATE(), LATE());
    await assert.rejects(startContainer("t.web.1", s.start), /failed to start container t\.web\.1: .*attaching to network failed.*context deadline exceeded/);
    assert.equal(s.calls.n, 3);
  });

  it("throws any other failure at once (an address in use, a missing network, a 500 of another kind)", async function () {
    for (const err of [
      engineError(500, "(HTTP code 500) server error - Address already in use"),
      engineError(404, "(HTTP code 404) no such container - network abc not found"),
      engineError(500, "(HTTP code 500) server error - context deadline exceeded"),
    ]) {
      const s = scripted(err);
      await assert.rejects(startContainer("t.web.1", s.start));
      assert.equal(s.calls.n, 1, err.message);
    }
  });

  it("tells the late attachment by both of the engine's phrases", function () {
    assert.equal(attachmentTimedOut(LATE()), true);
    assert.equal(attachmentTimedOut(engineError(500, "attaching to network failed: invalid pool request")), false);
    assert.equal(attachmentTimedOut(undefined), false);
  });
});
