// The local cluster's agents on the Docker engine: one long-lived container per agent, holding a
// network namespace with the agent's address on the host network. Host-mode tasks join that
// namespace (`container:<agent>`); bridge-mode host ports are published in it with iptables DNAT,
// as the CNI portmap plugin publishes a Kubernetes hostPort in the node's namespace (Docker's own
// `-p` publishes on the engine's addresses, not on an address living in another namespace).
import { AGENT_IMAGE } from "../../core/local/agents";
import { Owner } from "../../core/local/dockerNetworkSpec";
import { docker, engineCall, statusOf } from "./client";
import { runInContainer } from "./exec";
import { ContainerState, runContainer } from "./containers";

/** Label naming the agent a container plays. */
export const AGENT_LABEL = "io.dcos-vnet.local-agent";

export interface AgentContainerSpec {
  agent: string;
  container: string;
  ip: string;
  network: string;
  /** DNS names the agent's address answers to on the host network (`<app>.marathon.mesos` of its host and bridge apps). */
  aliases: string[];
}

/** Starts an agent: its container with its address, allowed to forward and to manage its own firewall. */
export async function startAgent(spec: AgentContainerSpec, owner: Owner): Promise<ContainerState> {
  try {
    return await runContainer(
      {
        name: spec.container,
        image: AGENT_IMAGE,
        // Holds the namespace and ends at once on `docker stop`.
        cmd: ["/bin/sh", "-c", "trap 'exit 0' TERM INT; while :; do sleep 3600 & wait $!; done"],
        env: {},
        labels: { [AGENT_LABEL]: spec.agent },
        network: spec.network,
        ip: spec.ip,
        aliases: spec.aliases,
        hostname: spec.agent,
        capAdd: ["NET_ADMIN"],
        sysctls: { "net.ipv4.ip_forward": "1" },
      },
      owner,
    );
  } catch (err) {
    if (statusOf(err) === 404 && /no such image/i.test(String((err as Error).message))) {
      throw new Error(`agent ${spec.agent}: image ${AGENT_IMAGE} is not on the Docker engine; build it with \`npm run setup\` (scripts/agentImage.sh)`);
    }
    throw err;
  }
}

/** Runs a shell script in a container; fails with its output when it exits non-zero. */
export async function execIn(container: string, script: string): Promise<string> {
  const { output, exitCode } = await runInContainer(container, ["/bin/sh", "-c", script]);
  const text = output.trim();
  if (exitCode !== 0) throw new Error(`in agent container ${container}: \`${script}\` failed (exit ${exitCode}): ${text}`);
  return text;
}

export interface PublishedPort {
  hostPort: number;
  containerPort: number;
  protocol: string;
}

/** Shell-safe: container names and addresses are [a-zA-Z0-9_.-]; refuse anything else. */
function safe(word: string): string {
  if (!/^[a-zA-Z0-9_.:-]+$/.test(word)) throw new Error(`unexpected characters in ${JSON.stringify(word)}`);
  return word;
}

/**
 * Publishes a bridge-mode task's host ports at its agent's address: DNAT of packets for
 * agent-ip:hostPort (from outside, and from the agent's own namespace: host-mode tasks) to the
 * task's containerPort, and masquerading so the replies come back through the agent. Each rule
 * carries the task container's name as a comment, so `unpublishPorts` finds them.
 */
export async function publishPorts(agentContainer: string, agentIp: string, task: string, taskIp: string, ports: PublishedPort[]): Promise<void> {
  const lines: string[] = [];
  for (const p of ports) {
    for (const proto of p.protocol.split(",").map((x) => x.trim())) {
      const match = `-p ${safe(proto)} --dport ${p.hostPort} -m comment --comment ${safe(task)}`;
      const dnat = `-j DNAT --to-destination ${safe(taskIp)}:${p.containerPort}`;
      lines.push(`iptables -w -t nat -A PREROUTING -d ${safe(agentIp)} ${match} ${dnat}`);
      lines.push(`iptables -w -t nat -A OUTPUT -d ${safe(agentIp)} ${match} ${dnat}`);
      lines.push(`iptables -w -t nat -A POSTROUTING -d ${safe(taskIp)} -p ${proto} --dport ${p.containerPort} -m comment --comment ${safe(task)} -j MASQUERADE`);
    }
  }
  if (lines.length > 0) await execIn(agentContainer, ["set -e", ...lines].join("\n"));
}

/** Removes the rules `publishPorts` made for a task (none is fine; an agent that is gone took them along). */
export async function unpublishPorts(agentContainer: string, task: string): Promise<void> {
  const script =
    `iptables -w -t nat -S | grep -F -- '--comment "${safe(task)}"' | sed 's/^-A /-D /' | ` +
    `while read -r rule; do eval "iptables -w -t nat $rule" || exit 1; done`;
  try {
    await execIn(agentContainer, script);
  } catch (err) {
    const status = statusOf(err);
    if (status === 404 || status === 409) return; // agent container gone or not running: its rules went with it
    throw err;
  }
}
