// Every bad Docker network spec is refused by LocalDockerNetwork's check (validateDockerNetworkSpec)
// with each failure's field and reason exactly as listed; and the one bad spec a stack config can
// produce — a network label that forges our ownership — is refused there too.
import { strict as assert } from "assert";
import { validateDockerNetworkSpec } from "../../src/core/local/validateDockerNetworkSpec";
import { dockerSpecForVirtualNetwork } from "../../src/core/local/dockerNetworkSpec";
import { parseStackConfig } from "../../src/config/stackConfig";
import { BAD_DOCKER_NETWORKS, GOOD_SPEC } from "../support/badDockerNetworks";

describe("bad input, unit level: LocalDockerNetwork check (validateDockerNetworkSpec)", function () {
  it("the spec every case starts from is accepted", function () {
    assert.deepEqual(validateDockerNetworkSpec(GOOD_SPEC), []);
  });

  for (const c of BAD_DOCKER_NETWORKS) {
    it(c.what, function () {
      assert.deepEqual(validateDockerNetworkSpec({ ...GOOD_SPEC, ...c.change }), c.failures);
    });
  }

  it("a stack network labelled io.dcos-vnet.stack passes the stack config and is refused by LocalDockerNetwork's check", function () {
    const network = { name: "dcos-1", subnet: "9.0.0.0/16", prefix: 24, labels: { "io.dcos-vnet.stack": "prod" } };
    assert.ok(parseStackConfig({ networks: [network] }).ok);
    const spec = dockerSpecForVirtualNetwork(network);
    assert.deepEqual(validateDockerNetworkSpec(spec), [
      { property: "labels.io.dcos-vnet.stack", reason: "io.dcos-vnet.stack is reserved: it marks which stack owns the network" },
    ]);
  });
});
