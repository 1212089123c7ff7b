// A pod's container image that is only in a registry (Debian's docker-registry on loopback, in the
// private engine's network namespace) is pulled before the pod's instance starts, as an app's
// image is; the container then runs that image in the pod's network namespace.
import { strict as assert } from "assert";
import { createTestStack, TestStack } from "../support/pulumi";
import { engine, requireDocker, run } from "../support/docker";
import { dockerExec } from "../support/net";
import { LoopbackRegistry, startLoopbackRegistry } from "../support/loopbackRegistry";
import { providersInState } from "../support/project";

const suffix = Math.random().toString(36).slice(2, 6);
const net = `podimg-${suffix}`;

describe("a pod container's image pulled from a registry on loopback", function () {
  let registry: LoopbackRegistry;
  let t: TestStack;
  let image: string;

  before(async function () {
    const docker = await requireDocker();
    registry = await startLoopbackRegistry(docker);
    // Our own image in the registry only: busybox with a marker file, pushed, then removed from the engine.
    image = `${registry.host}/pods/side-${suffix}:v1`;
    const builder = `podimg-builder-${suffix}`;
    await run("docker", ["run", "--name", builder, "--label", "io.dcos-vnet.test=image-builder", "busybox:latest", "sh", "-c", `echo side-${suffix} > /marker`]);
    await run("docker", ["commit", builder, image]);
    await run("docker", ["rm", "-f", builder]);
    await run("docker", ["push", image]);
    await run("docker", ["rmi", image]);
    t = await createTestStack("podimg", {
      cluster: { agents: ["agent-1"] },
      networks: [{ name: net, subnet: "9.248.0.0/16", prefix: 24 }],
      pods: [{
        pod: {
          id: "/img/pod",
          networks: [{ mode: "container", name: net }],
          containers: [
            { name: "main", resources: { cpus: 0.1, mem: 16 }, exec: { command: { shell: "mkdir -p /www && echo main > /www/index.html && exec httpd -f -p 8080 -h /www" } }, endpoints: [{ name: "http", containerPort: 8080 }] },
            { name: "side", resources: { cpus: 0.1, mem: 16 }, image: { kind: "DOCKER", id: image }, exec: { command: { shell: "exec sleep 3600" } } },
          ],
        },
      }],
    });
  });

  after(async function () {
    try {
      if (t) await t.dispose();
    } finally {
      if (registry) await registry.stop();
    }
  });

  it("is absent from the engine before up, pulled by up, and runs in the pod's network namespace", async function () {
    await assert.rejects(engine.getImage(image).inspect(), /no such image/i);
    const outputs = (await t.stack.up()).outputs;
    const [instance] = outputs.marathonPods.value["/img/pod"].instances;
    const side = `${instance.container}.side`;
    assert.equal((await engine.getContainer(side).inspect()).Config.Image, image);
    const marker = await dockerExec(side, "cat /marker");
    assert.equal(marker.out.trim(), `side-${suffix}`);
    // Same network namespace: main's port answers on the side container's localhost.
    const local = await dockerExec(side, "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 2 127.0.0.1 8080");
    assert.match(local.out, /200 OK[\s\S]*main/);
  });

  it("keeps in the pod's state a provider that is one require of the package's MarathonPod handle", async function () {
    const pods = (await providersInState(t.stack)).filter((p) => p.type.endsWith(":MarathonPod"));
    assert.equal(pods.length, 1);
    assert.match(pods[0].provider, /require\("pulumi-dcos-vnet\/handles\/MarathonPod"\)/);
    assert.ok(pods[0].provider.length <= 1024, `${pods[0].provider.length} bytes`);
  });
});
