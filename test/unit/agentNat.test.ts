// The rules an agent publishes a task's host ports with, and reading them back from `iptables -S`
// (the listing below is what the agent image's iptables printed for them, beside rules that are
// not ours): only rules of exactly our shape, every word allow-listed, are ever read back.
import { strict as assert } from "assert";
import { deletion, publishRules, taskRules } from "../../src/core/local/agentNat";

const LISTING = [
  "-P PREROUTING ACCEPT",
  "-P OUTPUT ACCEPT",
  '-A PREROUTING -m comment --comment "dev.web.0" -j LOG --log-prefix "$(touch /tmp/pwned)"',
  '-A PREROUTING -m comment --comment "dev.web.0" -m comment --comment "`touch /tmp/pwned2`" -j RETURN',
  '-A PREROUTING -d 172.16.0.2/32 -p tcp -m tcp --dport 7000 -m comment --comment "dev.web.0" -j DNAT --to-destination 172.16.0.130:80',
  '-A OUTPUT -d 172.16.0.2/32 -p tcp -m tcp --dport 7000 -m comment --comment "dev.web.0" -j DNAT --to-destination 172.16.0.130:80',
  '-A POSTROUTING -d 172.16.0.130/32 -p tcp -m tcp --dport 80 -m comment --comment "dev.web.0" -j MASQUERADE',
  '-A POSTROUTING -d 172.16.0.131/32 -p tcp -m tcp --dport 80 -m comment --comment "dev.web.01" -j MASQUERADE',
  '-A POSTROUTING -p udp -m comment --comment "a b \\"c\\" \\\'d\\\' \\\\e" -j MASQUERADE',
  '-A POSTROUTING -d 172.16.0.130/32 -p tcp -m comment --comment "dev.web.0" -j ACCEPT',
  '-A INPUT -d 172.16.0.130/32 -p tcp -m comment --comment "dev.web.0" -j MASQUERADE',
].join("\n");

describe("an agent's published-port rules (argument words, never a shell)", function () {
  it("reads back only the task's rules of our shape: not another task's, not a LOG or RETURN rule carrying its comment, not one with $( ) or backticks", function () {
    assert.deepEqual(taskRules(LISTING, "dev.web.0"), [
      ["-A", "PREROUTING", "-d", "172.16.0.2/32", "-p", "tcp", "-m", "tcp", "--dport", "7000", "-m", "comment", "--comment", "dev.web.0", "-j", "DNAT", "--to-destination", "172.16.0.130:80"],
      ["-A", "OUTPUT", "-d", "172.16.0.2/32", "-p", "tcp", "-m", "tcp", "--dport", "7000", "-m", "comment", "--comment", "dev.web.0", "-j", "DNAT", "--to-destination", "172.16.0.130:80"],
      ["-A", "POSTROUTING", "-d", "172.16.0.130/32", "-p", "tcp", "-m", "tcp", "--dport", "80", "-m", "comment", "--comment", "dev.web.0", "-j", "MASQUERADE"],
    ]);
  });

  it("deletes a rule by the same words", function () {
    assert.deepEqual(deletion(["-A", "POSTROUTING", "-j", "MASQUERADE"]), ["-D", "POSTROUTING", "-j", "MASQUERADE"]);
  });

  it("publishes DNAT from outside and from the agent itself, and masquerades the way back, per protocol", function () {
    const rules = publishRules("172.16.0.2", "dev.web.0", "172.16.0.130", [{ hostPort: 7000, containerPort: 80, protocol: "udp,tcp" }]);
    assert.deepEqual(rules.map((r) => `${r[1]} ${r[r.indexOf("-p") + 1]} ${r[r.indexOf("-j") + 1]}`), [
      "PREROUTING udp DNAT", "OUTPUT udp DNAT", "POSTROUTING udp MASQUERADE", "PREROUTING tcp DNAT", "OUTPUT tcp DNAT", "POSTROUTING tcp MASQUERADE",
    ]);
    assert.ok(rules.every((r) => r.includes("dev.web.0")));
  });

  it("refuses a word that is not of our shape rather than publish it", function () {
    assert.throws(() => publishRules("172.16.0.2", "dev.web.0;x", "172.16.0.130", [{ hostPort: 1, containerPort: 2, protocol: "tcp" }]), /unexpected characters in "dev.web.0;x"/);
    assert.throws(() => publishRules("172.16.0.2", "dev.web.0", "172.16.0.130", [{ hostPort: 1, containerPort: 2, protocol: "icmp" }]), /only tcp and udp are published/);
  });
});
