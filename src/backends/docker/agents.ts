// The local cluster's agents on the Docker engine: one long-lived container per agent, holding a
// network namespace with the agent's address on the host network. Host-mode tasks join that
// namespace (`container:<agent>`); bridge-mode host ports are published in it with iptables DNAT,
// as the CNI portmap plugin publishes a Kubernetes hostPort in the node's namespace (Docker's own
// `-p` publishes on the engine's addresses, not on an address living in another namespace).
import { AGENT_IMAGE } from "../../core/local/agents";
import type { ResolvedApp } from "../../core/marathon/appInputs";
import { Owner, isOwnedBy } from "../../core/local/dockerNetworkSpec";
import { PublishedPort, deletion, publishRules, taskRules } from "../../core/local/agentNat";
import { statusOf } from "./client";
import { runInContainer } from "./exec";
import { ContainerState, ROLE_LABELS, inspectContainer, roleOf, runContainer } from "./containers";

/** Label naming the agent a container plays. */
export const AGENT_LABEL = ROLE_LABELS.agent;

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

/** An agent as a task knows it: its name and its container's, and the stack it is an agent of. */
export interface AgentRef {
  agent: string;
  container: string;
  owner: Owner;
}

/** Agent `agent` of an app's host network, if it has one. */
export function agentRefOf(inputs: Pick<ResolvedApp, "hostNetwork" | "owner">, agent: string): AgentRef | undefined {
  const found = inputs.hostNetwork?.agents?.[agent];
  return found ? { agent, container: found.container, owner: inputs.owner } : undefined;
}

/** True for the stack's container of this agent (our ownership labels and the agent's label). */
export function isAgentContainer(c: ContainerState, ref: AgentRef): boolean {
  return isOwnedBy(c.labels, ref.owner) && c.labels[AGENT_LABEL] === ref.agent;
}

export class AgentOwnershipError extends Error {
  constructor(ref: AgentRef, seen: ContainerState) {
    const is = isOwnedBy(seen.labels, ref.owner) ? roleOf(seen.labels) : `not owned by project "${ref.owner.project}" stack "${ref.owner.stack}"`;
    super(
      `Docker container "${ref.container}" is not agent ${ref.agent} of project "${ref.owner.project}" stack "${ref.owner.stack}" (it is ${is}; ` +
        `an agent carries our ownership labels and ${AGENT_LABEL}=${ref.agent}): it is never adopted, no task joins it and nothing runs in it. ` +
        "Remove or rename it, and run the command again.",
    );
    this.name = "AgentOwnershipError";
  }
}

/** The agent's container, checked to be ours before anything joins it or runs in it; undefined if there is none. */
export async function inspectAgent(ref: AgentRef): Promise<ContainerState | undefined> {
  const seen = await inspectContainer(ref.container);
  if (seen && !isAgentContainer(seen, ref)) throw new AgentOwnershipError(ref, seen);
  return seen;
}

/** Runs `iptables -w -t nat <words>` in the agent (exec argv: no shell); fails with its output when it exits non-zero. */
async function natTable(agentId: string, ref: AgentRef, words: string[]): Promise<string> {
  const { output, exitCode } = await runInContainer(agentId, ["iptables", "-w", "-t", "nat", ...words]);
  if (exitCode !== 0) throw new Error(`in agent container ${ref.container}: \`iptables -w -t nat ${words.join(" ")}\` failed (exit ${exitCode}): ${output.trim()}`);
  return output;
}

/** Adds rules (`-A …` words) in the agent's namespace, in order. */
export async function addRules(ref: AgentRef, rules: string[][]): Promise<void> {
  if (rules.length === 0) return;
  const agent = await inspectAgent(ref);
  if (!agent?.running) throw new Error(`agent ${ref.agent}: its container ${ref.container} is not running (pulumi up --refresh brings it back)`);
  for (const rule of rules) await natTable(agent.id, ref, rule);
}

/**
 * Publishes a bridge-mode task's host ports at its agent's address (core/local/agentNat
 * publishRules). Each rule carries the task container's name as its comment, so `unpublishPorts` finds it.
 */
export async function publishPorts(ref: AgentRef, agentIp: string, task: string, taskIp: string, ports: PublishedPort[]): Promise<void> {
  await addRules(ref, publishRules(agentIp, task, taskIp, ports));
}

/**
 * Takes the rules `publishPorts` made for a task off its agent, and returns them (to be added
 * again, parked tasks); none is fine, and an agent that is gone or stopped took them along.
 */
export async function takePublishedRules(ref: AgentRef, task: string): Promise<string[][]> {
  const agent = await inspectAgent(ref);
  if (!agent) return [];
  try {
    const rules = taskRules(await natTable(agent.id, ref, ["-S"]), task);
    for (const rule of rules) await natTable(agent.id, ref, deletion(rule));
    return rules;
  } catch (err) {
    const status = statusOf(err);
    if (status === 404 || status === 409) return []; // agent container gone or not running: its rules went with it
    throw err;
  }
}

/** Removes the rules `publishPorts` made for a task (none is fine; an agent that is gone took them along). */
export async function unpublishPorts(ref: AgentRef, task: string): Promise<void> {
  await takePublishedRules(ref, task);
}
