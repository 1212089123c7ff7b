// Releases of endpoints (a container's removal, stop or disconnect) go one at a time per network
// of an engine, because dockerd loses count of a network's endpoints when several are released at
// once (endpointRelease.ts; on the real engine: removeNetworkUnderLoad.test.ts). Scripted releases
// here record what overlapped; no engine is asked anything.
import { strict as assert } from "assert";
import { releasingEndpoints } from "../../src/backends/docker/endpointRelease";

/** Releases that record, per network, how many ran at once at most. */
function recorder() {
  const running = new Map<string, number>();
  const most = new Map<string, number>();
  const release = (networks: string[], order: string[], tag: string) =>
    releasingEndpoints(networks, async () => {
      for (const n of networks) {
        running.set(n, (running.get(n) ?? 0) + 1);
        most.set(n, Math.max(most.get(n) ?? 0, running.get(n)!));
      }
      order.push(`${tag} in`);
      await new Promise((resolve) => setTimeout(resolve, 5));
      order.push(`${tag} out`);
      for (const n of networks) running.set(n, running.get(n)! - 1);
      return tag;
    });
  return { release, most };
}

describe("endpoint releases, one at a time per network", function () {
  it("never runs two releases on one network at once, and returns each one's result", async function () {
    const r = recorder();
    const order: string[] = [];
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => r.release(["shop-1"], order, `c${i}`)));
    assert.deepEqual(results, Array.from({ length: 20 }, (_, i) => `c${i}`));
    assert.equal(r.most.get("shop-1"), 1);
    assert.deepEqual(order.slice(0, 4), ["c0 in", "c0 out", "c1 in", "c1 out"], "in the order asked");
  });

  it("runs releases on different networks at once", async function () {
    const r = recorder();
    const order: string[] = [];
    await Promise.all([r.release(["shop-1"], order, "a"), r.release(["shop-2"], order, "b")]);
    assert.deepEqual(order, ["a in", "b in", "a out", "b out"]);
  });

  it("takes a container's several networks in one order: two containers on the same two networks never wait for each other forever", async function () {
    const r = recorder();
    const order: string[] = [];
    await Promise.all([
      r.release(["shop-1", "shop-2"], order, "x"),
      r.release(["shop-2", "shop-1"], order, "y"),
      r.release(["shop-2"], order, "z"),
    ]);
    assert.equal(r.most.get("shop-1"), 1);
    assert.equal(r.most.get("shop-2"), 1);
    assert.equal(order.length, 6);
  });

  it("lets the next release go when one fails", async function () {
    const failing = releasingEndpoints(["shop-3"], async () => {
      throw new Error("engine said no");
    });
    await assert.rejects(failing, /engine said no/);
    assert.equal(await releasingEndpoints(["shop-3"], async () => "next"), "next");
  });

  it("keeps releases on one network name apart per engine", async function () {
    const order: string[] = [];
    const on = (host: string, tag: string) => {
      const was = process.env.DOCKER_HOST;
      process.env.DOCKER_HOST = host;
      try {
        return releasingEndpoints(["shop-1"], async () => {
          order.push(`${tag} in`);
          await new Promise((resolve) => setTimeout(resolve, 5));
          order.push(`${tag} out`);
        });
      } finally {
        process.env.DOCKER_HOST = was;
      }
    };
    await Promise.all([on("unix:///tmp/a.sock", "a"), on("unix:///tmp/b.sock", "b")]);
    assert.deepEqual(order, ["a in", "b in", "a out", "b out"]);
  });
});
