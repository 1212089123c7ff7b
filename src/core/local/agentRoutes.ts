// Routes between a local cluster's agents and its overlays. On DC/OS an overlay container reaches
// any agent's address (marathon-lb and other host-mode services at <agent-ip>:<port>), and agents
// reach overlay containers by their container IPs; overlays stay isolated from each other. Locally
// the host network and each overlay are Docker bridge networks, and Docker's isolation chains
// (DOCKER-ISOLATION-STAGE-1/2) drop everything between two bridges. Docker's documented hook for
// user rules is the DOCKER-USER chain (FORWARD jumps there first): one ACCEPT rule per direction
// between the stack's host bridge and each of its overlay bridges opens exactly those pairs.
//
// The rules live in a chain of our own, DCOS-VNET, and DOCKER-USER holds one rule of ours: the jump
// to it, placed last (just above Docker's closing RETURN where Docker still writes one), never
// above a rule the admin put there. So an admin's own DOCKER-USER rules (a DROP of some source,
// inserted with `iptables -I DOCKER-USER` as Docker's documentation shows) are evaluated first and
// win. Releases before the chain wrote the rules at the top of DOCKER-USER; the next plan moves
// them into the chain.
//
// Each rule carries a comment `dcos-vnet:<project>:<stack>:<network>`: only rules with this
// stack's prefix are ever changed or removed; the jump and the chain go with the last stack's
// rules. Plain data here: the Docker backend runs the commands in the engine's network namespace.
//
// No NAT rule is needed: the host network and the overlays are created without masquerading
// (com.docker.network.bridge.enable_ip_masquerade=false), so Docker adds no MASQUERADE for them and
// each side sees the other's own address, as on DC/OS.

/** The chain Docker keeps for user rules, jumped to from FORWARD before its isolation chains. */
export const USER_CHAIN = "DOCKER-USER";

/**
 * Our own chain, one per engine, shared by every stack on it: each stack's rules carry its tag,
 * and DOCKER-USER holds one rule of ours, the jump here. One shared chain rather than one per
 * stack, so an admin places their own DOCKER-USER rules against one line, however many stacks run.
 */
export const ROUTES_CHAIN = "DCOS-VNET";

/** The jump from DOCKER-USER to our chain, as given to iptables after the chain name. */
export const JUMP_ARGS = ["-j", ROUTES_CHAIN];

/** Names we put in rule comments: what project, stack and network names may hold. */
const WORD = /^[A-Za-z0-9_.-]+$/;

export interface RouteOwner {
  project: string;
  stack: string;
}

/** One overlay opened to the host network: its Docker network name and its Linux bridge. */
export interface OverlayBridge {
  network: string;
  bridge: string;
}

/** One ACCEPT rule of ours: packets in on `from`, out on `to`. */
export interface RouteRule {
  from: string;
  to: string;
  comment: string;
}

function word(what: string, value: string): string {
  if (!WORD.test(value)) throw new Error(`${what} ${JSON.stringify(value)}: only letters, digits, '_', '.' and '-' may name it in an iptables rule`);
  return value;
}

/** The comment prefix of every rule of this stack (':' cannot occur in the names, so no stack's prefix is another's). */
export function stackTag(owner: RouteOwner): string {
  return `dcos-vnet:${word("project", owner.project)}:${word("stack", owner.stack)}:`;
}

/**
 * The Linux bridge of a Docker bridge network: the `com.docker.network.bridge.name` option when
 * set (DC/OS overlays are `d-<name>`), else Docker's `br-` and the first 12 hex digits of its id.
 */
export function bridgeOf(network: { id: string; bridgeName?: string }): string {
  return network.bridgeName || `br-${network.id.slice(0, 12)}`;
}

/** The rules that open each overlay to the host bridge and back. */
export function desiredRules(owner: RouteOwner, hostBridge: string, overlays: OverlayBridge[]): RouteRule[] {
  const tag = stackTag(owner);
  return overlays.flatMap((o) => {
    const comment = tag + word("network", o.network);
    return [
      { from: word("bridge", o.bridge), to: word("bridge", hostBridge), comment },
      { from: hostBridge, to: o.bridge, comment },
    ];
  });
}

/** The rule's words after the chain name, as given to iptables -A/-C/-D. */
export function ruleArgs(rule: RouteRule): string[] {
  return ["-i", rule.from, "-o", rule.to, "-m", "comment", "--comment", rule.comment, "-j", "ACCEPT"];
}

/** A rule as `iptables -S` lists it, split into words (quotes around the comment removed). */
export type ListedRule = string[];

/** A listed rule of ours and the chain it is in: ours, or DOCKER-USER where releases before the chain wrote them. */
export interface ListedRoute {
  chain: string;
  args: ListedRule;
  /** Read back as a RouteRule when it has our exact shape. */
  rule?: RouteRule;
}

/** Each `-A <chain> …` line of a listing: the chain and the words after it. */
function appended(listing: string): Array<{ chain: string; args: string[] }> {
  return listing.split("\n").flatMap((line) => {
    const words = line.trim().split(/\s+/).map((w) => w.replace(/^"(.*)"$/, "$1"));
    return words[0] === "-A" && words.length > 2 ? [{ chain: words[1], args: words.slice(2) }] : [];
  });
}

/**
 * The rules of `iptables -S` whose comment starts with this stack's tag, in our chain or (written
 * by a release before the chain) in DOCKER-USER; each read back as a RouteRule when it has our
 * exact shape.
 */
export function ourListedRules(listing: string, owner: RouteOwner): ListedRoute[] {
  const tag = stackTag(owner);
  const out: ListedRoute[] = [];
  for (const { chain, args } of appended(listing)) {
    if (chain !== ROUTES_CHAIN && chain !== USER_CHAIN) continue;
    const c = args.indexOf("--comment");
    if (c < 0 || !args[c + 1]?.startsWith(tag)) continue;
    const [i, from, o, to] = args;
    const shaped = i === "-i" && o === "-o" && args.join(" ") === ruleArgs({ from, to, comment: args[c + 1] }).join(" ");
    out.push({ chain, args, ...(shaped ? { rule: { from, to, comment: args[c + 1] } } : {}) });
  }
  return out;
}

const key = (r: RouteRule) => `${r.from} ${r.to} ${r.comment}`;

/** What a listing says of our chain and its jump. */
interface ChainSeen {
  exists: boolean;
  /** Rules in our chain, every stack's (and any other). */
  rules: number;
  /** Jumps from DOCKER-USER to our chain. */
  jumps: number;
  /** Where a missing jump goes: before Docker's closing RETURN (its 1-based position), else at the end. */
  jumpAt?: number;
}

function seenChain(listing: string): ChainSeen {
  const rules = appended(listing);
  const user = rules.filter((r) => r.chain === USER_CHAIN).map((r) => r.args.join(" "));
  const closing = user.length > 0 && user[user.length - 1] === "-j RETURN" ? user.length : undefined;
  return {
    exists: listing.split("\n").some((l) => l.trim() === `-N ${ROUTES_CHAIN}`),
    rules: rules.filter((r) => r.chain === ROUTES_CHAIN).length,
    jumps: user.filter((r) => r === JUMP_ARGS.join(" ")).length,
    ...(closing !== undefined ? { jumpAt: closing } : {}),
  };
}

export interface RoutePlan {
  /** Rules to append to our chain (created if missing). */
  add: RouteRule[];
  /**
   * The jump from DOCKER-USER, when it is missing and the chain keeps rules: appended (below
   * every rule an admin put there), or at `position`, just above Docker's closing RETURN (Docker
   * before 28 ends DOCKER-USER with one; a rule below it is never reached).
   */
  jump?: { position?: number };
  /** Listed rules of ours no longer wanted (an overlay gone, a bridge renamed, a duplicate, DOCKER-USER's from before the chain), to delete as listed. */
  remove: ListedRoute[];
  /** No rule is left in our chain: the jump and the chain go, in one transaction that fails (changing nothing) if a rule arrived meanwhile. */
  drop?: { jump: boolean };
}

/** What to change so that exactly the desired rules of this stack are in our chain, and none in DOCKER-USER. */
export function planRoutes(listing: string, owner: RouteOwner, desired: RouteRule[]): RoutePlan {
  const listed = ourListedRules(listing, owner);
  const wanted = new Set(desired.map(key));
  const seen = new Set<string>();
  const remove: ListedRoute[] = [];
  for (const l of listed) {
    const k = l.rule ? key(l.rule) : undefined;
    // A duplicate of a wanted rule goes too: each rule is in the chain once.
    if (l.chain === ROUTES_CHAIN && k !== undefined && wanted.has(k) && !seen.has(k)) seen.add(k);
    else remove.push(l);
  }
  const add = desired.filter((r) => !seen.has(key(r)));
  const chain = seenChain(listing);
  const left = chain.rules - remove.filter((r) => r.chain === ROUTES_CHAIN).length + add.length;
  // A second jump (two stacks' first `up`s at one moment) goes: one pass through the chain is enough.
  for (let j = 1; j < chain.jumps; j++) remove.push({ chain: USER_CHAIN, args: JUMP_ARGS });
  return {
    add,
    ...(left > 0 && chain.jumps === 0 ? { jump: chain.jumpAt !== undefined ? { position: chain.jumpAt } : {} } : {}),
    remove,
    ...(left === 0 && (chain.exists || chain.jumps > 0) ? { drop: { jump: chain.jumps > 0 } } : {}),
  };
}

/** Nothing to run. */
export function planIsEmpty(plan: RoutePlan): boolean {
  return plan.add.length === 0 && plan.remove.length === 0 && !plan.jump && !plan.drop;
}

export type RouteState = "present" | "missing" | "unmanaged";

/**
 * Each overlay's state: "present" when both of its rules are in force (in our chain with the jump
 * there, or in DOCKER-USER as releases before the chain wrote them), else "missing" ("unmanaged":
 * see dockerIsolates).
 */
export function routeStates(listing: string, owner: RouteOwner, desired: RouteRule[]): Record<string, RouteState> {
  if (!dockerIsolates(listing)) return Object.fromEntries(desired.map((r) => [r.comment.slice(stackTag(owner).length), "unmanaged" as const]));
  const jumped = seenChain(listing).jumps > 0;
  const inForce = ourListedRules(listing, owner).filter((l) => l.chain === USER_CHAIN || jumped);
  const present = new Set(inForce.flatMap((l) => (l.rule ? [key(l.rule)] : [])));
  const states: Record<string, RouteState> = {};
  for (const r of desired) {
    const network = r.comment.slice(stackTag(owner).length);
    states[network] = states[network] === "missing" || !present.has(key(r)) ? "missing" : "present";
  }
  return states;
}

/** The states once a plan is applied (or nothing was to change): every desired overlay's rules are in. */
export function presentStates(owner: RouteOwner, desired: RouteRule[]): Record<string, RouteState> {
  return Object.fromEntries(desired.map((r) => [r.comment.slice(stackTag(owner).length), "present" as const]));
}

/** Single-quoted for sh. */
export function shellQuote(w: string): string {
  return `'${w.replace(/'/g, `'\\''`)}'`;
}

/**
 * The shell script that applies a plan. New rules go in first (our chain made if missing, each
 * rule unless already there: running it twice changes nothing), then the jump, and only then are
 * stale rules and DOCKER-USER's old ones deleted, so a rule moving into the chain is never absent.
 * DOCKER-USER is created if Docker has not made it (Docker adds its jump from FORWARD when it
 * starts). The chain is dropped with iptables-restore: the jump's removal and the chain's in one
 * transaction, which the kernel refuses whole while another stack's rule is in the chain.
 */
export function applyScript(plan: RoutePlan): string {
  const ipt = (op: string, chain: string, args: string[]) => ["iptables", "-w", op, chain, ...args].map(shellQuote).join(" ");
  const lines = ["set -e", `iptables -w -S ${USER_CHAIN} >/dev/null 2>&1 || iptables -w -N ${USER_CHAIN}`];
  if (plan.add.length > 0 || plan.jump) lines.push(`iptables -w -S ${ROUTES_CHAIN} >/dev/null 2>&1 || iptables -w -N ${ROUTES_CHAIN}`);
  for (const r of plan.add) lines.push(`${ipt("-C", ROUTES_CHAIN, ruleArgs(r))} 2>/dev/null || ${ipt("-A", ROUTES_CHAIN, ruleArgs(r))}`);
  if (plan.jump) {
    const where = plan.jump.position !== undefined ? ipt("-I", USER_CHAIN, [String(plan.jump.position), ...JUMP_ARGS]) : ipt("-A", USER_CHAIN, JUMP_ARGS);
    lines.push(`${ipt("-C", USER_CHAIN, JUMP_ARGS)} 2>/dev/null || ${where}`);
  }
  for (const r of plan.remove) lines.push(`${ipt("-D", r.chain, r.args)} || true`);
  if (plan.drop) {
    const batch = ["*filter", ...(plan.drop.jump ? [`-D ${USER_CHAIN} ${JUMP_ARGS.join(" ")}`] : []), `-X ${ROUTES_CHAIN}`, "COMMIT", ""].join("\\n");
    lines.push(`printf '${batch}' | iptables-restore -w --noflush 2>/dev/null || true`);
  }
  return lines.join("\n");
}

/** Lists the whole filter table: DOCKER-USER's rules, and whether Docker's chains are there at all. */
export const LIST_SCRIPT = "iptables -w -S";

/**
 * Whether this iptables sees Docker's chains (DOCKER-ISOLATION-STAGE-1 up to Docker 27, DOCKER-FORWARD
 * from 28, which isolates bridges with DROP rules of its own; DOCKER in both; not DOCKER-USER, which
 * the rules' script itself creates when missing). When
 * it sees none, either dockerd runs with `--iptables=false` (nothing isolates the bridges: nothing
 * to open) or it writes through the other iptables variant (legacy vs nf_tables), where rules of
 * ours would not count: in both cases no rule is written, and the overlays are reported as
 * "unmanaged" rather than as drift.
 */
export function dockerIsolates(listing: string): boolean {
  const dockerChains = new Set(["-N DOCKER-ISOLATION-STAGE-1", "-N DOCKER-FORWARD", "-N DOCKER"]);
  return listing.split("\n").some((l) => dockerChains.has(l.trim()));
}
