// Removing a network right after its containers: dockerd releases a removed container's endpoint
// asynchronously, and refuses the removal meanwhile (403 "has active endpoints"; seen in CI, in the
// races fault test's destroy after 50 containers went at once). The removal is asked again,
// bounded, while the endpoints it lists are of containers that no longer exist; a container that
// exists is named at once. The engine's answers are scripted here: the release cannot be made
// slow on demand; the removal itself is the one every network of ours goes through (removeNetwork).
import { strict as assert } from "assert";
import { hasActiveEndpoints, removeOnceReleased } from "../../src/backends/docker/networks";

const engineError = (status: number, message: string) => Object.assign(new Error(message), { statusCode: status });
const ACTIVE = () => engineError(403, "(HTTP code 403) unexpected - error while removing network: network shared-u7xz id cad1 has active endpoints");

/** A removal that fails with each scripted error in turn, then succeeds; counts its calls. */
function scripted(...failures: Error[]) {
  const calls = { n: 0 };
  const remove = async () => {
    calls.n++;
    const err = failures.shift();
    if (err) throw err;
  };
  return { calls, remove };
}

describe("removing a network whose removed containers' endpoints are still being released", function () {
  it("asks again while only removed containers' endpoints are listed, and the network goes", async function () {
    const s = scripted(ACTIVE(), ACTIVE());
    await removeOnceReleased("shared-u7xz", s.remove, async () => [], 5_000, 1);
    assert.equal(s.calls.n, 3);
  });

  it("names a container that still exists at once, says it is not the stack's app, and asks no more", async function () {
    const s = scripted(ACTIVE(), ACTIVE());
    await assert.rejects(
      removeOnceReleased("shared-u7xz", s.remove, async () => ["someones-debug-shell"], 5_000, 1),
      /Docker network "shared-u7xz" still has container\(s\) attached that are not this stack's apps: someones-debug-shell\. Disconnect or remove them/,
    );
    assert.equal(s.calls.n, 1);
  });

  it("gives up after its bound with the engine's words", async function () {
    const s = scripted(...Array.from({ length: 1000 }, ACTIVE));
    await assert.rejects(removeOnceReleased("shared-u7xz", s.remove, async () => [], 20, 1), /still lists endpoints of removed containers after 0\.02 s: .*has active endpoints/);
    assert.ok(s.calls.n >= 2, `asked again before giving up (${s.calls.n})`);
  });

  it("throws any other failure at once", async function () {
    for (const err of [engineError(404, "no such network"), engineError(500, "server error"), engineError(403, "forbidden: something else")]) {
      const s = scripted(err);
      await assert.rejects(removeOnceReleased("n", s.remove, async () => [], 5_000, 1));
      assert.equal(s.calls.n, 1, err.message);
      assert.equal(hasActiveEndpoints(err), false);
    }
    assert.equal(hasActiveEndpoints(ACTIVE()), true);
  });
});
