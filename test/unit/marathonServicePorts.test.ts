// assignServicePorts: explicit service ports are unique across the stack; 0/absent ones get the lowest free
// port of 10000–20000, deterministically in app order.
import { strict as assert } from "assert";
import { assignServicePorts } from "../../src/core/marathon";

describe("marathon assignServicePorts", function () {
  it("assigns 0 and absent service ports from 10000 upwards, in app and mapping order", function () {
    const out = assignServicePorts([
      { id: "/a", portMappings: [{ servicePort: 0 }, {}] },
      { id: "/b", portMappings: [{}] },
    ]);
    assert.deepStrictEqual(out, { ports: { "/a": [10000, 10001], "/b": [10002] }, failures: [] });
  });

  it("keeps explicit ports and never hands them out, even when a later app declares them", function () {
    const out = assignServicePorts([
      { id: "/a", portMappings: [{ servicePort: 0 }] },
      { id: "/b", portMappings: [{ servicePort: 10000 }, { servicePort: 80 }, { servicePort: 0 }] },
    ]);
    assert.deepStrictEqual(out.ports, { "/a": [10001], "/b": [10000, 80, 10002] });
    assert.deepStrictEqual(out.failures, []);
  });

  it("refuses an explicit port another app already uses, naming that app and the field", function () {
    const out = assignServicePorts([
      { id: "/x", portMappings: [{ servicePort: 80 }] },
      { id: "/y", portMappings: [{ servicePort: 81 }, { servicePort: 80 }] },
    ]);
    assert.deepStrictEqual(out.failures, [
      { property: "apps[1].portMappings[1].servicePort", reason: "servicePort 80 is already used by app /x" },
    ]);
  });

  it("refuses the same explicit port twice within one app", function () {
    const out = assignServicePorts([{ id: "/x", portMappings: [{ servicePort: 9000 }, { servicePort: 9000 }] }]);
    assert.deepStrictEqual(out.failures.map((f) => f.property), ["apps[0].portMappings[1].servicePort"]);
    assert.match(out.failures[0].reason, /servicePort 9000 is already used by app \/x/);
  });

  it("reports exhaustion of the range at the mapping that found none", function () {
    const out = assignServicePorts(
      [{ id: "/a", portMappings: [{}, { servicePort: 10001 }] }, { id: "/b", portMappings: [{}, {}] }],
      { min: 10000, max: 10002 },
    );
    assert.deepStrictEqual(out.ports, { "/a": [10000, 10001], "/b": [10002, 0] });
    assert.deepStrictEqual(out.failures.map((f) => f.property), ["apps[1].portMappings[1].servicePort"]);
    assert.match(out.failures[0].reason, /no free service port left in 10000-10002/);
  });

  it("uses the whole default range up to 20000 inclusive", function () {
    const out = assignServicePorts([{ id: "/big", portMappings: Array.from({ length: 10002 }, () => ({})) }]);
    assert.equal(out.ports["/big"][10000], 20000);
    assert.deepStrictEqual(out.failures.map((f) => f.property), ["apps[0].portMappings[10001].servicePort"]);
  });

  it("is deterministic: the same stack gives the same ports", function () {
    const stack = [{ id: "/a", portMappings: [{}, { servicePort: 10003 }] }, { id: "/b", portMappings: [{}, {}, {}] }];
    assert.deepStrictEqual(assignServicePorts(stack), assignServicePorts(JSON.parse(JSON.stringify(stack))));
    assert.deepStrictEqual(assignServicePorts(stack).ports["/b"], [10001, 10002, 10004]);
  });

  it("flags an app id that appears twice", function () {
    const out = assignServicePorts([{ id: "/a", portMappings: [] }, { id: "/a", portMappings: [] }]);
    assert.deepStrictEqual(out.failures.map((f) => f.property), ["apps[1].id"]);
  });
});
