// A VirtualNetwork's allocation change, agent by agent, from its `agentSubnets` input before and
// after (the provider plans the allocation in check, so the preview already holds the new one).
import type { AgentSubnet } from "../../core/ipam/agentSubnets";
import { PreviewStep } from "./previewJson";
import { isSecret } from "./secrets";

export interface NetworkAllocationChange {
  /** The overlay's name. */
  network: string;
  /** `+ agent → block (halves)`, `- agent frees block`, `! agent moves old → new (halves)`: diff-style lines. */
  lines: string[];
}

type Blocks = Record<string, Partial<AgentSubnet>>;

function agentBlocks(inputs: Record<string, unknown> | undefined): Blocks {
  const value = inputs?.agentSubnets;
  if (typeof value !== "object" || value === null || Array.isArray(value) || isSecret(value)) return {};
  return Object.fromEntries(
    Object.entries(value).filter((e): e is [string, Partial<AgentSubnet>] => typeof e[1] === "object" && e[1] !== null),
  );
}

/** `9.10.3.0/24 (mesos 9.10.3.0/25, docker 9.10.3.128/25)`, and the IPv6 block likewise when there is one. */
function describe(sub: Partial<AgentSubnet>): string {
  const parts: string[] = [];
  if (sub.block) parts.push(`${sub.block} (mesos ${sub.mesos}, docker ${sub.docker})`);
  if (sub.block6) parts.push(`${sub.block6} (mesos ${sub.mesos6}, docker ${sub.docker6})`);
  return parts.join(" and ");
}

const blocksOf = (sub: Partial<AgentSubnet>) => [sub.block, sub.block6].filter(Boolean).join(" and ");
const byAgentName = (a: string, b: string) => a.localeCompare(b, "en", { numeric: true });

export function allocationChange(step: PreviewStep): NetworkAllocationChange | undefined {
  // A create has no old state and a delete no new one: every block is gained, or freed.
  const before = agentBlocks(step.oldState?.inputs);
  const after = agentBlocks(step.newState?.inputs);
  const gained = Object.keys(after).filter((a) => !(a in before)).sort(byAgentName);
  const freed = Object.keys(before).filter((a) => !(a in after)).sort(byAgentName);
  const moved = Object.keys(after)
    .filter((a) => a in before && blocksOf(before[a]) !== blocksOf(after[a]))
    .sort(byAgentName);
  const lines = [
    ...gained.map((a) => `+ ${a} → ${describe(after[a])}`),
    ...freed.map((a) => `- ${a} frees ${blocksOf(before[a])}`),
    ...moved.map((a) => `! ${a} moves ${blocksOf(before[a])} → ${describe(after[a])}`),
  ];
  if (lines.length === 0) return undefined;
  const name = step.newState?.inputs.name ?? step.oldState?.inputs.name;
  return { network: typeof name === "string" ? name : step.urn.split("::").pop() ?? "", lines };
}
