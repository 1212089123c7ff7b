// Images pulled as Mesos' Docker containerizer pulls them, from a real registry: Debian's
// docker-registry (distribution 2.8) on 127.0.0.1 inside the private engine's network namespace,
// holding images this test builds and pushes there itself, then removes from the engine. An app
// whose image is only in the registry starts after a pull; a wrong tag, a wrong password and a
// registry nobody listens on fail `up` with the image, the registry and the reason, and create
// nothing; credentials come from a docker config in the secret that pullConfig names and stay out
// of the state in plaintext; forcePullImage picks up a tag that moved.
import { strict as assert } from "assert";
import type Docker from "dockerode";
import { createTestStack, resourcesOfType, TestStack } from "../support/pulumi";
import { engine, requireDocker } from "../support/docker";
import { dockerExec } from "../support/net";
import { PrivateEngine } from "../support/privateEngine";
import { LoopbackRegistry, startLoopbackRegistry } from "../support/loopbackRegistry";

const suffix = Math.random().toString(36).slice(2, 6);
const net = `img-${suffix}`;
const USER = "puller";
const PASSWORD = `right-${suffix}-pw`;

async function follow(client: Docker, stream: NodeJS.ReadableStream): Promise<void> {
  await new Promise<void>((resolve, reject) => client.modem.followProgress(stream, (err: Error | null) => (err ? reject(err) : resolve())));
}

/**
 * An image of our own, `content` in /version, pushed as `ref` (registry/repo:tag) and then
 * removed from the engine, so only the registry has it. Returns the image id the engine gave it.
 */
async function pushOwnImage(client: Docker, ref: string, content: string, auth?: { username: string; password: string; serveraddress: string }): Promise<string> {
  const builder = await client.createContainer({ Image: "busybox:latest", Cmd: ["sh", "-c", `echo ${content} > /version`], Labels: { "io.dcos-vnet.test": "image-builder" } });
  await builder.start();
  await builder.wait();
  const [repo, tag] = [ref.slice(0, ref.lastIndexOf(":")), ref.slice(ref.lastIndexOf(":") + 1)];
  const committed: any = await builder.commit({ repo, tag, changes: 'CMD ["sh"]' });
  await builder.remove({ force: true });
  await follow(client, (await client.getImage(ref).push({ tag, ...(auth ? { authconfig: auth } : {}) } as any)) as unknown as NodeJS.ReadableStream);
  await client.getImage(ref).remove();
  return committed.Id;
}

async function imageIdOf(ref: string): Promise<string | undefined> {
  try {
    return (await engine.getImage(ref).inspect()).Id;
  } catch {
    return undefined;
  }
}

describe("images pulled from a registry on loopback (docker-registry 2.8), as the Docker containerizer pulls", function () {
  let docker: PrivateEngine;
  let open: LoopbackRegistry;
  let locked: LoopbackRegistry;
  let t: TestStack;
  let v1: string;
  let secrets: Record<string, unknown>;
  let apps: Record<string, unknown>[] = [];

  const dockerApp = (id: string, image: string, extra: Record<string, unknown> = {}) => ({
    app: {
      id, cmd: "cat /version; exec sleep 3600", instances: 1, cpus: 0.05, mem: 16,
      container: { type: "DOCKER", docker: { image, ...extra } },
      networks: [{ mode: "container", name: net }],
    },
  });
  /** Marathon takes pullConfig on a MESOS (UCR) container's Docker image, never with DOCKER. */
  const privateApp = (id: string, image: string, secretSource?: string) => ({
    app: {
      id, cmd: "cat /version; exec sleep 3600", instances: 1, cpus: 0.05, mem: 16,
      container: { type: "MESOS", docker: { image, ...(secretSource ? { pullConfig: { secret: "pull" } } : {}) } },
      ...(secretSource ? { secrets: { pull: { source: secretSource } } } : {}),
      networks: [{ mode: "container", name: net }],
    },
  });
  const config = (extra: Record<string, unknown>[] = []) => ({
    cluster: { agents: ["agent-1", "agent-2"] },
    networks: [{ name: net, subnet: "9.252.0.0/16", prefix: 24 }],
    apps: [...apps, ...extra],
    ...(secrets ? { secrets } : {}),
  });
  const dockerConfig = (password: string) =>
    JSON.stringify({ auths: { [locked.host]: { auth: Buffer.from(`${USER}:${password}`).toString("base64") } } });

  /** `up` must fail; nothing of app `id` exists afterwards, neither a container nor a state entry. */
  async function upFailsCreatingNothing(id: string): Promise<string> {
    const before = await resourcesOfType(t.stack, "MarathonApp");
    let message = "";
    await assert.rejects(t.stack.up(), (err: Error) => {
      message = err.message;
      return true;
    });
    const containers = await engine.listContainers({ all: true, filters: { label: [`io.dcos-vnet.stack=${t.name}`, `io.dcos-vnet.app=${id}`] } });
    assert.deepEqual(containers.map((c) => c.Names[0]), [], `containers of ${id} after the failed up`);
    const after = await resourcesOfType(t.stack, "MarathonApp");
    assert.deepEqual(after.map((r) => r.urn).sort(), before.map((r) => r.urn).sort(), "the state's apps are the same as before");
    return message;
  }

  before(async function () {
    docker = await requireDocker();
    open = await startLoopbackRegistry(docker);
    locked = await startLoopbackRegistry(docker, { basicAuth: { username: USER, password: PASSWORD } });
    const auth = { username: USER, password: PASSWORD, serveraddress: locked.host };
    v1 = await pushOwnImage(engine, `${open.host}/dvt/web:1`, "v1");
    await pushOwnImage(engine, `${open.host}/dvt/web:moving`, "v1");
    await pushOwnImage(engine, `${open.host}/dvt/web:sticky`, "v1");
    await pushOwnImage(engine, `${locked.host}/dvt/private:1`, "private-v1", auth);
    for (const ref of [`${open.host}/dvt/web:1`, `${locked.host}/dvt/private:1`]) assert.equal(await imageIdOf(ref), undefined, `${ref} is only in the registry`);
    t = await createTestStack("img", config());
  });

  after(async function () {
    if (t) await t.dispose();
    await open?.stop();
    await locked?.stop();
  });

  it("starts an app whose image is only in the registry, after pulling it (and shows the pull)", async function () {
    apps = [dockerApp("/pulled", `${open.host}/dvt/web:1`)];
    t.setConfig(config());
    let out = "";
    const res = await t.stack.up({ onOutput: (s) => (out += s) });
    const inst = res.outputs.marathonApps.value["/pulled"].instances[0];
    const info = await engine.getContainer(inst.container).inspect();
    assert.equal(info.State.Running, true);
    assert.equal(info.Image, v1, "the instance runs the image pushed to the registry");
    assert.equal((await dockerExec(inst.container, "cat /version")).out.trim(), "v1");
    assert.match(out, new RegExp(`app /pulled: pulled image ${open.host.replace(/\./g, "\\.")}/dvt/web:1 \\(`), out);
  });

  it("a wrong tag fails up naming the image, the registry and \"not found\", and creates nothing", async function () {
    const image = `${open.host}/dvt/web:nope`;
    t.setConfig(config([dockerApp("/wrong-tag", image)]));
    const message = await upFailsCreatingNothing("/wrong-tag");
    assert.ok(message.includes(`app /wrong-tag: image ${image} could not be pulled from registry ${open.host}: not found`), message);
  });

  it("a registry nobody listens on fails up saying \"unreachable\", and creates nothing", async function () {
    const image = "127.0.0.1:1/dvt/web:1";
    t.setConfig(config([dockerApp("/nowhere", image)]));
    const message = await upFailsCreatingNothing("/nowhere");
    assert.ok(message.includes(`image ${image} could not be pulled from registry 127.0.0.1:1: unreachable`), message);
  });

  it("basic auth: no credentials and a wrong password fail up saying \"unauthorised\", and create nothing", async function () {
    const image = `${locked.host}/dvt/private:1`;
    t.setConfig(config([privateApp("/anonymous", image)]));
    const anonymous = await upFailsCreatingNothing("/anonymous");
    assert.ok(anonymous.includes(`image ${image} could not be pulled from registry ${locked.host}: unauthorised`), anonymous);

    secrets = { "registry-auth": await t.secret(dockerConfig(`wrong-${suffix}`)) };
    t.setConfig(config([privateApp("/wrong-password", image, "registry-auth")]));
    const wrong = await upFailsCreatingNothing("/wrong-password");
    assert.ok(wrong.includes(`app /wrong-password: image ${image} could not be pulled from registry ${locked.host}: unauthorised`), wrong);
    assert.ok(wrong.includes("secret pull"), `the message names the pullConfig secret: ${wrong}`);
    assert.equal(await imageIdOf(image), undefined);
  });

  it("basic auth: the right credentials in the pullConfig secret pull, and stay out of the state in plaintext", async function () {
    const image = `${locked.host}/dvt/private:1`;
    const cfg = dockerConfig(PASSWORD);
    secrets = { "registry-auth": await t.secret(cfg) };
    apps = [...apps, privateApp("/private", image, "registry-auth")];
    t.setConfig(config());
    const res = await t.stack.up();
    const inst = res.outputs.marathonApps.value["/private"].instances[0];
    assert.equal((await engine.getContainer(inst.container).inspect()).State.Running, true);
    assert.equal((await dockerExec(inst.container, "cat /version")).out.trim(), "private-v1");
    const exported = await t.cli(["stack", "export"]);
    for (const needle of [PASSWORD, Buffer.from(`${USER}:${PASSWORD}`).toString("base64"), locked.host + '\\":{']) {
      assert.ok(!exported.includes(needle), `${needle} in plaintext in pulumi stack export`);
    }
    assert.ok(exported.includes(`${locked.host}/dvt/private:1`), "the export holds the app (sanity check of the search)");
  });

  it("forcePullImage pulls a tag that moved on the next update; without it the engine's copy stays", async function () {
    apps = [
      ...apps,
      dockerApp("/moving", `${open.host}/dvt/web:moving`, { forcePullImage: true }),
      dockerApp("/sticky", `${open.host}/dvt/web:sticky`),
    ];
    t.setConfig(config());
    let res = await t.stack.up();
    for (const id of ["/moving", "/sticky"]) {
      assert.equal((await dockerExec(res.outputs.marathonApps.value[id].instances[0].container, "cat /version")).out.trim(), "v1", id);
    }
    // The same tags now name other images in the registry.
    for (const tag of ["moving", "sticky"]) {
      const ref = `${open.host}/dvt/web:${tag}`;
      const old = await imageIdOf(ref);
      await pushOwnImage(engine, ref, "v2");
      // pushOwnImage removed the v2 tag again: give the engine back the v1 copy under the tag,
      // as it has after the first pull.
      await engine.getImage(old!).tag({ repo: ref.slice(0, ref.lastIndexOf(":")), tag });
    }
    apps = apps.map((a: any) => (["/moving", "/sticky"].includes(a.app.id) ? { app: { ...a.app, env: { ROLLED: "1" } } } : a));
    t.setConfig(config());
    res = await t.stack.up();
    const moving = res.outputs.marathonApps.value["/moving"].instances[0].container;
    const sticky = res.outputs.marathonApps.value["/sticky"].instances[0].container;
    assert.equal((await dockerExec(moving, "echo $ROLLED; cat /version")).out.trim(), "1\nv2", "forcePullImage: the moved tag is pulled");
    assert.equal((await dockerExec(sticky, "echo $ROLLED; cat /version")).out.trim(), "1\nv1", "no forcePullImage: the engine's copy is used");
  });

  it("preview refuses a pullConfig naming an undeclared secret, in Marathon's words", async function () {
    const app = privateApp("/undeclared", `${locked.host}/dvt/private:1`, "registry-auth") as any;
    delete app.app.secrets;
    t.setConfig(config([app]));
    await assert.rejects(t.stack.preview(), /container\.docker\.pullConfig[\s\S]*pullConfig\.secret must refer to an existing secret/);
    t.setConfig(config());
  });
});
