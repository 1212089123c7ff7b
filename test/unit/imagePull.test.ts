// The pure parts of image pulls: references read as the engine reads them, credentials from a
// Docker config JSON, the engine's pull errors mapped to unreachable / unauthorised / not found
// (on the exact texts dockerd 20.10 answered against distribution 2.8's registry), and progress.
import { strict as assert } from "assert";
import { parseImageRef, pullParameters } from "../../src/core/local/imageRef";
import { credentialsFor, parseDockerConfig } from "../../src/core/local/dockerConfig";
import { classifyPullError, pullFailureMessage } from "../../src/core/local/pullFailure";
import { PullProgress } from "../../src/core/local/pullProgress";
import { secretSources } from "../../src/core/marathon/appInputs";

const ref = (image: string) => {
  const parsed = parseImageRef(image);
  assert.ok(parsed.ok, `${image}: ${!parsed.ok && parsed.reason}`);
  return parsed.value;
};
const b64 = (s: string) => Buffer.from(s).toString("base64");

describe("image references (Docker's normalisation)", function () {
  const cases: [string, string, string, string | undefined, string | undefined][] = [
    ["nginx:1.25", "docker.io", "library/nginx", "1.25", undefined],
    ["nginx", "docker.io", "library/nginx", "latest", undefined],
    ["shop/web", "docker.io", "shop/web", "latest", undefined],
    ["docker.io/nginx:1", "docker.io", "library/nginx", "1", undefined],
    ["index.docker.io/shop/web:2", "docker.io", "shop/web", "2", undefined],
    ["localhost/web", "localhost", "web", "latest", undefined],
    ["127.0.0.1:5000/dvt/web:1", "127.0.0.1:5000", "dvt/web", "1", undefined],
    ["registry.example.com/a/b/c:v1.2_x", "registry.example.com", "a/b/c", "v1.2_x", undefined],
    [`busybox@sha256:${"a".repeat(64)}`, "docker.io", "library/busybox", undefined, `sha256:${"a".repeat(64)}`],
  ];
  for (const [image, registry, repository, tag, digest] of cases) {
    it(`${image} → ${registry} ${repository} ${tag ?? digest}`, function () {
      const r = ref(image);
      assert.deepEqual([r.registry, r.repository, r.tag, r.digest], [registry, repository, tag, digest]);
    });
  }

  it("pulls by registry/repository and tag (or digest)", function () {
    assert.deepEqual(pullParameters(ref("127.0.0.1:5000/dvt/web:1")), { fromImage: "127.0.0.1:5000/dvt/web", tag: "1" });
    assert.deepEqual(pullParameters(ref("nginx")), { fromImage: "docker.io/library/nginx", tag: "latest" });
    assert.deepEqual(pullParameters(ref(`x@sha256:${"b".repeat(64)}`)), { fromImage: "docker.io/library/x", tag: `sha256:${"b".repeat(64)}` });
  });

  for (const [bad, reason] of [
    ["", "invalid reference format"],
    ["Nginx", "invalid reference format: repository name must be lowercase"],
    ["nginx:", 'invalid reference format: tag "" must match [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}'],
    ["web/-x", "invalid reference format"],
    ["nginx@sha256:xyz", "invalid reference format: the digest after @ must be algorithm:hex (e.g. sha256:…)"],
    ["a b", "invalid reference format"],
    ["a-", "invalid reference format"],
    ["-a", "invalid reference format"],
    ["a___b", "invalid reference format"],
    ["a..b", "invalid reference format"],
    ["a._b", "invalid reference format"],
    ["a/", "invalid reference format"],
  ]) {
    it(`refuses ${JSON.stringify(bad)}: ${reason}`, function () {
      assert.deepEqual(parseImageRef(bad), { ok: false, reason });
    });
  }

  // Separators as distribution's grammar has them: [._] | __ | -+ between lower-case alphanumerics.
  for (const good of ["a--b", "a---b", "a__b", "a_b", "a.b", "a-b.c_d__e", "shop/web-1", "a/b--c/d"]) {
    it(`accepts ${good}`, function () {
      assert.equal(ref(good).repository, good.includes("/") ? good : `library/${good}`);
    });
  }
  it("accepts a name of exactly 255 characters, refuses one of 256 (before reading it)", function () {
    assert.equal(ref(`r/${"a".repeat(253)}:1`).repository.length, 255);
    const reason = "invalid reference format: repository name must not be more than 255 characters";
    assert.deepEqual(parseImageRef(`r/${"a".repeat(254)}:1`), { ok: false, reason });
    assert.deepEqual(parseImageRef(`${"a-".repeat(5000)}!`), { ok: false, reason });
  });

  // Once the separator could be empty ([-]*), an invalid name took time exponential in its length to
  // refuse (26 letters then "-": half a second, each letter more doubling it). No timing here: these
  // return at once now, and mocha's timeout catches a hang.
  for (const bad of [`${"a".repeat(29)}-`, `x/${"a".repeat(28)}_`, `${"a".repeat(254)}-`, `${"a-".repeat(5000)}!`, `${"a".repeat(9999)}-`, `${"0/00"}${"0".repeat(9996)}_`]) {
    it(`refuses the ${bad.length}-character invalid name ${JSON.stringify(bad.slice(0, 12))}… at once`, function () {
      assert.equal(parseImageRef(bad).ok, false);
    });
  }
});

describe("credentials from a Docker config JSON", function () {
  it("finds a registry's auth by host:port, whatever scheme or path the key has", function () {
    const parsed = parseDockerConfig(JSON.stringify({ auths: { "http://127.0.0.1:5000/v2/": { auth: b64("alice:pa:ss") } } }), "cfg");
    assert.ok(parsed.ok);
    assert.deepEqual(credentialsFor(parsed.value, "127.0.0.1:5000"), { username: "alice", password: "pa:ss", serveraddress: "127.0.0.1:5000" });
    assert.equal(credentialsFor(parsed.value, "127.0.0.1:5001"), undefined);
  });

  it("Docker Hub under the key Docker writes for it", function () {
    const parsed = parseDockerConfig(JSON.stringify({ auths: { "https://index.docker.io/v1/": { username: "bob", password: "x" } } }), "cfg");
    assert.ok(parsed.ok);
    assert.deepEqual(credentialsFor(parsed.value, ref("nginx").registry), { username: "bob", password: "x", serveraddress: "https://index.docker.io/v1/" });
  });

  it("refuses what is not a config without quoting it (it is a secret)", function () {
    for (const text of ["hunter2", JSON.stringify({ auth: "x" }), JSON.stringify({ auths: { h: { auth: b64("nocolon-hunter2") } } }), JSON.stringify({ auths: { h: {} } })]) {
      const parsed = parseDockerConfig(text, "secret pull");
      assert.equal(parsed.ok, false, text);
      assert.ok(!parsed.ok && !parsed.reason.includes("hunter2") && parsed.reason.startsWith("secret pull must be a Docker config JSON"), !parsed.ok ? parsed.reason : "");
    }
  });

  it("the pullConfig secret's source is one the app references (so the stack hands it over, secret)", function () {
    const app = { id: "/a", secrets: { pull: { source: "registry-auth" }, db: { source: "db-pw" } }, env: { X: { secret: "db" } }, container: { type: "MESOS" as const, docker: { image: "x", pullConfig: { secret: "pull" } } } };
    assert.deepEqual(secretSources(app as any), ["db-pw", "registry-auth"]);
  });
});

describe("pull errors in three words", function () {
  // What dockerd 20.10 said (through dockerode) in test/e2e/imagePull.e2e.test.ts's setting.
  const seen: [string, number | undefined, string][] = [
    ["(HTTP code 404) unexpected - manifest for 127.0.0.1:26705/dvt/web:nope not found: manifest unknown: manifest unknown ", 404, "not found"],
    ['(HTTP code 500) server error - Get "http://127.0.0.1:1/v2/": dial tcp 127.0.0.1:1: connect: connection refused ', 500, "unreachable"],
    ['(HTTP code 500) server error - Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io on 10.255.255.53:53: dial udp 10.255.255.53:53: connect: network is unreachable ', 500, "unreachable"],
    ['(HTTP code 500) server error - Head "http://127.0.0.1:26806/v2/dvt/web/manifests/1": no basic auth credentials ', 500, "unauthorised"],
    ["(HTTP code 500) server error - unauthorized: authentication required ", 500, "unauthorised"],
    ["(HTTP code 404) unexpected - pull access denied for nope, repository does not exist or may require 'docker login': denied: requested access to the resource is denied", 404, "not found"],
    ["Get \"https://r.example:5000/v2/\": x509: certificate signed by unknown authority", undefined, "unreachable"],
  ];
  for (const [message, status, word] of seen) {
    it(`${word}: ${message.slice(0, 70)}…`, function () {
      assert.equal(classifyPullError(message, status), word);
    });
  }

  it("the message names the app, the image, the registry, the reason and the engine's words", function () {
    const message = pullFailureMessage({ appId: "/web", image: "127.0.0.1:5000/dvt/web:2", registry: "127.0.0.1:5000", pullConfigSecret: "pull" }, "(HTTP code 500) server error - unauthorized: authentication required ", 500);
    assert.equal(
      message,
      "app /web: image 127.0.0.1:5000/dvt/web:2 could not be pulled from registry 127.0.0.1:5000: unauthorised; " +
        "check the credentials for 127.0.0.1:5000 in the docker config of secret pull (container.docker.pullConfig) (engine: unauthorized: authentication required)",
    );
  });
});

describe("pull progress", function () {
  it("says so when the engine had every layer", function () {
    const p = new PullProgress();
    p.add({ status: "Pulling from shop/web", id: "1" });
    p.add({ status: "Digest: sha256:e374d708c0dab1cabbe4993a668c62b9f422997cc91be81a225a1b4c6e6259d9" });
    assert.equal(p.summary(), "no layer to download");
  });

  it("counts layers done and bytes downloaded", function () {
    const p = new PullProgress();
    assert.equal(p.add({ status: "Pulling from dvt/web", id: "1" }), false);
    p.add({ status: "Pulling fs layer", id: "a" });
    p.add({ status: "Pulling fs layer", id: "b" });
    p.add({ status: "Downloading", id: "a", progressDetail: { current: 1_000_000, total: 4_000_000 } });
    p.add({ status: "Downloading", id: "b", progressDetail: { current: 500, total: 2_000_000 } });
    assert.equal(p.summary(), "0 of 2 layers, 1.0 MB of 6.0 MB downloaded");
    assert.equal(p.add({ status: "Pull complete", id: "a" }), true);
    assert.equal(p.add({ status: "Pull complete", id: "a" }), false);
    assert.equal(p.summary(), "1 of 2 layers, 4.0 MB of 6.0 MB downloaded");
    p.add({ status: "Already exists", id: "c" });
    assert.equal(p.summary(), "2 of 3 layers, 4.0 MB of 6.0 MB downloaded");
  });
});
