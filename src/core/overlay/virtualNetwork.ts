// A DC/OS virtual network as declared in code: its validation and its planned agent allocation.
// The VirtualNetwork resource's check() is this module; the allocation it plans becomes part of
// the resource's inputs, so `pulumi preview --diff` shows which agent gains or loses which block.
import { Failure } from "../common/failure";
import { validateOverlay } from "./validateOverlay";
import { OverlaySpec, OVERLAY_MTU, MIN_VTEP_MTU } from "./types";
import { AgentSubnets, allocateAgentSubnets, capacityOf, Capacity } from "../ipam/agentSubnets";
import { NoFreeBlocksError } from "../ipam/blockPool";
import { parseCidr } from "../ip/cidr";
import { firstHostOf } from "../local/dockerNetworkSpec";
import { MarathonConnection, marathonConnectionFailures } from "../marathon/connection";
import { planOnMaster, registeredOf } from "./masterAllocation";

export interface VirtualNetworkInputs extends OverlaySpec {
  enabled: boolean;
  /** Agent ids (DC/OS keys agents by IP; any stable id works here). */
  agents: string[];
  mtu: number;
  labels: Record<string, string>;
  /** Planned in check: agent → block and halves. Not set by users. */
  agentSubnets: AgentSubnets;
  /**
   * Target marathon: how to reach the cluster, whose overlay master owns the blocks (read by
   * create, update and refresh; never by a preview). Absent on a local cluster.
   */
  connection?: MarathonConnection;
}

export interface VirtualNetworkOutputs extends VirtualNetworkInputs {
  /** Gateway of the local Docker network (the subnet's first host). */
  gateway?: string;
  capacity?: Capacity;
  /** Target marathon: agents whose overlay is not STATUS_OK on the master, with the master's error. */
  unhealthyAgents?: UnhealthyAgent[];
}

export interface UnhealthyAgent {
  agent: string;
  status: string;
  error?: string;
}

/** Fields whose change makes it a different network (DC/OS cannot re-address an overlay). */
export const REPLACE_ON = ["name", "subnet", "prefix", "subnet6", "prefix6"];
export const UPDATE_ON = ["agents", "enabled", "mtu", "labels", "agentSubnets"];

export function withDefaults(news: Record<string, any>): VirtualNetworkInputs {
  const out: Record<string, unknown> = { name: news.name };
  for (const k of ["subnet", "prefix", "subnet6", "prefix6"]) if (news[k] !== undefined) out[k] = news[k];
  out.enabled = news.enabled ?? true;
  out.agents = news.agents ?? [];
  out.mtu = news.mtu ?? OVERLAY_MTU;
  out.labels = news.labels ?? {};
  out.agentSubnets = {};
  if (news.connection !== undefined) out.connection = news.connection;
  return out as unknown as VirtualNetworkInputs;
}

/** Everything about one virtual network that can be wrong before anything is touched. */
export function validateVirtualNetwork(vn: Record<string, unknown>): Failure[] {
  return [...validateOverlay(vn), ...validateNetworkExtras(vn)];
}

/** The fields a virtual network has beyond DC/OS's overlay fields: agents, mtu, labels. */
export function validateNetworkExtras(vn: Record<string, unknown>): Failure[] {
  const failures: Failure[] = [];
  const fail = (property: string, reason: string) => failures.push({ property, reason });
  if (vn.agents !== undefined) {
    if (!Array.isArray(vn.agents)) fail("agents", "agents must be a list of agent ids");
    else {
      const seen = new Set<unknown>();
      vn.agents.forEach((a, i) => {
        if (typeof a !== "string" || a === "") fail(`agents[${i}]`, `agent id must be a non-empty string, got ${JSON.stringify(a)}`);
        else if (seen.has(a)) fail(`agents[${i}]`, `agent ${a} is listed twice`);
        seen.add(a);
      });
    }
  }
  if (vn.mtu !== undefined && (!Number.isInteger(vn.mtu) || (vn.mtu as number) < MIN_VTEP_MTU || (vn.mtu as number) > 65535)) {
    fail("mtu", `mtu must be an integer from ${MIN_VTEP_MTU} (DC/OS's smallest vtep_mtu) to 65535, got ${JSON.stringify(vn.mtu)}`);
  }
  if (vn.labels !== undefined && (typeof vn.labels !== "object" || vn.labels === null || Array.isArray(vn.labels) ||
      Object.values(vn.labels).some((v) => typeof v !== "string"))) {
    fail("labels", "labels must be a map of strings");
  }
  return failures;
}

function sameAddressing(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  return REPLACE_ON.every((k) => a[k] === b[k]);
}

/**
 * check(): validates, then plans the allocation from the previous plan (if the addressing did not
 * change) and the new agent list. Unknown values (preview before dependencies exist) skip what
 * depends on them. Exhaustion is a failure with DC/OS's wording and the numbers.
 */
export function checkVirtualNetwork(
  olds: Record<string, any>,
  news: Record<string, any>,
  isUnknown: (v: unknown) => boolean,
): { inputs: VirtualNetworkInputs; failures: Failure[] } {
  const inputs = withDefaults(news);
  const known = Object.fromEntries(Object.entries(inputs).filter(([, v]) => !isUnknown(v)));
  // Validated as the user wrote it, so DC/OS's messages that quote the overlay quote that, not defaults.
  const given = Object.fromEntries(
    Object.entries(news).filter(([k, v]) => v !== undefined && !isUnknown(v) && !COMPUTED.includes(k)),
  );
  const failures = validateVirtualNetwork(given);
  if (news.connection !== undefined) failures.push(...marathonConnectionFailures(news.connection, isUnknown));
  if (failures.length > 0 || Object.keys(known).length !== Object.keys(inputs).length) {
    return { inputs, failures };
  }
  if (!inputs.enabled) return { inputs, failures }; // DC/OS: "The NAME overlay is disabled" — no allocation
  const previous = sameAddressing(olds, inputs as unknown as Record<string, unknown>) ? (olds.agentSubnets as AgentSubnets | undefined) : undefined;
  const onMaster = inputs.connection !== undefined;
  try {
    // On a real cluster only blocks the state read from the master are held (a state written
    // before this version read it, or by a local cluster, holds a plan: its blocks are predictions).
    inputs.agentSubnets = onMaster
      ? planOnMaster(inputs, inputs.agents, olds.connection !== undefined ? previous : undefined)
      : allocateAgentSubnets(inputs, inputs.agents, previous ?? {}).agentSubnets;
  } catch (err) {
    if (!(err instanceof NoFreeBlocksError)) throw err;
    // The family that ran out: with both, the one with fewer blocks.
    const held = (["subnet", "subnet6"] as const)
      .map((key) => ({ key, blocks: blockCount(inputs[key], key === "subnet" ? inputs.prefix : inputs.prefix6) }))
      .filter((f): f is { key: "subnet" | "subnet6"; blocks: number } => f.blocks !== undefined)
      .sort((a, b) => a.blocks - b.blocks)[0];
    const needing = onMaster ? new Set([...Object.keys(registeredOf(previous)), ...inputs.agents]).size : inputs.agents.length;
    failures.push({
      property: "agents",
      reason: `${err.message}: ${needing} agents need a block, the ${held?.key ?? "subnet"} holds ${held?.blocks}`,
    });
  }
  return { inputs, failures };
}

/** Keys the provider computes or Pulumi adds, and the connection (checked on its own): not validated as an overlay's. */
const COMPUTED = ["agentSubnets", "gateway", "capacity", "unhealthyAgents", "connection", "__provider"];

function blockCount(subnet: string | undefined, prefix: number | undefined): number | undefined {
  if (subnet === undefined || prefix === undefined) return undefined;
  const parsed = parseCidr(subnet);
  return parsed.ok ? 2 ** (prefix - parsed.value.prefix) : undefined;
}

export function virtualNetworkOutputs(inputs: VirtualNetworkInputs): VirtualNetworkOutputs {
  const capacity = capacityOf(inputs, Object.keys(inputs.agentSubnets).length);
  const gateway = inputs.subnet !== undefined ? firstHostOf(inputs.subnet) : undefined;
  return { ...inputs, ...(gateway ? { gateway } : {}), ...(capacity ? { capacity } : {}) };
}
