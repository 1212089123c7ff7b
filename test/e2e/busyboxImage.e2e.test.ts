// The busybox image the local cluster's apps run and the README's probes use, as `npm run setup`
// builds it (copied from the user's engine into the tests' private engine): the tools users copy
// from DC/OS examples work as written, with real containers and real packets. Debian's
// busybox-static is built without wget's timeout support, and its `wget -T N` wrote through a NULL
// pointer (a segfault, exit 139) until setup patched the option out (scripts/busyboxWgetFix.js).
// Then setup's build itself (scripts/busyboxImage.sh --if-stale) in the private engine: an earlier
// setup's image is replaced while a container of it keeps running; anyone else's is left alone.
// Every object here has a unique `bbtools-…` / `bbimage-…` name and is removed afterwards.
import { strict as assert } from "assert";
import { randomBytes } from "crypto";
import * as path from "path";
import { requireDocker, run } from "../support/docker";
import { ROOT } from "../support/paths";

const suffix = randomBytes(3).toString("hex");
const NET = `bbtools-${suffix}`;
const WEB = `${NET}-web`;
const PAGE = `hello from ${WEB}`;
const SETUP_HINT = "busybox:latest on your engine was built by an older setup: `npm run setup` rebuilds it";

interface Ran {
  code: number;
  out: string;
}

/** `docker run --rm [--init] --network NET busybox ARGS…`, bounded at 30 s; its exit code and output. */
async function oneShot(...args: string[]): Promise<Ran> {
  const init = args[0] === "--init" ? [args.shift() as string] : [];
  try {
    const { stdout, stderr } = await run("docker", ["run", "--rm", ...init, "--network", NET, "busybox", ...args], { timeout: 30_000 });
    return { code: 0, out: stdout + stderr };
  } catch (err) {
    const e = err as { code?: number | string; stdout?: string; stderr?: string; killed?: boolean };
    const code = typeof e.code === "number" ? e.code : -1;
    return { code, out: `${e.stdout ?? ""}${e.stderr ?? ""}${e.killed ? " (killed after 30 s)" : ""}` };
  }
}

const shown = (r: Ran) => `exit ${r.code}${r.code === 139 ? " (segmentation fault)" : ""}: ${r.out.trim() || "(no output)"}`;

describe("busybox:latest as setup builds it: the tools of DC/OS examples work as written", function () {
  this.timeout(180_000);
  let ip = "";

  before(async function () {
    await requireDocker();
    await run("docker", ["network", "create", "--label", "io.dcos-vnet.test=busybox-tools", NET]);
    await run("docker", ["run", "-d", "--name", WEB, "--label", "io.dcos-vnet.test=busybox-tools", "--network", NET, "busybox",
      // 8080 serves the page; 8090 accepts connections and never answers (each runs `sleep 600`).
      "sh", "-c", `mkdir -p /www && echo '${PAGE}' > /www/index.html && (nc -ll -p 8090 -e sleep 600 &) && exec httpd -f -p 8080 -h /www`]);
    ip = (await run("docker", ["inspect", "-f", `{{(index .NetworkSettings.Networks "${NET}").IPAddress}}`, WEB])).stdout.trim();
    // httpd and nc listen a moment after the container starts: probe (not assert) until both do.
    const probe = "nc -w 2 127.0.0.1 8090 -e true && printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 2 127.0.0.1 8080";
    let last = "";
    for (let i = 0; i < 20; i++) {
      const answer = await run("docker", ["exec", WEB, "sh", "-c", probe]).catch((e) => e);
      last = `${answer.stdout ?? ""}${answer.stderr ?? ""}`;
      if (last.includes(PAGE)) return;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`probed 20 times, 250 ms apart, for ${WEB} to listen on 8090 (nc) and serve its page on 8080 (httpd); last answer: ${last || "(none)"}`);
  });

  after(async function () {
    await run("docker", ["rm", "-f", WEB]).catch(() => undefined);
    await run("docker", ["network", "rm", NET]).catch(() => undefined);
  });

  it("wget -O - http://<ip>:8080/ from a second container on the network gets the page", async function () {
    const r = await oneShot("wget", "-O", "-", `http://${ip}:8080/`);
    assert.equal(r.code, 0, shown(r));
    assert.match(r.out, new RegExp(PAGE));
  });

  it("wget -T 5 (a timeout, as DC/OS examples write it) gets the page instead of a segfault", async function () {
    const direct = await oneShot("wget", "-T", "5", "-O", "-", `http://${ip}:8080/`);
    assert.equal(direct.code, 0, `${shown(direct)}. ${SETUP_HINT}`);
    assert.match(direct.out, new RegExp(PAGE));
    // Through the shell as well (busybox's sh runs its own applets, not /bin's links), by name.
    const shell = await oneShot("sh", "-c", `wget -qO- -T 2 http://${WEB}:8080/`);
    assert.equal(shell.code, 0, `${shown(shell)}. ${SETUP_HINT}`);
    assert.equal(shell.out.trim(), PAGE);
  });

  it("every applet is a command of its own, and `timeout N wget` bounds a wget that gets no answer", async function () {
    const missing = await oneShot("sh", "-c", "for a in $(busybox --list); do [ -e /bin/$a ] || echo $a; done");
    assert.equal(missing.code, 0, shown(missing));
    const absent = missing.out.trim().split(/\s+/).filter(Boolean);
    assert.ok(absent.length === 0, `${absent.length} applets are not in /bin: ${absent.join(" ")}. ${SETUP_HINT}`);
    const bounded = await oneShot("timeout", "5", "wget", "-qO-", `http://${ip}:8080/`);
    assert.equal(bounded.code, 0, `${shown(bounded)}. ${SETUP_HINT}`);
    assert.equal(bounded.out.trim(), PAGE);
    // -T is accepted and ignored (no timeout support in Debian's wget); timeout's SIGTERM ends it,
    // once wget is not PID 1 (which ignores it): docker run --init.
    const silent = await oneShot("--init", "timeout", "2", "wget", "-qO-", `http://${WEB}:8090/`);
    assert.equal(silent.code, 143, `killed by timeout's SIGTERM: ${shown(silent)}`);
  });

  it("nc: an HTTP GET by name, and a port check (busybox's nc has no -z: -e true closes at once)", async function () {
    const get = await oneShot("sh", "-c", `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 2 ${WEB} 8080`);
    assert.equal(get.code, 0, shown(get));
    assert.match(get.out, /^HTTP\/1\.[01] 200 OK/);
    assert.match(get.out, new RegExp(PAGE));
    const open = await oneShot("nc", "-w", "2", ip, "8080", "-e", "true");
    assert.equal(open.code, 0, `port 8080 open: ${shown(open)}`);
    const closed = await oneShot("nc", "-w", "2", ip, "8081", "-e", "true");
    assert.notEqual(closed.code, 0, `port 8081 closed: ${shown(closed)}`);
    assert.match(closed.out, /Connection refused/);
  });

  it("nslookup and ping of a container's name, hostname -i and ip -o addr", async function () {
    const lookup = await oneShot("nslookup", WEB, "127.0.0.11");
    assert.equal(lookup.code, 0, shown(lookup));
    assert.match(lookup.out, new RegExp(`Name:\\s+${WEB}[\\s\\S]*Address:\\s+${ip.replace(/\./g, "\\.")}`));
    const ping = await oneShot("ping", "-c", "1", "-W", "2", WEB);
    assert.equal(ping.code, 0, shown(ping));
    assert.match(ping.out, new RegExp(`PING ${WEB} \\(${ip.replace(/\./g, "\\.")}\\)[\\s\\S]*1 packets received`));
    const own = await oneShot("sh", "-c", "hostname -i; ip -o -4 addr show eth0");
    assert.equal(own.code, 0, shown(own));
    const [address, line] = own.out.trim().split("\n");
    assert.match(address, /^\d+\.\d+\.\d+\.\d+$/, shown(own));
    assert.ok(line.includes(`inet ${address}/`), `ip -o addr shows hostname -i's address ${address}: ${line}`);
  });
});

describe("setup's busybox image build (scripts/busyboxImage.sh --if-stale) on an engine that has one", function () {
  this.timeout(180_000);
  const name = `bbimage-${suffix}`;
  const refs = {
    earlier: `${name}-earlier:latest`, relabel: `${name}-relabel:latest`, tagged: `${name}-tagged:latest`,
    usersTag: `${name}-users-tag:1`, foreign: `${name}-foreign:latest`,
  };
  const keeper = `${name}-keeper`;
  const oldIds: string[] = [];
  let host = "";

  /** Runs with DOCKER_HOST set to the private engine, always (bash is not `docker`, so run() does not set it). */
  const inEngine = (script: string) => run("bash", ["-c", script], { cwd: ROOT, env: { ...process.env, DOCKER_HOST: host }, timeout: 120_000 });
  const build = async (ref: string) => (await inEngine(`bash ${path.join("scripts", "busyboxImage.sh")} --if-stale ${ref}`)).stdout.trim();
  const idOf = async (ref: string) => (await run("docker", ["image", "inspect", "-f", "{{.Id}}", ref])).stdout.trim();
  const labelOf = async (ref: string) => (await run("docker", ["image", "inspect", "-f", '{{index .Config.Labels "io.dcos-vnet.image-version"}}', ref])).stdout.trim();
  /** An image as setup imported busybox:latest before this fix (a few applets, no label), with `extra` import changes. */
  const importEarlier = async (ref: string, ...extra: string[]) => {
    const changes = [`-c 'CMD ["sh"]'`, "-c 'ENV PATH=/bin'", ...extra.map((c) => `-c '${c}'`)].join(" ");
    await inEngine(`set -e; d=$(mktemp -d); trap 'rm -rf "$d"' EXIT; mkdir -p "$d/bin" "$d/etc" "$d/tmp"; cp /bin/busybox "$d/bin/"
      for a in sh sleep wget nc; do ln -s busybox "$d/bin/$a"; done; echo "root:x:0:0:root:/root:/bin/sh" > "$d/etc/passwd"
      tar -C "$d" -c . | docker import ${changes} - ${ref} >/dev/null`);
    const id = await idOf(ref);
    oldIds.push(id);
    return id;
  };

  before(async function () {
    host = (await requireDocker()).host;
  });

  after(async function () {
    await run("docker", ["rm", "-f", keeper]).catch(() => undefined);
    for (const ref of [...Object.values(refs), ...oldIds]) await run("docker", ["image", "rm", ref]).catch(() => undefined);
  });

  it("replaces an earlier setup's image; a container of the old one keeps running, and restarts, on it", async function () {
    const old = await importEarlier(refs.earlier);
    await run("docker", ["run", "-d", "--name", keeper, "--label", "io.dcos-vnet.test=busybox-image", refs.earlier, "sleep", "600"]);

    const said = await build(refs.earlier);
    assert.match(said, /built by an earlier setup \(unlabelled\); rebuilding it\n.*: built\n.*: the earlier one \([0-9a-f]{12}\) kept: a container or another tag uses it$/, said);
    const now = await idOf(refs.earlier);
    assert.notEqual(now, old, "the tag points at the new image");
    assert.match(await labelOf(refs.earlier), /^[0-9a-f]{16}$/);
    const fixed = await run("docker", ["run", "--rm", "--network", "none", refs.earlier, "wget", "-T", "1", "-q", "-O", "/dev/null", "bogus://x"]).catch((e) => e);
    assert.equal(fixed.code, 1, `wget -T in the new image: exit ${fixed.code}, ${fixed.stderr}`);
    assert.match(fixed.stderr, /not an http or ftp url/);

    const seen = async () => (await run("docker", ["inspect", "-f", "{{.State.Running}} {{.Image}}", keeper])).stdout.trim();
    assert.equal(await seen(), `true ${old}`, "the running container is untouched, on the old image");
    await run("docker", ["restart", "-t", "0", keeper]);
    assert.equal(await seen(), `true ${old}`, "and restarts on it: the old image was not removed");

    assert.equal(await build(refs.earlier), `image ${refs.earlier}: present`);
    assert.equal(await idOf(refs.earlier), now, "a current image is not rebuilt");
  });

  it("rebuilds one labelled by another recipe, and leaves a busybox that setup did not build", async function () {
    const relabelled = await importEarlier(refs.relabel, "LABEL io.dcos-vnet.image-version=0000000000000000");
    assert.match(await build(refs.relabel), /built by an earlier setup \(0000000000000000\); rebuilding it\n.*: built\n.*: the earlier one \([0-9a-f]{12}\) removed$/);
    assert.notEqual(await idOf(refs.relabel), relabelled);
    const gone = await run("docker", ["image", "inspect", relabelled]).catch((e) => e);
    assert.match(String(gone.stderr), /No such image/, "the earlier image, which nothing used, is removed");

    // The user tagged the earlier image too: the tag keeps it.
    const tagged = await importEarlier(refs.tagged);
    await run("docker", ["tag", refs.tagged, refs.usersTag]);
    assert.match(await build(refs.tagged), /: built\n.*: the earlier one \([0-9a-f]{12}\) kept: a container or another tag uses it$/);
    assert.equal(await idOf(refs.usersTag), tagged);

    // As an image pulled from a registry looks: another PATH, no label of ours.
    const foreign = await importEarlier(refs.foreign, "ENV PATH=/usr/local/bin:/usr/bin:/bin");
    assert.equal(await build(refs.foreign), `image ${refs.foreign}: present, not built by setup (left as it is)`);
    assert.equal(await idOf(refs.foreign), foreign);
  });
});
