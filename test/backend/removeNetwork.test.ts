// Removing a network: a container still attached stops it at once, named with whose it is and
// what to do; the engine's refusal while it is still counting endpoints of containers already
// removed (403 "has active endpoints") is asked again, bounded. The engine's answers are scripted
// here (the real engine under load: removeNetworkUnderLoad.test.ts; foreign containers:
// removeNetworkAttached.test.ts); the removal is the one every network of ours goes through
// (removeNetwork, and removeOverlay for a swarm overlay).
import { strict as assert } from "assert";
import { AttachedContainer, hasActiveEndpoints, removeOnceReleased } from "../../src/backends/docker/networkRemoval";
import { Owner, ownerLabels } from "../../src/core/local/dockerNetworkSpec";

const owner: Owner = { project: "dcos-vnet", stack: "dev" };
const engineError = (status: number, message: string) => Object.assign(new Error(message), { statusCode: status });
const ACTIVE = () => engineError(403, "(HTTP code 403) unexpected - error while removing network: network shared-u7xz id cad1 has active endpoints");
const shell: AttachedContainer = { id: "0123456789abcdef0123", name: "someones-debug-shell", labels: {}, state: "running" };

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

/** Attached containers as the engine lists them on each ask, the last answer repeated. */
function listing(...answers: AttachedContainer[][]) {
  return async () => (answers.length > 1 ? answers.shift()! : answers[0]);
}

describe("removing a network whose removed containers' endpoints are still being released", function () {
  it("asks again while no container is attached, and the network goes", async function () {
    const s = scripted(ACTIVE(), ACTIVE());
    await removeOnceReleased("shared-u7xz", owner, s.remove, listing([]), { boundMs: 5_000, pollMs: 1 });
    assert.equal(s.calls.n, 3);
  });

  it("names a container attached before the removal at once, and asks nothing", async function () {
    const s = scripted();
    await assert.rejects(
      removeOnceReleased("shared-u7xz", owner, s.remove, listing([shell]), { boundMs: 5_000, pollMs: 1 }),
      /Docker network "shared-u7xz" was not removed: 1 container is still attached to it, and it was left as it is\. Container "someones-debug-shell" \(id 0123456789ab, running\) is not managed by this stack/,
    );
    assert.equal(s.calls.n, 0);
  });

  it("names a container attached while the engine refused, and asks no more", async function () {
    const s = scripted(ACTIVE(), ACTIVE());
    await assert.rejects(
      removeOnceReleased("shared-u7xz", owner, s.remove, listing([], [shell]), { boundMs: 5_000, pollMs: 1 }),
      /Container "someones-debug-shell" \(id 0123456789ab, running\) is not managed by this stack/,
    );
    assert.equal(s.calls.n, 1);
  });

  it("gives up after its bound, saying no container is attached, with the engine's words", async function () {
    const s = scripted(...Array.from({ length: 1000 }, ACTIVE));
    await assert.rejects(
      removeOnceReleased("shared-u7xz", owner, s.remove, listing([]), { boundMs: 20, pollMs: 1 }),
      /Docker network "shared-u7xz" was not removed: no container is attached to it, but after 0\.02 s the engine still refuses \(.*has active endpoints\)\. dockerd.s count of the network.s endpoints is wrong .* restart dockerd \(e\.g\. sudo systemctl restart docker\), then run the same pulumi command again\./,
    );
    assert.ok(s.calls.n >= 2, `asked again before giving up (${s.calls.n})`);
  });

  it("asks again on the refusals given as the same (a swarm overlay's 'in use by task')", async function () {
    const s = scripted(engineError(403, "rpc error: code = FailedPrecondition desc = network x is in use by task abc"));
    await removeOnceReleased("x", owner, s.remove, listing([]), { boundMs: 5_000, pollMs: 1, releasing: (e) => /is in use by task/.test(String(e)) });
    assert.equal(s.calls.n, 2);
  });

  it("gives up on a swarm overlay's 'in use by task' after its bound without the dockerd advice", async function () {
    const inUse = () => engineError(403, "network x is in use by task abc");
    const s = scripted(...Array.from({ length: 1000 }, inUse));
    const releasing = (e: unknown) => /is in use by task/.test(String(e));
    await assert.rejects(
      removeOnceReleased("x", owner, s.remove, listing([]), { boundMs: 20, pollMs: 1, releasing }),
      (err: Error) => /after 0\.02 s the engine still refuses \(network x is in use by task abc\)\. Run the same pulumi command again once the engine has released it\.$/.test(err.message) && !/dockerd/.test(err.message),
    );
  });

  it("throws any other failure at once", async function () {
    for (const err of [engineError(404, "no such network"), engineError(500, "server error"), engineError(403, "forbidden: something else")]) {
      const s = scripted(err);
      await assert.rejects(removeOnceReleased("n", owner, s.remove, listing([]), { boundMs: 5_000, pollMs: 1 }));
      assert.equal(s.calls.n, 1, err.message);
      assert.equal(hasActiveEndpoints(err), false);
    }
    assert.equal(hasActiveEndpoints(ACTIVE()), true);
  });
});

describe("the message naming the containers still attached to a network", function () {
  const fail = (attached: AttachedContainer[]) => removeOnceReleased("shop-1", owner, scripted().remove, listing(attached)).then(
    () => assert.fail("the removal went on"),
    (err: Error) => err.message,
  );

  it("a container without our labels: named by name and id as not this stack's, with the commands to disconnect or remove it", async function () {
    const message = await fail([{ ...shell, name: "debug", state: "exited" }]);
    assert.match(message, /Container "debug" \(id 0123456789ab, exited\) is not managed by this stack \(it has no pulumi-dcos-vnet ownership labels\)/);
    assert.match(message, /disconnect it \(docker network disconnect shop-1 debug\), or remove it \(docker rm -f debug\) if it is yours to remove\./);
    assert.match(message, /Then run the same pulumi command again\.$/);
    assert.doesNotMatch(message, /apps? on it/);
  });

  it("another stack's container: the stack and its app named, not this stack's", async function () {
    const labels = { ...ownerLabels({ project: "dcos-vnet", stack: "team-b" }), "io.dcos-vnet.app": "/from-b" };
    const message = await fail([{ id: "fedcba9876543210", name: "team-b.from-b.0", labels, state: "running" }]);
    assert.match(message, /Container "team-b\.from-b\.0" \(id fedcba987654, running\) belongs to project "dcos-vnet" stack "team-b" \(app \/from-b\), not to this stack: disconnect it \(docker network disconnect shop-1 team-b\.from-b\.0\), or remove it from stack "team-b"\./);
  });

  it("this stack's container no resource holds: its app named, and removing it is the way", async function () {
    const labels = { ...ownerLabels(owner), "io.dcos-vnet.app": "/web" };
    const message = await fail([{ id: "aaaabbbbccccdddd", name: "dev.web.0", labels, state: "running" }, shell]);
    assert.match(message, /^Docker network "shop-1" was not removed: 2 containers are still attached to it, and they were left as they are\./);
    assert.match(message, /Container "dev\.web\.0" \(id aaaabbbbcccc, running\) is this stack's \(app \/web\), but no resource in the stack's state holds it any more \(left by an interrupted run\): remove it \(docker rm -f dev\.web\.0\)\./);
    assert.match(message, /Container "someones-debug-shell" \(id 0123456789ab, running\) is not managed by this stack/);
  });
});
