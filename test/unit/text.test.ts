import { strict as assert } from "assert";
import { stripTrailingSlashes } from "../../src/core/common/text";

describe("stripTrailingSlashes", function () {
  it("removes every trailing slash and nothing else", function () {
    assert.equal(stripTrailingSlashes("https://dcos.example.com///"), "https://dcos.example.com");
    assert.equal(stripTrailingSlashes("https://dcos.example.com/service/marathon"), "https://dcos.example.com/service/marathon");
    assert.equal(stripTrailingSlashes("///"), "");
    assert.equal(stripTrailingSlashes(""), "");
  });

  it("reads a long run of slashes that does not end the text in one pass (/\\/+$/ was quadratic on it)", function () {
    const text = "/".repeat(100_000) + "x";
    assert.equal(stripTrailingSlashes(text), text);
    assert.equal(stripTrailingSlashes("x" + "/".repeat(100_000)), "x");
  });
});
