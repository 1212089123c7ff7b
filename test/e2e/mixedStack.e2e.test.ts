// The committed `mixed` stack (Pulumi.mixed.yaml, examples/mixed) brought up as it is, each piece
// reached with real packets: the host-mode app at agent-1's address and its fixed port, the
// bridge-mode app at agent-2's address and its hostPort, the overlay app's 3 health-checked
// instances behind the VIP name on port 80 and by their DNS name, the pod's main container at the
// pod IP and its sidecar (which fetched main on localhost) by the pod's DNS name. The overlay pieces
// are reached from the stack's own client app; host and bridge from a client on the host network,
// and from the overlay client too, as the README shows (agentRoutes.e2e.test.ts tests the routes).
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { createTestStack, TestStack } from "../support/pulumi";
import { requireAgentImage, requireDocker, run } from "../support/docker";
import { getUntil, httpGet, removeContainers, startClient } from "../support/net";
import { PROJECT, ROOT } from "../support/paths";

/** Pulumi.mixed.yaml's config, keys without the project prefix, as createTestStack takes it. */
function mixedConfig(): Record<string, unknown> {
  const file = yaml.load(fs.readFileSync(path.join(ROOT, "Pulumi.mixed.yaml"), "utf8")) as { config: Record<string, unknown> };
  return Object.fromEntries(Object.entries(file.config).map(([k, v]) => [k.replace(`${PROJECT}:`, ""), v]));
}

describe("the mixed stack: host, bridge, overlay behind a VIP, pod, client (real packets)", function () {
  let t: TestStack;
  let outputs: any;
  const suffix = Math.random().toString(36).slice(2, 6);
  const hostClient = `client-mixed-${suffix}`;
  const client = () => `${t.name}.mixed.client.0`;

  before(async function () {
    await requireDocker();
    // The agents' image, built in the tests' engine itself (busybox + the host's iptables).
    await requireAgentImage();
    t = await createTestStack("mixed", mixedConfig());
    outputs = (await t.stack.up()).outputs;
    // A client on the host network, at the top of the bridge tasks' half (they take its lowest addresses).
    await startClient(hostClient, `${t.name}-host`, "172.16.1.254");
  });

  after(async function () {
    await removeContainers(hostClient);
    if (t) await t.dispose();
  });

  it("gives the two agents the lowest addresses of hostSubnet 172.16.1.0/24", function () {
    const agents = outputs.hostNetwork.value.agents;
    assert.equal(outputs.hostNetwork.value.subnet, "172.16.1.0/24");
    assert.equal(agents["agent-1"].ip, "172.16.1.2");
    assert.equal(agents["agent-2"].ip, "172.16.1.3");
  });

  it("serves the host-mode app at agent-1's address on its fixed port 7070", async function () {
    const out = await httpGet(hostClient, "172.16.1.2", 7070);
    assert.match(out, /hostweb \(host mode\) at 172\.16\.1\.2:7070/);
  });

  it("publishes the bridge-mode app at agent-2's address on hostPort 8088", async function () {
    const out = await httpGet(hostClient, "172.16.1.3", 8088);
    assert.match(out, /echo \(bridge mode\) published at 172\.16\.1\.3:8088/);
  });

  it("lets the overlay client reach the host and bridge tasks at their agents' addresses", async function () {
    assert.match(await httpGet(client(), "172.16.1.2", 7070), /hostweb \(host mode\) at 172\.16\.1\.2:7070/);
    assert.match(await httpGet(client(), "172.16.1.3", 8088), /echo \(bridge mode\) published at 172\.16\.1\.3:8088/);
  });

  it("runs the overlay app's 3 instances healthy, and its VIP on port 80 reaches each of them", async function () {
    for (let i = 0; i < 3; i++) {
      const health = (await run("docker", ["inspect", "-f", "{{.State.Health.Status}}", `${t.name}.mixed.web.${i}`])).stdout.trim();
      assert.equal(health, "healthy", `${t.name}.mixed.web.${i}`);
    }
    const seen = new Set<string>();
    for (let i = 0; i < 9 && seen.size < 3; i++) {
      const out = await httpGet(client(), "mixedweb.marathon.l4lb.thisdcos.directory", 80);
      const m = /web (\S+)/.exec(out);
      assert.ok(m, `no answer through the VIP: ${out}`);
      seen.add(m[1]);
    }
    assert.deepEqual([...seen].sort(), [0, 1, 2].map((i) => `mixed.web.instance-${t.name}.mixed.web.${i}`));
  });

  it("reaches the overlay app by its DNS name on its container port", async function () {
    assert.match(await httpGet(client(), "web.mixed.marathon.mesos", 8080), /web mixed\.web\.instance-/);
  });

  it("reaches the pod's main container at the pod IP, and its sidecar (main's page fetched on localhost) by name", async function () {
    const pod = outputs.marathonPods.value["/mixed/cart"].instances[0];
    assert.equal(pod.ip, "9.50.0.2");
    assert.match(await httpGet(client(), pod.ip, 8080), /cart mixed\.cart\.instance-.*\.main/);
    const seen = await getUntil(client(), "cart.mixed.marathon.mesos", 9090, "/seen.txt", /cart mixed\.cart\.instance-/, 20);
    assert.match(seen, /HTTP\/1\.1 200 OK[\s\S]*cart mixed\.cart\.instance-.*\.main/);
  });
});
