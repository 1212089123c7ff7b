// Policy violations in the pull-request Markdown: read from the engine's event log (the lines
// below have the shape `pulumi preview --event-log` wrote for this pack, CLI v3.260.0) and listed
// under "Policy violations", mandatory first; a mandatory one marks the preview failed.
import { strict as assert } from "assert";
import { readPolicyViolations, renderPreviewMarkdown } from "../../src/report/preview";

const APP_URN = "urn:pulumi:live::dcos-vnet::dcos-vnet:index:DcosCluster$pulumi-nodejs:dynamic/dcos:MarathonApp::web";
const NET_URN = "urn:pulumi:live::dcos-vnet::dcos-vnet:index:DcosCluster$pulumi-nodejs:dynamic/dcos:VirtualNetwork::tiny";

function policyEvent(policyName: string, enforcementLevel: string, urn: string, found: string): string {
  return JSON.stringify({
    sequence: 41,
    timestamp: 1796134613,
    policyEvent: {
      resourceUrn: urn,
      message: `The policy's description.\n${found}\n`,
      color: "never",
      policyName,
      policyPackName: "dcos-vnet",
      policyPackVersion: "0.1.0",
      policyPackVersionTag: "0.1.0",
      enforcementLevel,
    },
  });
}

const LOG = [
  JSON.stringify({ sequence: 1, timestamp: 1, preludeEvent: { config: {} } }),
  policyEvent("dcos-network-headroom", "advisory", NET_URN, "VirtualNetwork tiny: agent-1's Docker half would hold 5 of its 5 container addresses (0% free)"),
  policyEvent("dcos-app-health-check", "mandatory", APP_URN, "MarathonApp web (/web): app.healthChecks is empty"),
  policyEvent("dcos-app-health-check", "mandatory", APP_URN, "MarathonApp web (/web): app.healthChecks is empty"),
  "not json",
].join("\n");

const PREVIEW = {
  steps: [{ op: "create", urn: APP_URN, newState: { type: "pulumi-nodejs:dynamic/dcos:MarathonApp", inputs: {} } }],
  changeSummary: { create: 1 },
  diagnostics: [{ severity: "error", message: "error: preview failed\n" }],
};

describe("policy violations in the preview Markdown", function () {
  it("reads each violation once from the event log, mandatory first, with the resource it is about", function () {
    assert.deepEqual(readPolicyViolations(LOG), [
      { policyPack: "dcos-vnet", policy: "dcos-app-health-check", enforcementLevel: "mandatory", where: "MarathonApp `web`", message: "The policy's description.\nMarathonApp web (/web): app.healthChecks is empty" },
      {
        policyPack: "dcos-vnet", policy: "dcos-network-headroom", enforcementLevel: "advisory", where: "VirtualNetwork `tiny`",
        message: "The policy's description.\nVirtualNetwork tiny: agent-1's Docker half would hold 5 of its 5 container addresses (0% free)",
      },
    ]);
  });

  it("lists them under Policy violations and says the mandatory ones block the change, instead of 'preview failed'", function () {
    const md = renderPreviewMarkdown(PREVIEW, { stack: "live", policyViolations: readPolicyViolations(LOG) });
    assert.ok(md.startsWith("## Pulumi preview of stack `live`: failed\n\n**1 mandatory policy violation blocks this change** (below). Planned: 1 to create.\n"), md);
    assert.ok(md.includes([
      "### Policy violations",
      "",
      "- **mandatory** `dcos-vnet/dcos-app-health-check` on MarathonApp `web`: MarathonApp web (/web): app.healthChecks is empty",
      "- **advisory** `dcos-vnet/dcos-network-headroom` on VirtualNetwork `tiny`: VirtualNetwork tiny: agent-1's Docker half would hold 5 of its 5 container addresses (0% free)",
    ].join("\n")), md);
    assert.ok(!md.includes("preview failed"), md);
  });

  it("shows advisory violations on a preview that succeeded, which stays a success", function () {
    const advisory = readPolicyViolations(LOG).filter((v) => v.enforcementLevel === "advisory");
    const md = renderPreviewMarkdown({ ...PREVIEW, diagnostics: [] }, { stack: "live", policyViolations: advisory });
    assert.ok(md.startsWith("## Pulumi preview of stack `live`\n\n**1 to create**"), md);
    assert.ok(md.includes("- **advisory** `dcos-vnet/dcos-network-headroom`"), md);
  });

  it("keeps a policy's text plain: no Markdown emphasis, links or HTML from it", function () {
    const log = policyEvent("odd", "mandatory", APP_URN, "labels.<tagKey> = *prod* [x](y) `z`");
    const md = renderPreviewMarkdown(PREVIEW, { stack: "live", policyViolations: readPolicyViolations(log) });
    assert.ok(md.includes("labels.\\<tagKey\\> = \\*prod\\* \\[x\\](y) \\`z\\`"), md);
  });
});
