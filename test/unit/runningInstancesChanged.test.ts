// When VIP proxies wait for the app's instances after an update: the running instances changed
// when they are other containers, whatever their addresses (a roll can reuse the old ones).
import { strict as assert } from "assert";
import { AppState, Instance, runningInstancesChanged } from "../../src/core/local/instance";

const inst = (containerId: string, ip: string, state: Instance["state"] = "running"): Instance =>
  ({ index: 0, agent: "agent-1", ip, container: `c-${containerId}`, containerId, half: "docker", state });
const app = (...instances: Instance[]): AppState => ({ instances, nextIndex: instances.length });

describe("runningInstancesChanged", function () {
  it("no: the same running containers, in any order", function () {
    assert.equal(runningInstancesChanged(app(inst("a", "9.0.0.2"), inst("b", "9.0.0.3")), app(inst("b", "9.0.0.3"), inst("a", "9.0.0.2"))), false);
  });

  it("yes: new containers on the old addresses (a roll that reused them)", function () {
    assert.equal(runningInstancesChanged(app(inst("a", "9.0.0.2"), inst("b", "9.0.0.3")), app(inst("c", "9.0.0.3"), inst("d", "9.0.0.2"))), true);
  });

  it("yes: a scale, or a create (no previous state)", function () {
    assert.equal(runningInstancesChanged(app(inst("a", "9.0.0.2")), app(inst("a", "9.0.0.2"), inst("b", "9.0.0.3"))), true);
    assert.equal(runningInstancesChanged(undefined, app(inst("a", "9.0.0.2"))), true);
  });

  it("counts only running instances: one that stopped and was restarted in place is a change back", function () {
    const stopped = app(inst("a", "9.0.0.2"), inst("b", "9.0.0.3", "stopped"));
    const healed = app(inst("a", "9.0.0.2"), inst("b", "9.0.0.3"));
    assert.equal(runningInstancesChanged(stopped, healed), true);
    assert.equal(runningInstancesChanged(healed, healed), false);
  });
});
