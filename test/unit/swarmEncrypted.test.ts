// Encrypted swarm overlays (IPsec between the hosts, Docker's `encrypted` overlay option) are an
// opt-in of a cluster of several Docker hosts, `dcos-vnet:cluster.swarmEncrypted`: off by default
// (the test hosts' kernel has no ESP, see README "Running on several Docker hosts"), refused
// without hosts, and absent from the network's inputs unless on, so no existing network diffs.
import { strict as assert } from "assert";
import { parseStackConfig } from "../../src/config/stackConfig";
import { dockerSpecForVirtualNetwork, swarmOverlayOptions } from "../../src/core/local/dockerNetworkSpec";
import { validateDockerNetworkSpec } from "../../src/core/local/validateDockerNetworkSpec";

const networks = [{ name: "dcos-1", subnet: "9.10.0.0/16", prefix: 24 }];
const agents = ["agent-1", "agent-2"];
const hosts = {
  "host-1": { docker: "unix:///run/h1.sock", advertiseAddr: "10.0.0.1", agents: ["agent-1"] },
  "host-2": { docker: "unix:///run/h2.sock", advertiseAddr: "10.0.0.2", agents: ["agent-2"] },
};
const SPEC = dockerSpecForVirtualNetwork({ name: "dcos-1", subnet: "9.10.0.0/16" });
const SWARM = { mode: "form", hosts: [] };

describe("encrypted swarm overlays (dcos-vnet:cluster.swarmEncrypted)", function () {
  it("is off unless set: a cluster of several hosts without it parses with no swarmEncrypted", function () {
    const parsed = parseStackConfig({ cluster: { agents, hosts }, networks });
    assert.ok(parsed.ok && !("swarmEncrypted" in parsed.value.cluster), JSON.stringify(parsed));
  });

  it("is taken, true or false, on a cluster of several hosts", function () {
    const on = parseStackConfig({ cluster: { agents, hosts, swarmEncrypted: true }, networks });
    assert.ok(on.ok && on.value.cluster.swarmEncrypted === true, JSON.stringify(on));
    const off = parseStackConfig({ cluster: { agents, hosts, swarmEncrypted: false }, networks });
    assert.ok(off.ok && off.value.cluster.swarmEncrypted === false, JSON.stringify(off));
  });

  it("is refused without hosts, and when not a boolean, naming the key", function () {
    const alone = parseStackConfig({ cluster: { agents, swarmEncrypted: true }, networks });
    assert.deepEqual(!alone.ok && alone.failures, [{
      property: "dcos-vnet:cluster.swarmEncrypted",
      reason: "swarmEncrypted encrypts the swarm overlays between several Docker hosts: it needs dcos-vnet:cluster.hosts (on one engine nothing crosses a network)",
    }]);
    const text = parseStackConfig({ cluster: { agents, hosts, swarmEncrypted: "yes" }, networks });
    assert.deepEqual(!text.ok && text.failures, [{ property: "dcos-vnet:cluster.swarmEncrypted", reason: "swarmEncrypted must be true or false, got \"yes\"" }]);
  });

  it("creates the overlay with Docker's encrypted option only when asked, and the overlay MTU either way", function () {
    assert.deepEqual(swarmOverlayOptions(SPEC), { "com.docker.network.driver.mtu": "1470" });
    assert.deepEqual(swarmOverlayOptions({ ...SPEC, encrypted: true }), { "com.docker.network.driver.mtu": "1470", encrypted: "" });
  });

  it("is refused by LocalDockerNetwork's check on a network that is not a swarm overlay, or when not a boolean", function () {
    assert.deepEqual(validateDockerNetworkSpec({ ...SPEC, encrypted: true, swarm: SWARM }), []);
    assert.deepEqual(validateDockerNetworkSpec({ ...SPEC, encrypted: true }), [
      { property: "encrypted", reason: "encrypted is an option of swarm overlays (a cluster of several Docker hosts, input swarm); a bridge network on one engine carries nothing between hosts" },
    ]);
    assert.deepEqual(validateDockerNetworkSpec({ ...SPEC, encrypted: "yes", swarm: SWARM }), [
      { property: "encrypted", reason: "encrypted must be true or false, got \"yes\"" },
    ]);
  });
});
