// Several Docker hosts on one machine, for the multi-host tests: each "host" is a private engine
// (privateEngine.ts: its own dockerd in its own network namespace), and the namespaces are joined
// by veth pairs on a bridge of the test's own, with addresses in a private /24 that no route of
// this machine uses. The host engine's FORWARD policy drops bridged traffic, so one rule lets the
// bridge forward to itself; it is removed again in teardown, with the bridge and the engines,
// also when a test failed part-way (and from an exit handler if the process dies).
import { execFileSync } from "child_process";
import { PrivateEngine, startPrivateEngine } from "./privateEngine";

export interface Host {
  /** host-1, host-2, … (what the stack config calls it). */
  readonly name: string;
  /** Its address on the test's /24 (the swarm's advertise address); this machine is .254 there. */
  readonly address: string;
  readonly engine: PrivateEngine;
}

export interface HostCluster {
  readonly hosts: Host[];
  /** The bridge joining the hosts (dvtbr-<random>). */
  readonly bridge: string;
  /** The test's own /24, e.g. 10.213.57.0/24. */
  readonly subnet: string;
  dispose(): Promise<void>;
}

function ip(args: string[]): string {
  return execFileSync("ip", args, { stdio: "pipe", encoding: "utf8" });
}

/** A 10.213.x.0/24 that no route and no address of this machine touches. */
function freeSubnet(): string {
  const taken = ip(["-4", "route", "show", "table", "all"]) + ip(["-4", "-o", "addr"]);
  for (let i = 0; i < 50; i++) {
    const third = 1 + Math.floor(Math.random() * 250);
    if (!taken.includes(`10.213.${third}.`)) return `10.213.${third}`;
  }
  throw new Error("no free 10.213.x.0/24 for the test hosts");
}

const FORWARD_RULE = (bridge: string) => ["FORWARD", "-i", bridge, "-o", bridge, "-j", "ACCEPT"];

/** Removes the bridge and the forward rule; idempotent, synchronous (also runs at exit). */
function removeFabric(bridge: string): string[] {
  const problems: string[] = [];
  // -D removes one copy of the rule; -C says whether one is still there.
  for (let i = 0; i < 5; i++) {
    try {
      execFileSync("iptables", ["-C", ...FORWARD_RULE(bridge)], { stdio: "pipe" });
    } catch {
      break;
    }
    try {
      execFileSync("iptables", ["-D", ...FORWARD_RULE(bridge)], { stdio: "pipe" });
    } catch (err) {
      problems.push(`iptables -D ${FORWARD_RULE(bridge).join(" ")}: ${(err as Error).message}`);
      break;
    }
  }
  try {
    ip(["link", "show", bridge]);
    ip(["link", "del", bridge]);
  } catch {
    // gone already
  }
  return problems;
}

/**
 * Starts `count` engines (hosts) joined by a bridge. Everything it made is removed by dispose(),
 * and by the exit handler if the test process ends first.
 */
export async function startHostCluster(
  label: string,
  count = 3,
  /** More dockerd arguments for host k (1-based) at `address`, e.g. a TLS listener. */
  extraArgs?: (k: number, address: string) => string[],
): Promise<HostCluster> {
  const prefix = freeSubnet();
  const bridge = `dvtbr-${Math.random().toString(36).slice(2, 8)}`;
  const engines: PrivateEngine[] = [];
  const cleanupAtExit = () => removeFabric(bridge);
  process.on("exit", cleanupAtExit);
  const disposeAll = async (): Promise<string[]> => {
    const problems: string[] = [];
    for (const e of engines.splice(0)) {
      try {
        await e.dispose();
      } catch (err) {
        problems.push((err as Error).message);
      }
    }
    problems.push(...removeFabric(bridge));
    process.removeListener("exit", cleanupAtExit);
    return problems;
  };
  try {
    ip(["link", "add", bridge, "type", "bridge"]);
    ip(["link", "set", bridge, "up"]);
    execFileSync("iptables", ["-I", ...FORWARD_RULE(bridge)], { stdio: "pipe" });
    // Engines start one after another: two cores are shared with other test runs.
    for (let i = 1; i <= count; i++) engines.push(await startPrivateEngine(`${label}h${i}`, { extraArgs: extraArgs?.(i, `${prefix}.${i}`) }));
    // This machine reaches the hosts' engines (tcp:// endpoints) through the bridge's own address.
    ip(["addr", "add", `${prefix}.254/24`, "dev", bridge]);
    const hosts: Host[] = engines.map((engine, k) => {
      const address = `${prefix}.${k + 1}`;
      const outside = `${bridge.slice(0, 11)}v${k + 1}`; // ≤ 15 characters
      ip(["link", "add", outside, "type", "veth", "peer", "name", "eth-host", "netns", engine.netns]);
      ip(["link", "set", outside, "master", bridge, "up"]);
      ip(["-n", engine.netns, "addr", "add", `${address}/24`, "dev", "eth-host"]);
      ip(["-n", engine.netns, "link", "set", "eth-host", "up"]);
      return { name: `host-${k + 1}`, address, engine };
    });
    return {
      hosts,
      bridge,
      subnet: `${prefix}.0/24`,
      async dispose() {
        const problems = await disposeAll();
        if (problems.length > 0) throw new Error(`test hosts not fully removed: ${problems.join("; ")}`);
      },
    };
  } catch (err) {
    const problems = await disposeAll();
    throw new Error(`could not start ${count} test hosts: ${(err as Error).message}${problems.length ? `; cleanup: ${problems.join("; ")}` : ""}`);
  }
}
