// Host ports of host- and bridge-mode apps on the local cluster, planned from code alone (so a
// preview shows them and says when no agent can hold an app), with Marathon's rules:
// - host mode: each `portDefinitions[i]` takes a host port; with `requirePorts: true` it is the
//   declared port (0 still means "any"), otherwise one is assigned (the declared port is then only
//   the service port, as in Marathon);
// - bridge mode: each `portMappings[i].hostPort` is that port, 0 means assigned;
// - assigned ports come from the agent's offered range, lowest free first (Marathon takes them from
//   the agent's offer; the lowest free one makes the plan the same on every machine);
// - a port is held per agent, whatever its protocol: two tasks on one agent never share one.
// Instances are placed as other apps' are (fewest instances of the app first, constraints on
// hostname), but an agent is passed over when a fixed port is already taken there, by another app
// or by another instance of this one.
import { CanonicalApp } from "../marathon/types";
import { agentRule } from "./placement";

/**
 * The ports a local agent offers. A DC/OS agent offers roughly 1025–32000 minus its own services'
 * ports; of those, the local agent keeps back 5051 (the Mesos agent's port on every DC/OS agent).
 */
export const AGENT_PORT_RANGE = { first: 1025, last: 32000 } as const;
export const AGENT_RESERVED_PORTS: readonly number[] = [5051];

export type NetworkingMode = "container" | "host" | "bridge";

/** Host networking, Docker/UCR bridge networking, or container (virtual) networks. */
export function networkingMode(app: CanonicalApp): NetworkingMode {
  if (app.networks.some((n) => n.mode === "host")) return "host";
  if (app.networks.some((n) => n.mode === "container/bridge")) return "bridge";
  return "container";
}

/** One host port an instance needs: `fixed` when the definition names it, else assigned. */
export interface PortRequest {
  fixed?: number;
  /** Where the definition asks for it, for failures (`portDefinitions[0].port`). */
  path: string;
}

export function portRequests(app: CanonicalApp): PortRequest[] {
  const mode = networkingMode(app);
  if (mode === "host") {
    return app.portDefinitions.map((d, i) => ({
      ...(app.requirePorts && d.port !== 0 ? { fixed: d.port } : {}),
      path: `portDefinitions[${i}].port`,
    }));
  }
  if (mode === "bridge") {
    return (app.container?.portMappings ?? []).map((m, i) => ({
      ...(m.hostPort ? { fixed: m.hostPort } : {}),
      path: `container.portMappings[${i}].hostPort`,
    }));
  }
  return [];
}

/** Where one instance runs and the host ports it holds there (in request order). */
export interface HostSlot {
  agent: string;
  ports: number[];
}

/** Ports held on each agent, by whom: agent → port → app id. */
export type TakenPorts = Record<string, Record<string, string>>;

export type HostPlan = { ok: true; slots: HostSlot[] } | { ok: false; property: string; reason: string };

/**
 * Places `instances` instances of `app` on `agents` and gives each its host ports, given the ports
 * other apps hold (`taken`). Instance i's slot depends only on slots before it, so scaling up keeps
 * the slots of the instances already there.
 */
export function planHostPorts(app: CanonicalApp, agents: string[], taken: TakenPorts = {}): HostPlan {
  const requests = portRequests(app);
  const parsed = agentRule(app.constraints);
  if (!parsed.ok) return { ok: false, property: "constraints", reason: parsed.reason };
  const { rule } = parsed;
  const eligible = agents.filter(rule.allowed);
  const held = new Map<string, Map<number, string>>(
    agents.map((a) => [a, new Map(Object.entries(taken[a] ?? {}).map(([p, id]) => [Number(p), id]))]),
  );
  for (const a of agents) for (const p of AGENT_RESERVED_PORTS) held.get(a)!.set(p, "the agent itself");
  for (const r of requests) {
    if (r.fixed !== undefined && (r.fixed < 1 || r.fixed > 65535)) {
      return { ok: false, property: r.path, reason: `host port ${r.fixed} is not a port (1–65535)` };
    }
  }
  const fixed = requests.filter((r) => r.fixed !== undefined).map((r) => r.fixed!);
  const dup = fixed.find((p, i) => fixed.indexOf(p) !== i);
  if (dup !== undefined) {
    const path = requests.filter((r) => r.fixed === dup)[1].path;
    return { ok: false, property: path, reason: `host port ${dup} is asked for twice by ${app.id}: one task cannot hold a port twice` };
  }
  const load = new Map(eligible.map((a) => [a, 0]));
  const slots: HostSlot[] = [];
  for (let i = 0; i < app.instances; i++) {
    const byLoad = eligible.filter((a) => load.get(a)! < rule.perAgent).sort((a, b) => load.get(a)! - load.get(b)!);
    let chosen: HostSlot | undefined;
    for (const agent of byLoad) {
      const ports = portsOn(held.get(agent)!, requests);
      if (ports) {
        chosen = { agent, ports };
        break;
      }
    }
    if (!chosen) return { ok: false, ...noAgent(app, i, requests, eligible, held, rule.perAgent, load) };
    load.set(chosen.agent, load.get(chosen.agent)! + 1);
    chosen.ports.forEach((p) => held.get(chosen!.agent)!.set(p, app.id));
    slots.push(chosen);
  }
  return { ok: true, slots };
}

/** The ports the requests get on an agent holding `held`, or undefined if a fixed one is taken or the range is full. */
function portsOn(held: Map<number, string>, requests: PortRequest[]): number[] | undefined {
  if (requests.some((r) => r.fixed !== undefined && held.has(r.fixed))) return undefined;
  const used = new Set([...held.keys(), ...requests.flatMap((r) => (r.fixed !== undefined ? [r.fixed] : []))]);
  let next: number = AGENT_PORT_RANGE.first;
  const ports: number[] = [];
  for (const r of requests) {
    if (r.fixed !== undefined) {
      ports.push(r.fixed);
      continue;
    }
    while (used.has(next) && next <= AGENT_PORT_RANGE.last) next++;
    if (next > AGENT_PORT_RANGE.last) return undefined;
    used.add(next);
    ports.push(next);
  }
  return ports;
}

/** Why instance `i` fits nowhere: each agent and what stops it. */
function noAgent(
  app: CanonicalApp,
  i: number,
  requests: PortRequest[],
  eligible: string[],
  held: Map<string, Map<number, string>>,
  perAgent: number,
  load: Map<string, number>,
): { property: string; reason: string } {
  const firstFixed = requests.find((r) => r.fixed !== undefined);
  const why = eligible.map((agent) => {
    if (load.get(agent)! >= perAgent) return `${agent}: the constraints allow no more instances there`;
    const clash = requests.find((r) => r.fixed !== undefined && held.get(agent)!.has(r.fixed));
    if (clash) {
      const holder = held.get(agent)!.get(clash.fixed!);
      return `${agent}: port ${clash.fixed} is held by ${holder === app.id ? `another instance of ${app.id}` : holder}`;
    }
    return `${agent}: no free port left in ${AGENT_PORT_RANGE.first}-${AGENT_PORT_RANGE.last}`;
  });
  return {
    property: firstFixed?.path ?? "instances",
    reason:
      `no agent can hold instance ${i + 1} of ${app.instances} of ${app.id}: it needs host ports ` +
      `[${requests.map((r) => r.fixed ?? 0).join(", ")}] on one agent (${why.join("; ") || "no agent is eligible"})`,
  };
}

/** The ports a plan holds, per agent, added to `taken` (for planning the next app). */
export function withSlots(taken: TakenPorts, appId: string, slots: HostSlot[]): TakenPorts {
  const out: TakenPorts = Object.fromEntries(Object.entries(taken).map(([a, ports]) => [a, { ...ports }]));
  for (const s of slots) {
    out[s.agent] ??= {};
    for (const p of s.ports) out[s.agent][String(p)] = appId;
  }
  return out;
}
