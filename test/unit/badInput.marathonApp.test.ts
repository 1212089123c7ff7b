// Every bad app definition is refused by MarathonApp's check (checkMarathonApp, through the one
// helper that builds its inputs) with each failure's JSON path and reason exactly as listed; the
// rules that only Marathon's own validation knows agree with validateApp alone.
import { strict as assert } from "assert";
import { validateApp } from "../../src/core/marathon/validateApp";
import { assignServicePorts } from "../../src/core/marathon/servicePorts";
import { under } from "../../src/core/common/failure";
import { resolveApp } from "../../src/core/marathon/appInputs";
import { BAD_APPS, checkApp, NET } from "../support/badApps";

describe("bad input, unit level: MarathonApp check (checkMarathonApp)", function () {
  for (const c of BAD_APPS) {
    it(c.what, function () {
      assert.deepEqual(checkApp(c.app, c.opts).failures, c.failures);
    });
  }

  describe("Marathon's own rules are validateApp's alone, whatever the stack", function () {
    for (const c of BAD_APPS.filter((x) => !x.ours && !x.opts.appFile)) {
      it(c.what, function () {
        assert.deepEqual(under("app", validateApp(c.app)), c.failures);
      });
    }
  });

  describe("the stack's and the local cluster's own rules: Marathon alone would accept the app", function () {
    for (const c of BAD_APPS.filter((x) => x.ours)) {
      it(c.what, function () {
        assert.deepEqual(validateApp(c.app), []);
      });
    }
  });

  describe("app ids", function () {
    it("/shop//web/ is the app /shop/web, as Marathon's PathId reads it (empty segments dropped)", function () {
      const { failures, inputs } = checkApp({ id: "/shop//web/", cmd: "sleep 1", networks: [{ mode: "container", name: NET }] });
      assert.deepEqual(failures, []);
      const { canonical, aliases } = resolveApp(inputs);
      assert.equal(canonical.id, "/shop/web");
      assert.ok(aliases.includes("web.shop.marathon.mesos"), aliases.join(", "));
    });

    it("a relative id is resolved against the root group", function () {
      const { failures, inputs } = checkApp({ id: "shop/web", cmd: "sleep 1", networks: [{ mode: "container", name: NET }] });
      assert.deepEqual(failures, []);
      assert.equal(resolveApp(inputs).canonical.id, "/shop/web");
    });
  });

  describe("across the stack's apps (the service ports the stack program assigns)", function () {
    const canonical = (id: string, servicePort?: number) => {
      const app = { id, container: { type: "DOCKER", docker: { image: "busybox" }, portMappings: [{ containerPort: 80, servicePort }] }, networks: [{ mode: "container", name: NET }] };
      const { failures, inputs } = checkApp(app);
      assert.deepEqual(failures, []);
      const { canonical } = resolveApp(inputs);
      return { id: canonical.id, portMappings: canonical.container?.portMappings ?? [] };
    };

    it("/shop/web and /shop//web/ are the same app twice", function () {
      const { failures } = assignServicePorts([canonical("/shop/web"), canonical("/shop//web/")]);
      assert.deepEqual(failures, [{ property: "apps[1].id", reason: "app id /shop/web appears twice in the stack" }]);
    });

    it("two apps asking for the same service port", function () {
      const { failures } = assignServicePorts([canonical("/a", 10101), canonical("/b", 10101)]);
      assert.deepEqual(failures, [{ property: "apps[1].portMappings[0].servicePort", reason: "servicePort 10101 is already used by app /a" }]);
    });
  });
});
