// The address-plan picture shows the local cluster's agents: each agent's own address on the host
// network and the host- and bridge-mode tasks on it with their host ports; those tasks are not
// reported as "on networks this stack does not declare".
import { strict as assert } from "assert";
import { buildPlanModel, renderPlanSvg } from "../../src/report/map";

const outputs = {
  virtualNetworks: { "dcos-1": { subnet: "9.10.0.0/16", agentSubnets: { "agent-1": { block: "9.10.0.0/24", mesos: "9.10.0.0/25", docker: "9.10.0.128/25" } } } },
  marathonApps: {
    "/web": { network: "host", instances: [{ index: 0, agent: "agent-2", ip: "172.16.0.3", ports: [7000], state: "running" }] },
    "/echo": { network: "bridge", instances: [{ index: 0, agent: "agent-1", ip: "172.16.0.2", ports: [1025], taskIp: "172.16.0.130", state: "stopped" }] },
  },
  hostNetwork: { subnet: "172.16.0.0/24", dockerNetwork: "dev-host", agents: { "agent-1": { ip: "172.16.0.2" }, "agent-2": { ip: "172.16.0.3" } } },
};

describe("address-plan picture: the agents' host network", function () {
  it("lists each agent's address and the tasks on it, with their host ports", function () {
    const model = buildPlanModel(outputs);
    assert.deepEqual(model.onUnknownNetworks, []);
    assert.deepEqual(model.agents, {
      subnet: "172.16.0.0/24",
      dockerNetwork: "dev-host",
      agents: [
        { agent: "agent-1", ip: "172.16.0.2", tasks: [{ app: "/echo", mode: "bridge", ports: [1025], taskIp: "172.16.0.130", state: "stopped" }] },
        { agent: "agent-2", ip: "172.16.0.3", tasks: [{ app: "/web", mode: "host", ports: [7000], state: "running" }] },
      ],
    });
  });

  it("draws them in the SVG, and draws no agents band for a stack without any", function () {
    const svg = renderPlanSvg(outputs);
    assert.match(svg, /host network 172\.16\.0\.0\/24/);
    assert.match(svg, />172\.16\.0\.3</);
    assert.match(svg, /\/web :7000 \(host\)/);
    assert.match(svg, /\/echo :1025 → 172\.16\.0\.130 \(bridge\)/);
    const { hostNetwork: _none, ...plain } = outputs;
    assert.doesNotMatch(renderPlanSvg({ virtualNetworks: plain.virtualNetworks }), /class="agents"/);
  });
});
