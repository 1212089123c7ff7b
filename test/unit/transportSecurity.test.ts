// Credentials and secrets in transit and at rest, decided by pure functions: Marathon over http://
// with credentials refused unless allowed, a warning for TLS verification turned off, and one for
// secrets encrypted with the documented default passphrase.
import { strict as assert } from "assert";
import { insecureHttpWarning, marathonConnectionFailures, skipVerifyWarning } from "../../src/core/marathon/connection";
import { plainDockerHostWarning } from "../../src/core/local/engineTransport";
import { DEFAULT_PASSPHRASE, defaultPassphraseWarning } from "../../src/config/passphrase";

const unknown = Symbol("unknown");
const isUnknown = (v: unknown) => v === unknown;

describe("transport security: Marathon connections and the secrets passphrase", function () {
  it("refuses a MarathonApp/MarathonPod connection to an http:// URL with a token or a uid/password, naming the input", function () {
    const reason =
      "an http:// URL would send the DC/OS token or password in clear; use the cluster's https:// URL, " +
      "or set connection.allowInsecureHttp: true to accept that (a loopback tunnel, a throwaway cluster)";
    assert.deepEqual(marathonConnectionFailures({ url: "http://dcos.example/service/marathon", token: "t" }, isUnknown), [{ property: "connection.url", reason }]);
    assert.deepEqual(marathonConnectionFailures({ url: "http://dcos.example", uid: "ops", password: "p" }, isUnknown), [{ property: "connection.url", reason }]);
    for (const ok of [
      { url: "https://dcos.example", token: "t" },
      { url: "http://dcos.example" },
      { url: "http://127.0.0.1:8080", token: "t", allowInsecureHttp: true },
    ]) assert.deepEqual(marathonConnectionFailures(ok, isUnknown), [], JSON.stringify(ok));
    assert.deepEqual(marathonConnectionFailures(unknown, isUnknown), [], "not known at preview: checked when it is");
    assert.deepEqual(marathonConnectionFailures({ url: unknown, token: "t" }, isUnknown), []);
  });

  it("bounds a MarathonApp/MarathonPod connection's deploymentTimeoutSeconds as the stack config's (a day), naming the input", function () {
    const url = "https://dcos.example";
    assert.deepEqual(marathonConnectionFailures({ url, deploymentTimeoutSeconds: 86_400 }, isUnknown), []);
    assert.deepEqual(marathonConnectionFailures({ url, deploymentTimeoutSeconds: 86_401 }, isUnknown), [
      { property: "connection.deploymentTimeoutSeconds", reason: "deploymentTimeoutSeconds must be at most 86400 (one day), got 86401" },
    ]);
    for (const bad of [Infinity, 0, -1, "600"]) {
      assert.deepEqual(marathonConnectionFailures({ url, deploymentTimeoutSeconds: bad }, isUnknown).map((f) => f.property), ["connection.deploymentTimeoutSeconds"], String(bad));
    }
    assert.deepEqual(marathonConnectionFailures({ url, deploymentTimeoutSeconds: unknown }, isUnknown), [], "checked when known");
  });

  it("warns, naming the URL, when credentials go to an http:// Marathon by choice (allowInsecureHttp)", function () {
    assert.equal(
      insecureHttpWarning("http://127.0.0.1:8080"),
      "Marathon at http://127.0.0.1:8080 is reached over plain http:// with the DC/OS token or password (allowInsecureHttp: true): " +
        "anyone on the network path can read them. Use the cluster's https:// URL.",
    );
  });

  it("warns when DOCKER_HOST is a tcp:// engine reached over plain HTTP, as dockerode reads it, and only then", function () {
    assert.match(plainDockerHostWarning("tcp://10.0.0.2:2375", undefined)!, /^DOCKER_HOST=tcp:\/\/10\.0\.0\.2:2375 is reached over plain HTTP \(DOCKER_TLS_VERIFY is not 1\)/);
    assert.ok(plainDockerHostWarning("10.0.0.2:2375", "0"), "host:port is tcp:// to dockerode");
    assert.equal(plainDockerHostWarning("tcp://10.0.0.2:2375", "1"), undefined, "DOCKER_TLS_VERIFY=1: https");
    assert.equal(plainDockerHostWarning("tcp://10.0.0.2:2376", undefined), undefined, "port 2376: https");
    for (const local of [undefined, "", "unix:///var/run/docker.sock", "ssh://ops@host", "npipe:////./pipe/docker_engine"]) {
      assert.equal(plainDockerHostWarning(local, undefined), undefined, String(local));
    }
  });

  it("warns, naming the URL, when TLS verification of Marathon is off", function () {
    assert.equal(
      skipVerifyWarning("https://dcos.example/service/marathon"),
      "Marathon at https://dcos.example/service/marathon is reached with TLS certificate verification off (insecureSkipVerify: true): " +
        "anyone on the network path can pose as the cluster and receive the DC/OS token or password. " +
        "Give the cluster's CA instead (dcos-vnet:marathon.caBundleFile, or connection.caBundle; DC/OS serves it at <cluster>/ca/dcos-ca.crt).",
    );
  });

  it("warns when secrets are encrypted with the documented default passphrase, and only then", function () {
    assert.equal(DEFAULT_PASSPHRASE, "dcos-vnet-local");
    const warning = defaultPassphraseWarning(DEFAULT_PASSPHRASE, true);
    assert.equal(
      warning,
      "PULUMI_CONFIG_PASSPHRASE is the documented default (dcos-vnet-local), and this stack keeps secrets " +
        "(Marathon credentials, secret env values or TLS client keys) encrypted with it: anyone with the state or the stack's config " +
        "can read them. Set a passphrase of your own: `pulumi stack change-secrets-provider passphrase` asks for it and " +
        "re-encrypts the stack; then export PULUMI_CONFIG_PASSPHRASE (or PULUMI_CONFIG_PASSPHRASE_FILE) with it.",
    );
    assert.equal(defaultPassphraseWarning(`${DEFAULT_PASSPHRASE}\n`, true), warning, "a passphrase file's trailing newline");
    assert.equal(defaultPassphraseWarning(DEFAULT_PASSPHRASE, false), undefined, "no secrets, nothing to say");
    assert.equal(defaultPassphraseWarning("correct horse battery staple", true), undefined);
    assert.equal(defaultPassphraseWarning(undefined, true), undefined, "another secrets provider (or none set)");
  });
});
