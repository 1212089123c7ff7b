// Which agent runs each instance on a local cluster: the agent with the fewest instances of the
// app so far (ties in agent order, so placement is round-robin), among the agents the app's
// constraints allow. Local agents have no attributes besides their id, so only constraints on
// `hostname` apply: UNIQUE, MAX_PER, CLUSTER, IS, LIKE, UNLIKE (GROUP_BY is what the spreading
// does anyway). Constraints on other fields cannot be satisfied by any local agent and are
// refused.
import { MARATHON } from "../marathon/messages";
import { likeMatcher } from "./likeMatch";

export interface Placed {
  index: number;
  agent: string;
}

export type Placement = { ok: true; placed: Placed[] } | { ok: false; reason: string };

interface AgentRule {
  allowed: (agent: string) => boolean;
  /** Maximum instances of the app per agent. */
  perAgent: number;
  describe: string;
}

export function agentRule(constraints: string[][]): { ok: true; rule: AgentRule } | { ok: false; reason: string } {
  let perAgent = Infinity;
  const filters: Array<(agent: string) => boolean> = [];
  const parts: string[] = [];
  for (const [field, op, value] of constraints) {
    if (field !== "hostname" && field !== "@hostname") {
      if (op === "GROUP_BY") continue;
      return { ok: false, reason: `constraint [${field}, ${op}] needs agent attribute "${field}"; local agents only have a hostname` };
    }
    parts.push(value === undefined ? `${op}` : `${op} ${value}`);
    switch (op) {
      case "UNIQUE": perAgent = Math.min(perAgent, 1); break;
      case "MAX_PER": perAgent = Math.min(perAgent, Number(value)); break;
      case "CLUSTER":
      case "IS": filters.push((a) => a === value); break;
      case "LIKE":
      case "UNLIKE": {
        // Never RegExp: the pattern is the app author's, and a backtracking engine can be made to
        // run for hours on one agent name (core/local/likeMatch).
        if (value === undefined) return { ok: false, reason: `constraint [${field}, ${op}]: ${MARATHON.regexRequired}` };
        const like = likeMatcher(value);
        if (!like.ok) {
          return { ok: false, reason: `constraint [${field}, ${op}, ${JSON.stringify(value)}]: the local cluster matches ${op} patterns without backtracking and cannot run this one: ${like.reason}` };
        }
        filters.push(op === "LIKE" ? (a) => like.matches(a) : (a) => !like.matches(a));
        break;
      }
      case "GROUP_BY": break;
    }
  }
  return { ok: true, rule: { allowed: (a) => filters.every((f) => f(a)), perAgent, describe: parts.join(", ") || "none" } };
}

/**
 * Places `count` new instances numbered from `firstIndex`, given where the app's `existing`
 * instances run.
 */
export function placeInstances(
  agents: string[],
  constraints: string[][],
  existing: Placed[],
  count: number,
  firstIndex: number,
): Placement {
  const parsed = agentRule(constraints);
  if (!parsed.ok) return parsed;
  const { rule } = parsed;
  const eligible = agents.filter(rule.allowed);
  const load = new Map(eligible.map((a) => [a, 0]));
  for (const p of existing) if (load.has(p.agent)) load.set(p.agent, load.get(p.agent)! + 1);
  const placed: Placed[] = [];
  for (let i = 0; i < count; i++) {
    let best: string | undefined;
    for (const a of eligible) {
      const n = load.get(a)!;
      if (n < rule.perAgent && (best === undefined || n < load.get(best)!)) best = a;
    }
    if (best === undefined) {
      const total = existing.length + count;
      const room = Number.isFinite(rule.perAgent) ? eligible.length * rule.perAgent : 0;
      return {
        ok: false,
        reason: `constraints (${rule.describe}) allow at most ${room} instances on agents [${eligible.join(", ")}], asked for ${total}`,
      };
    }
    load.set(best, load.get(best)! + 1);
    placed.push({ index: firstIndex + i, agent: best });
  }
  return { ok: true, placed };
}
