// The seed's promise: examples/seed-app/app.json, the seed's definition unchanged (legacy ipAddress
// form, docker network USER), passes preview and runs with `pulumi up` on network dcos-1; its
// container sees its own address inside the Docker half of its agent's block, and runs with the
// resources the definition asks for.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { createTestStack, TestStack } from "../support/pulumi";
import { ROOT } from "../support/paths";
import { engine, requireDocker } from "../support/docker";
import { dockerExec, inCidr } from "../support/net";

/** The seed document's app definition, every field and value (examples/seed-app/app.json must equal it). */
const SEED_DEFINITION = {
  id: "my-networking",
  cmd: "env; ip -o addr; sleep 30",
  cpus: 0.1,
  mem: 64,
  instances: 1,
  backoffFactor: 1.14472988585,
  backoffSeconds: 5,
  ipAddress: { networkName: "dcos-1" },
  container: {
    type: "DOCKER",
    docker: { network: "USER", image: "busybox", portMappings: [{ containerPort: 123, servicePort: 80, name: "foo" }] },
  },
};

describe("the seed app (examples/seed-app/app.json, the seed's definition unchanged)", function () {
  let t: TestStack;

  before(async function () {
    // On the tests' private engine: the user's own dcos-1 (their dev stack) may be up meanwhile.
    await requireDocker();
    t = await createTestStack("seed", {
      cluster: { agents: ["agent-1", "agent-2"] },
      networks: [{ name: "dcos-1", subnet: "9.230.0.0/16", prefix: 24 }],
      apps: [{ file: "examples/seed-app/app.json" }],
    });
  });

  after(async function () {
    if (t) await t.dispose();
  });

  it("is the seed's definition, every field with the same value (legacy ipAddress dcos-1, docker network USER, port foo 123/80)", function () {
    const app = JSON.parse(fs.readFileSync(path.join(ROOT, "examples/seed-app/app.json"), "utf8"));
    assert.deepStrictEqual(app, SEED_DEFINITION);
  });

  it("passes preview", async function () {
    const preview = await t.stack.preview();
    assert.equal(preview.changeSummary.create, 5, JSON.stringify(preview.changeSummary)); // stack, cluster component, vnet, docker net, app
  });

  it("runs with up: its container's own address lies in the Docker half of its agent's block", async function () {
    const res = await t.stack.up();
    const app = res.outputs.marathonApps.value["/my-networking"];
    const vnet = res.outputs.virtualNetworks.value["dcos-1"];
    assert.equal(app.network, "dcos-1");
    assert.equal(app.instances.length, 1);
    const inst = app.instances[0];
    const dockerHalf = vnet.agentSubnets[inst.agent].docker;
    assert.ok(inCidr(inst.ip, dockerHalf), `${inst.ip} in ${dockerHalf}`);

    const addr = await dockerExec(inst.container, "ip -o addr");
    const eth0 = addr.out.split("\n").find((l) => / eth0 +inet /.test(l));
    assert.ok(eth0, addr.out);
    const seen = eth0.replace(/.* inet (\S+)\/\d+ .*/, "$1");
    assert.equal(seen, inst.ip);
    assert.ok(inCidr(seen, dockerHalf));

    const env = await dockerExec(inst.container, "env");
    assert.match(env.out, /^MARATHON_APP_ID=\/my-networking$/m);
    assert.match(env.out, /^PORT_FOO=123$/m);
    assert.match(env.out, new RegExp(`^HOST=${inst.agent}$`, "m"));
    assert.deepEqual(app.servicePorts, [80]);

    // cpus and mem are enforced as limits (a CFS quota of 0.1 CPU, 64 MiB of memory); a task that
    // ends is started again by Docker's restart policy (see examples/seed-app/README.md).
    const container = await engine.getContainer(inst.container).inspect();
    assert.equal(container.HostConfig.NanoCpus, 0.1e9);
    assert.equal(container.HostConfig.Memory, 64 * 2 ** 20);
    assert.equal(container.HostConfig.RestartPolicy?.Name, "unless-stopped");
  });
});
