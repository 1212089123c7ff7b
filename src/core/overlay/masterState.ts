// The DC/OS overlay master's state, as `GET /mesos/overlay-master/state` answers it through Admin
// Router: the `State` message of dcos-mesos-modules `overlay/overlay.proto` rendered as JSON by
// Mesos' JSON::protobuf (proto field names, enums by name). On a real cluster this is the truth for
// agent blocks: the master hands a new agent the lowest free block and, on recovery, reserves every
// recorded block again, so blocks are stable per agent and not in lowest-free order once agents have
// come and gone (overlay/master.cpp).
import { Failure } from "../common/failure";
import type { AgentSubnet, AgentSubnets } from "../ipam/agentSubnets";
import type { OverlaySpec } from "./types";

/** `BridgeInfo`: a bridge and the half of the agent's block it serves, as a network (9.0.3.0/25). */
export interface MasterBridge {
  name: string;
  ip?: string;
  ip6?: string;
}

/** `AgentOverlayInfo`: one overlay on one agent. */
export interface MasterAgentOverlay {
  info: OverlaySpec;
  subnet?: string;
  subnet6?: string;
  mesos_bridge?: MasterBridge;
  docker_bridge?: MasterBridge;
  backend?: { vxlan?: { vni: number; vtep_name: string; vtep_ip: string; vtep_mac: string; vtep_ip6?: string; vtep_mtu?: number } };
  state?: { status?: "STATUS_INVALID" | "STATUS_OK" | "STATUS_FAILED" | "STATUS_CONFIGURING"; error?: string };
}

/** `AgentInfo`: an agent, keyed by its IP, and its overlays. */
export interface MasterAgent {
  ip: string;
  overlays: MasterAgentOverlay[];
  configuration_attempts?: number;
}

/** `NetworkConfig`: the VTEP settings and the overlays, as config.yaml's `dcos_overlay_network`. */
export interface MasterNetwork {
  vtep_subnet: string;
  vtep_mac_oui: string;
  vtep_subnet6?: string;
  vtep_mtu?: number;
  overlays: OverlaySpec[];
}

/** `State`. */
export interface OverlayMasterState {
  network?: MasterNetwork;
  agents: MasterAgent[];
}

export type ParsedMasterState = { ok: true; value: OverlayMasterState } | { ok: false; failures: Failure[] };

const STATUSES = new Set(["STATUS_INVALID", "STATUS_OK", "STATUS_FAILED", "STATUS_CONFIGURING"]);

/**
 * Checks an answer against the message's shape. Fields the proto declares are typed; fields added by
 * a newer master are ignored, as a protobuf reader would. Every failure names the JSON path.
 */
export function parseOverlayMasterState(raw: unknown): ParsedMasterState {
  const failures: Failure[] = [];
  const fail = (property: string, reason: string) => failures.push({ property, reason });
  if (!isObject(raw)) return { ok: false, failures: [{ property: "", reason: "the overlay master's state must be a JSON object (State in overlay.proto)" }] };

  let network: MasterNetwork | undefined;
  if (raw.network !== undefined) {
    if (!isObject(raw.network)) fail("network", "network must be an object (NetworkConfig)");
    else {
      const n = raw.network;
      for (const k of ["vtep_subnet", "vtep_mac_oui"]) if (typeof n[k] !== "string") fail(`network.${k}`, `${k} is required and must be a string`);
      if (n.vtep_subnet6 !== undefined && typeof n.vtep_subnet6 !== "string") fail("network.vtep_subnet6", "vtep_subnet6 must be a string");
      if (n.vtep_mtu !== undefined && !isUint(n.vtep_mtu)) fail("network.vtep_mtu", "vtep_mtu must be a non-negative integer");
      const overlays = listOf(n.overlays, "network.overlays", fail).flatMap((o, i) => overlayInfo(o, `network.overlays[${i}]`, fail));
      network = {
        vtep_subnet: n.vtep_subnet as string,
        vtep_mac_oui: n.vtep_mac_oui as string,
        ...(n.vtep_subnet6 !== undefined ? { vtep_subnet6: n.vtep_subnet6 as string } : {}),
        ...(n.vtep_mtu !== undefined ? { vtep_mtu: n.vtep_mtu as number } : {}),
        overlays,
      };
    }
  }

  const seen = new Set<string>();
  const agents = listOf(raw.agents, "agents", fail).flatMap((a, i): MasterAgent[] => {
    const at = `agents[${i}]`;
    if (!isObject(a)) return fail(at, "agent must be an object (AgentInfo)"), [];
    if (typeof a.ip !== "string" || a.ip === "") return fail(`${at}.ip`, "ip is required and must be a string"), [];
    if (seen.has(a.ip)) fail(`${at}.ip`, `agent ${a.ip} appears twice`);
    seen.add(a.ip);
    const overlays = listOf(a.overlays, `${at}.overlays`, fail).flatMap((o, j) => agentOverlay(o, `${at}.overlays[${j}]`, fail));
    return [{ ip: a.ip, overlays, ...(isUint(a.configuration_attempts) ? { configuration_attempts: a.configuration_attempts } : {}) }];
  });
  return failures.length > 0 ? { ok: false, failures } : { ok: true, value: { ...(network ? { network } : {}), agents } };
}

/**
 * One overlay's allocation as the master holds it: agent IP → its block and halves, in this
 * package's AgentSubnet shape. Agents without a block of this overlay (registered before the
 * overlay was added, or a disabled overlay) are left out.
 */
export function masterAgentSubnets(state: OverlayMasterState, overlay: string): AgentSubnets {
  const out: AgentSubnets = {};
  for (const agent of state.agents) {
    const o = agent.overlays.find((x) => x.info.name === overlay);
    if (!o || (o.subnet === undefined && o.subnet6 === undefined)) continue;
    const subnet: Partial<AgentSubnet> = {};
    if (o.subnet !== undefined) {
      subnet.block = o.subnet;
      if (o.mesos_bridge?.ip !== undefined) subnet.mesos = o.mesos_bridge.ip;
      if (o.docker_bridge?.ip !== undefined) subnet.docker = o.docker_bridge.ip;
    }
    if (o.subnet6 !== undefined) {
      subnet.block6 = o.subnet6;
      if (o.mesos_bridge?.ip6 !== undefined) subnet.mesos6 = o.mesos_bridge.ip6;
      if (o.docker_bridge?.ip6 !== undefined) subnet.docker6 = o.docker_bridge.ip6;
    }
    out[agent.ip] = subnet as AgentSubnet;
  }
  return out;
}

/** Agents whose overlay is not STATUS_OK on the master, with the master's error: said beside drift. */
export function unhealthyAgents(state: OverlayMasterState, overlay: string): { agent: string; status: string; error?: string }[] {
  return state.agents.flatMap((agent) => {
    const o = agent.overlays.find((x) => x.info.name === overlay);
    const status = o?.state?.status ?? "STATUS_INVALID";
    if (!o || status === "STATUS_OK") return [];
    return [{ agent: agent.ip, status, ...(o.state?.error ? { error: o.state.error } : {}) }];
  });
}

function overlayInfo(o: unknown, at: string, fail: (p: string, r: string) => void): OverlaySpec[] {
  if (!isObject(o)) return fail(at, "overlay must be an object (OverlayInfo)"), [];
  if (typeof o.name !== "string" || o.name === "") return fail(`${at}.name`, "name is required and must be a string"), [];
  const spec: OverlaySpec = { name: o.name };
  for (const k of ["subnet", "subnet6"] as const) {
    if (o[k] === undefined) continue;
    if (typeof o[k] !== "string") fail(`${at}.${k}`, `${k} must be a string`);
    else spec[k] = o[k] as string;
  }
  for (const k of ["prefix", "prefix6"] as const) {
    if (o[k] === undefined) continue;
    if (!isUint(o[k])) fail(`${at}.${k}`, `${k} must be a non-negative integer`);
    else spec[k] = o[k] as number;
  }
  if (o.enabled !== undefined) {
    if (typeof o.enabled !== "boolean") fail(`${at}.enabled`, "enabled must be true or false");
    else spec.enabled = o.enabled;
  }
  return [spec];
}

function agentOverlay(o: unknown, at: string, fail: (p: string, r: string) => void): MasterAgentOverlay[] {
  if (!isObject(o)) return fail(at, "overlay must be an object (AgentOverlayInfo)"), [];
  const [info] = overlayInfo(o.info, `${at}.info`, fail);
  if (!info) return [];
  const out: MasterAgentOverlay = { info };
  for (const k of ["subnet", "subnet6"] as const) {
    if (o[k] === undefined) continue;
    if (typeof o[k] !== "string") fail(`${at}.${k}`, `${k} must be a string`);
    else out[k] = o[k] as string;
  }
  for (const k of ["mesos_bridge", "docker_bridge"] as const) {
    const b = o[k];
    if (b === undefined) continue;
    if (!isObject(b) || typeof b.name !== "string") fail(`${at}.${k}`, `${k} must be a BridgeInfo with a name`);
    else {
      const bridge: MasterBridge = { name: b.name };
      for (const f of ["ip", "ip6"] as const) {
        if (b[f] === undefined) continue;
        if (typeof b[f] !== "string") fail(`${at}.${k}.${f}`, `${f} must be a string`);
        else bridge[f] = b[f] as string;
      }
      out[k] = bridge;
    }
  }
  if (isObject(o.backend)) out.backend = o.backend as MasterAgentOverlay["backend"];
  if (o.state !== undefined) {
    if (!isObject(o.state)) fail(`${at}.state`, "state must be an object");
    else {
      const status = o.state.status ?? "STATUS_INVALID";
      if (typeof status !== "string" || !STATUSES.has(status)) fail(`${at}.state.status`, `status must be one of ${[...STATUSES].join(", ")}`);
      else out.state = { status: status as NonNullable<MasterAgentOverlay["state"]>["status"], ...(typeof o.state.error === "string" ? { error: o.state.error } : {}) };
    }
  }
  return [out];
}

function listOf(v: unknown, at: string, fail: (p: string, r: string) => void): unknown[] {
  if (v === undefined) return []; // a repeated field with no element is absent from the JSON
  if (!Array.isArray(v)) return fail(at, `${at.split(".").pop()} must be a list`), [];
  return v;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isUint(v: unknown): v is number {
  return Number.isInteger(v) && (v as number) >= 0;
}
