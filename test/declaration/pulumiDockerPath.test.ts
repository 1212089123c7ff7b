// Declaration test (Pulumi mocks, nothing runs): with `dockerProvider: pulumi-docker` the stack
// declares @pulumi/docker's docker.Network from the same spec the built-in provider uses. Only
// what is declared is checked here; the built-in path is tested end to end against dockerd.
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { bridgeOptions, dockerSpecForVirtualNetwork } from "../../src/core/local/dockerNetworkSpec";

describe("@pulumi/docker path (declarations under Pulumi mocks)", function () {
  const declared: pulumi.runtime.MockResourceArgs[] = [];

  before(async function () {
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          declared.push(args);
          return { id: `${args.name}-id`, state: args.inputs };
        },
        call: () => ({}),
      },
      "dcos-vnet",
      "mockstack",
    );
    const { DcosCluster } = await import("../../src/index");
    new DcosCluster("c", {
      cluster: { target: "local", agents: ["a1", "a2"], dockerProvider: "pulumi-docker" },
      networks: [{ name: "dcos-1", subnet: "9.10.0.0/16", prefix: 24, labels: { team: "web" } }],
      apps: [],
    });
    await new Promise((resolve) => setTimeout(resolve, 200)); // let registrations flush
  });

  it("declares docker.Network (not the built-in LocalDockerNetwork) with the spec's addressing and options", function () {
    const types = declared.map((d) => d.type);
    assert.ok(types.includes("docker:index/network:Network"), JSON.stringify(types));
    assert.ok(!types.some((t) => t.endsWith("LocalDockerNetwork")));
    const net = declared.find((d) => d.type === "docker:index/network:Network")!;
    const spec = dockerSpecForVirtualNetwork({ name: "dcos-1", subnet: "9.10.0.0/16", labels: { team: "web" } });
    assert.equal(net.inputs.name, "dcos-1");
    assert.equal(net.inputs.driver, "bridge");
    assert.deepEqual(net.inputs.ipamConfigs, [{ subnet: "9.10.0.0/16", gateway: "9.10.0.1" }]);
    assert.deepEqual(net.inputs.options, bridgeOptions(spec));
    assert.equal(net.inputs.options["com.docker.network.bridge.name"], "d-dcos-1");
    assert.equal(net.inputs.options["com.docker.network.bridge.enable_ip_masquerade"], "false");
    assert.equal(net.inputs.options["com.docker.network.driver.mtu"], "1420");
  });

  it("labels the network with the user's labels and this stack's ownership", function () {
    const net = declared.find((d) => d.type === "docker:index/network:Network")!;
    const labels = Object.fromEntries(net.inputs.labels.map((l: { label: string; value: string }) => [l.label, l.value]));
    assert.deepEqual(labels, {
      team: "web",
      "io.dcos-vnet.virtual-network": "dcos-1",
      "io.dcos-vnet.managed-by": "pulumi-dcos-vnet",
      "io.dcos-vnet.project": "dcos-vnet",
      "io.dcos-vnet.stack": "mockstack",
    });
  });

  it("still declares the VirtualNetwork with the cluster's agents", function () {
    const vn = declared.find((d) => d.type === "pulumi-nodejs:dynamic/dcos:VirtualNetwork")!;
    assert.ok(vn, "VirtualNetwork declared");
    assert.deepEqual(vn.inputs.agents, ["a1", "a2"]);
  });
});
