// Credentials and secrets in transit and at rest, decided by pure functions: Marathon over http://
// with credentials refused unless allowed, a warning for TLS verification turned off, and one for
// secrets encrypted with the documented default passphrase.
import { strict as assert } from "assert";
import { marathonConnectionFailures, skipVerifyWarning } from "../../src/core/marathon/connection";
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
