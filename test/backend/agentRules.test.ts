// An agent's published-port rules on the real engine, in a real agent container: taking a task's
// rules off reads `iptables -S` and never lets the engine's words reach a shell. Rules carrying the
// task's comment with `$(touch …)` in a LOG prefix, or backticks in a second comment (what a
// host-mode task with NET_ADMIN, in the agent's namespace, could add), run nothing and are left
// alone; the task's own rules go.
import { strict as assert } from "assert";
import { randomBytes } from "crypto";
import { Owner } from "../../src/core/local/dockerNetworkSpec";
import { AgentRef, publishPorts, startAgent, unpublishPorts } from "../../src/backends/docker/agents";
import { engine, requireAgentImage, requireDocker, run } from "../support/docker";
import { createTestNetwork } from "../support/backendNetwork";

const suffix = randomBytes(3).toString("hex");
const owner: Owner = { project: "dcos-vnet", stack: `nat-${suffix}` };
const network = `nat-${suffix}`;
const task = `${owner.stack}.web.0`;

describe("an agent's published-port rules, in a real agent container", function () {
  this.timeout(180_000);
  let agent: AgentRef;
  const inAgent = async (...cmd: string[]) => (await run("docker", ["exec", agent.container, ...cmd])).stdout;
  /** The nat rules carrying the task's name (Docker's own DNS rules are there too). */
  const taskRules = async () => (await inAgent("iptables", "-w", "-t", "nat", "-S")).split("\n").filter((l) => l.startsWith("-A ") && l.includes(task));

  before(async function () {
    await requireDocker();
    // The agents' image, built in the tests' engine itself (busybox + the host's iptables).
    await requireAgentImage();
    const prefix = (await createTestNetwork(network, owner, 225)).split(".").slice(0, 3).join(".");
    agent = { agent: "agent-1", container: `${owner.stack}.agent.agent-1`, owner };
    await startAgent({ ...agent, ip: `${prefix}.2`, network, aliases: [] }, owner);
    await publishPorts(agent, `${prefix}.2`, task, `${prefix}.130`, [{ hostPort: 7000, containerPort: 80, protocol: "tcp" }]);
  });

  after(async function () {
    for (const c of await engine.listContainers({ all: true, filters: { label: [`io.dcos-vnet.stack=${owner.stack}`] } })) {
      await engine.getContainer(c.Id).remove({ force: true });
    }
    await engine.getNetwork(network).remove().catch(() => undefined);
  });

  it("runs nothing of a rule comment or LOG prefix holding $( ) or backticks, leaves such rules alone, and removes the task's own", async function () {
    assert.equal((await taskRules()).length, 3, "published: DNAT from outside and from the agent, masquerade back");
    const comment = ["-m", "comment", "--comment", task];
    await inAgent("iptables", "-w", "-t", "nat", "-A", "PREROUTING", ...comment, "-j", "LOG", "--log-prefix", "$(touch /tmp/pwned)");
    await inAgent("iptables", "-w", "-t", "nat", "-A", "PREROUTING", ...comment, "-m", "comment", "--comment", "`touch /tmp/pwned2`", "-j", "RETURN");
    const outcome = await unpublishPorts(agent, task).then(() => undefined, (err: Error) => err);
    assert.deepEqual((await inAgent("ls", "/tmp")).split("\n").filter((f) => f.startsWith("pwned")), [], "nothing ran in the agent");
    assert.equal(outcome, undefined, String(outcome));
    assert.deepEqual(await taskRules(), [
      `-A PREROUTING -m comment --comment "${task}" -j LOG --log-prefix "$(touch /tmp/pwned)"`,
      `-A PREROUTING -m comment --comment "${task}" -m comment --comment "\`touch /tmp/pwned2\`" -j RETURN`,
    ]);
  });
});
