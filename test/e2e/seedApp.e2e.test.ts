// The seed's promise, verbatim: examples/seed-app/app.json (legacy ipAddress form, docker network
// USER) passes preview and runs with `pulumi up` on network dcos-1, and its container sees its own
// address inside the Docker half of its agent's block.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { createTestStack, TestStack } from "../support/pulumi";
import { ROOT } from "../support/paths";
import { requireDocker } from "../support/docker";
import { dockerExec, inCidr } from "../support/net";

describe("the seed app (examples/seed-app/app.json, verbatim)", function () {
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

  it("is the seed's definition: legacy ipAddress.networkName dcos-1, docker network USER, port foo 123/80", function () {
    const app = JSON.parse(fs.readFileSync(path.join(ROOT, "examples/seed-app/app.json"), "utf8"));
    assert.equal(app.id, "my-networking");
    assert.deepEqual(app.ipAddress, { networkName: "dcos-1" });
    assert.equal(app.container.docker.network, "USER");
    assert.deepEqual(app.container.docker.portMappings, [{ containerPort: 123, servicePort: 80, name: "foo" }]);
  });

  it("passes preview", async function () {
    const preview = await t.stack.preview();
    assert.equal(preview.changeSummary.create, 4, JSON.stringify(preview.changeSummary)); // stack, vnet, docker net, app
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
  });
});
