// One app-id normaliser for everything that names an app (Marathon's PathId rules): validation
// accepts "/shop//web/", so every place that shows or addresses the app must read it as /shop/web.
import { strict as assert } from "assert";
import { absoluteAppId, validateAppId } from "../../src/core/marathon/appId";
import { appIdOf } from "../../src/report/preview/appChanges";

describe("app ids", function () {
  it("drops empty segments and resolves relative ids against the root, as Marathon's PathId", function () {
    assert.equal(absoluteAppId("/shop//web/"), "/shop/web");
    assert.equal(absoluteAppId("shop/web"), "/shop/web");
    assert.equal(absoluteAppId("//shop///web//"), "/shop/web");
    assert.equal(absoluteAppId("/web"), "/web");
  });

  it("accepts an id with empty segments, and still rejects one that names the root", function () {
    assert.deepEqual(validateAppId("/shop//web/"), []);
    assert.equal(validateAppId("//")[0]?.property, "id");
  });

  it("shows /shop//web/ in the preview as /shop/web", function () {
    const urn = "urn:pulumi:dev::dcos-vnet::dcos:MarathonApp::shop.web";
    assert.equal(appIdOf(urn, { app: { id: "/shop//web/" } }), "/shop/web");
    assert.equal(appIdOf(urn, { canonical: { id: "shop/web/" } }), "/shop/web");
    assert.equal(appIdOf(urn), "/shop/web");
  });
});
