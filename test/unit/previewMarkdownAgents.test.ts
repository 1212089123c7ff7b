// The preview Markdown's Allocations section also shows the local cluster's agents gaining,
// freeing or moving their address on the host network (LocalAgents plans them in check).
import { strict as assert } from "assert";
import { renderPreviewMarkdown } from "../../src/report/preview";

const STACK = "dev";
const type = "pulumi-nodejs:dynamic/dcos:LocalAgents";
const host = (agents: Record<string, string>) => ({
  subnet: "172.16.0.0/24",
  hostNetwork: { dockerNetwork: "dev-host", subnet: "172.16.0.0/24", agents: Object.fromEntries(Object.entries(agents).map(([a, ip]) => [a, { ip, container: `dev.agent.${a}` }])) },
});
const step = (op: string, olds?: Record<string, unknown>, news?: Record<string, unknown>) => ({
  op,
  urn: `urn:pulumi:${STACK}::dcos-vnet::${type}::agents`,
  ...(olds ? { oldState: { type, inputs: olds, outputs: {} } } : {}),
  ...(news ? { newState: { type, inputs: news, outputs: {} } } : {}),
  detailedDiff: null,
});

describe("preview Markdown: agents' addresses on the host network", function () {
  it("lists agents that gain, free or move an address", function () {
    const md = renderPreviewMarkdown(
      { steps: [step("update", host({ "agent-1": "172.16.0.2", "agent-2": "172.16.0.3" }), host({ "agent-1": "172.16.0.2", "agent-3": "172.16.0.3" }))] },
      { stack: STACK },
    );
    assert.match(md, /### Allocations\n\nAgents on the host network `172\.16\.0\.0\/24`:\n\n```diff\n\+ agent-3 → 172\.16\.0\.3\n- agent-2 frees 172\.16\.0\.3\n```/);
  });

  it("says nothing of agents whose addresses stay", function () {
    const same = host({ "agent-1": "172.16.0.2" });
    const md = renderPreviewMarkdown({ steps: [step("update", same, { ...same, aliases: { "agent-1": ["web.marathon.mesos"] } })] }, { stack: STACK });
    assert.doesNotMatch(md, /Agents on the host network/);
  });
});
