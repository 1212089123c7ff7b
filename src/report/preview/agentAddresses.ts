// The local cluster's agents' addresses on the host network, before and after (LocalAgents plans
// them in check, so the preview already holds the new ones), as diff-style lines under Allocations.
import { PreviewStep } from "./previewJson";
import { isSecret } from "./secrets";

export interface AgentAddressChange {
  /** The host network's subnet (after, else before). */
  subnet: string;
  lines: string[];
}

function addresses(inputs: Record<string, unknown> | undefined): Record<string, string> {
  const host = inputs?.hostNetwork as { agents?: Record<string, { ip?: unknown }> } | undefined;
  if (!host || typeof host !== "object" || isSecret(host) || typeof host.agents !== "object" || host.agents === null) return {};
  return Object.fromEntries(Object.entries(host.agents).flatMap(([a, v]) => (typeof v?.ip === "string" ? [[a, v.ip]] : [])));
}

const byAgentName = (a: string, b: string) => a.localeCompare(b, "en", { numeric: true });

export function agentAddressChange(step: PreviewStep): AgentAddressChange | undefined {
  const before = addresses(step.oldState?.inputs);
  const after = addresses(step.newState?.inputs);
  const lines = [
    ...Object.keys(after).filter((a) => !(a in before)).sort(byAgentName).map((a) => `+ ${a} → ${after[a]}`),
    ...Object.keys(before).filter((a) => !(a in after)).sort(byAgentName).map((a) => `- ${a} frees ${before[a]}`),
    ...Object.keys(after).filter((a) => a in before && before[a] !== after[a]).sort(byAgentName).map((a) => `! ${a} moves ${before[a]} → ${after[a]}`),
  ];
  if (lines.length === 0) return undefined;
  const subnet = step.newState?.inputs.subnet ?? step.oldState?.inputs.subnet;
  return { subnet: typeof subnet === "string" ? subnet : "", lines };
}
