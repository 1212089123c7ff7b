// The iptables rules with which an agent publishes a bridge-mode task's (or a published pod's) host
// ports in its network namespace, as argument words, and finding them again in `iptables -S`.
// Pure. Nothing here, nor in the backend that runs them (backends/docker/agents.ts), goes through a
// shell: each rule is run as `iptables -w -t nat <words>` by exec argv, and of what the engine prints
// only the rules of exactly our shape, every word allow-listed, are ever read back. A rule comment
// holding `$(…)` or backticks (a host-mode task with NET_ADMIN shares the agent's namespace) is
// therefore never run, and never mistaken for ours.

export interface PublishedPort {
  hostPort: number;
  containerPort: number;
  /** Marathon's protocol: `tcp`, `udp` or `udp,tcp`. */
  protocol: string;
}

/** Every word of a rule of ours: addresses, ports, chains, options and our container names. */
const WORD = /^[-a-zA-Z0-9_.:/]+$/;
const PROTOCOLS = new Set(["tcp", "udp"]);
/** Our chains, and the target each rule in it jumps to. */
const TARGET: Record<string, string> = { PREROUTING: "DNAT", OUTPUT: "DNAT", POSTROUTING: "MASQUERADE" };

function word(value: string): string {
  if (!WORD.test(value)) throw new Error(`unexpected characters in ${JSON.stringify(value)}`);
  return value;
}

/**
 * The rules (`-A <chain> …`) publishing `ports` at agentIp: DNAT of packets for agent-ip:hostPort
 * (from outside, and from the agent's own namespace: host-mode tasks) to the task's containerPort,
 * and masquerading so the replies come back through the agent. Each carries the task container's
 * name as its comment, by which it is found again.
 */
export function publishRules(agentIp: string, task: string, taskIp: string, ports: PublishedPort[]): string[][] {
  const rules: string[][] = [];
  for (const p of ports) {
    for (const proto of p.protocol.split(",").map((x) => x.trim())) {
      if (!PROTOCOLS.has(proto)) throw new Error(`protocol ${JSON.stringify(proto)} of host port ${p.hostPort}: only tcp and udp are published`);
      const match = ["-p", proto, "--dport", String(p.hostPort), "-m", "comment", "--comment", word(task)];
      const dnat = ["-j", "DNAT", "--to-destination", `${word(taskIp)}:${p.containerPort}`];
      rules.push(["-A", "PREROUTING", "-d", word(agentIp), ...match, ...dnat]);
      rules.push(["-A", "OUTPUT", "-d", word(agentIp), ...match, ...dnat]);
      rules.push(["-A", "POSTROUTING", "-d", taskIp, "-p", proto, "--dport", String(p.containerPort), "-m", "comment", "--comment", task, "-j", "MASQUERADE"]);
    }
  }
  return rules;
}

/**
 * The rules of `task` in `iptables -t nat -S` output, as words (`-A <chain> …`): only lines whose
 * every word is allow-listed (a comment is printed quoted when it holds a `.`, as ours do), in one
 * of our chains, with exactly `-m comment --comment <task>` and our chain's target. Anything else
 * is not ours and is left alone.
 */
export function taskRules(listing: string, task: string): string[][] {
  const rules: string[][] = [];
  for (const line of listing.split("\n")) {
    const words = line.trim().split(" ").map((w) => (/^"[^"]*"$/.test(w) ? w.slice(1, -1) : w));
    if (words.length < 2 || !words.every((w) => WORD.test(w))) continue;
    const [verb, chain] = words;
    if (verb !== "-A" || !(chain in TARGET)) continue;
    const comments = words.flatMap((w, i) => (w === "--comment" ? [i] : []));
    if (comments.length !== 1 || words[comments[0] + 1] !== task || words[comments[0] - 1] !== "comment" || words[comments[0] - 2] !== "-m") continue;
    const jumps = words.flatMap((w, i) => (w === "-j" ? [i] : []));
    if (jumps.length !== 1 || words[jumps[0] + 1] !== TARGET[chain]) continue;
    const target = words.slice(jumps[0] + 1);
    const ours = TARGET[chain] === "MASQUERADE" ? target.length === 1 : target.length === 3 && target[1] === "--to-destination";
    if (ours) rules.push(words);
  }
  return rules;
}

/** The same rule as a deletion (`-D <chain> …`). */
export function deletion(rule: string[]): string[] {
  return ["-D", ...rule.slice(1)];
}
