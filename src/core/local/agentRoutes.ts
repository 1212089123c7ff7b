// Routes between a local cluster's agents and its overlays. On DC/OS an overlay container reaches
// any agent's address (marathon-lb and other host-mode services at <agent-ip>:<port>), and agents
// reach overlay containers by their container IPs; overlays stay isolated from each other. Locally
// the host network and each overlay are Docker bridge networks, and Docker's isolation chains
// (DOCKER-ISOLATION-STAGE-1/2) drop everything between two bridges. Docker's documented hook for
// user rules is the DOCKER-USER chain (FORWARD jumps there first): one ACCEPT rule per direction
// between the stack's host bridge and each of its overlay bridges opens exactly those pairs.
//
// Each rule carries a comment `dcos-vnet:<project>:<stack>:<network>`: only rules with this
// stack's prefix are ever changed or removed. Plain data here: the Docker backend runs the
// commands in the engine's network namespace.
//
// No NAT rule is needed: the host network and the overlays are created without masquerading
// (com.docker.network.bridge.enable_ip_masquerade=false), so Docker adds no MASQUERADE for them and
// each side sees the other's own address, as on DC/OS.

/** The chain Docker keeps for user rules, jumped to from FORWARD before its isolation chains. */
export const USER_CHAIN = "DOCKER-USER";

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

/** The rule's words after the chain name, as given to iptables -I/-C/-D. */
export function ruleArgs(rule: RouteRule): string[] {
  return ["-i", rule.from, "-o", rule.to, "-m", "comment", "--comment", rule.comment, "-j", "ACCEPT"];
}

/** A rule as `iptables -S` lists it, split into words (quotes around the comment removed). */
export type ListedRule = string[];

/**
 * The rules of `iptables -S DOCKER-USER` whose comment starts with this stack's tag, each as its
 * words after `-A DOCKER-USER`, and read back as a RouteRule when it has our exact shape.
 */
export function ourListedRules(listing: string, owner: RouteOwner): Array<{ args: ListedRule; rule?: RouteRule }> {
  const tag = stackTag(owner);
  const out: Array<{ args: ListedRule; rule?: RouteRule }> = [];
  for (const line of listing.split("\n")) {
    const words = line.trim().split(/\s+/).map((w) => w.replace(/^"(.*)"$/, "$1"));
    if (words[0] !== "-A" || words[1] !== USER_CHAIN) continue;
    const c = words.indexOf("--comment");
    if (c < 0 || !words[c + 1]?.startsWith(tag)) continue;
    const args = words.slice(2);
    const [i, from, o, to] = args;
    const shaped = i === "-i" && o === "-o" && args.join(" ") === ruleArgs({ from, to, comment: words[c + 1] }).join(" ");
    out.push({ args, ...(shaped ? { rule: { from, to, comment: words[c + 1] } } : {}) });
  }
  return out;
}

const key = (r: RouteRule) => `${r.from} ${r.to} ${r.comment}`;

export interface RoutePlan {
  /** Rules to insert at the top of DOCKER-USER (before Docker's RETURN). */
  add: RouteRule[];
  /** Listed rules of ours that are no longer wanted (an overlay gone, a bridge renamed), to delete as listed. */
  remove: ListedRule[];
}

/** What to change so that exactly the desired rules of this stack are in the chain. */
export function planRoutes(listing: string, owner: RouteOwner, desired: RouteRule[]): RoutePlan {
  const listed = ourListedRules(listing, owner);
  const wanted = new Set(desired.map(key));
  const present = new Set(listed.flatMap((l) => (l.rule ? [key(l.rule)] : [])));
  const seen = new Set<string>();
  const remove: ListedRule[] = [];
  for (const l of listed) {
    const k = l.rule ? key(l.rule) : undefined;
    // A duplicate of a wanted rule goes too: each rule is in the chain once.
    if (k !== undefined && wanted.has(k) && !seen.has(k)) seen.add(k);
    else remove.push(l.args);
  }
  return { add: desired.filter((r) => !present.has(key(r))), remove };
}

export type RouteState = "present" | "missing" | "unmanaged";

/** Each overlay's state: "present" when both of its rules are in the chain, else "missing" ("unmanaged": see dockerIsolates). */
export function routeStates(listing: string, owner: RouteOwner, desired: RouteRule[]): Record<string, RouteState> {
  if (!dockerIsolates(listing)) return Object.fromEntries(desired.map((r) => [r.comment.slice(stackTag(owner).length), "unmanaged" as const]));
  const present = new Set(ourListedRules(listing, owner).flatMap((l) => (l.rule ? [key(l.rule)] : [])));
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
 * The shell script that applies a plan: the chain is created if Docker has not made it (Docker
 * adds its jump from FORWARD and its RETURN when it starts, keeping ours above), stale rules are
 * deleted, wanted ones inserted unless already there (-C: running it twice changes nothing).
 */
export function applyScript(plan: RoutePlan): string {
  const ipt = (op: string, args: string[]) => ["iptables", "-w", op, USER_CHAIN, ...args].map(shellQuote).join(" ");
  return [
    "set -e",
    `iptables -w -S ${USER_CHAIN} >/dev/null 2>&1 || iptables -w -N ${USER_CHAIN}`,
    ...plan.remove.map((args) => `${ipt("-D", args)} || true`),
    ...plan.add.map((r) => `${ipt("-C", ruleArgs(r))} 2>/dev/null || ${ipt("-I", ruleArgs(r))}`),
  ].join("\n");
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
