import { strict as assert } from "assert";
import fc from "fast-check";
import { Address4, Address6 } from "ip-address";
import { formatIPv4, formatIPv6, parseCidr, formatCidr } from "../../src/core/ip/cidr";

describe("CIDR parsing and formatting", function () {
  it("normalises and refuses host bits with the network the user meant", function () {
    assert.deepEqual(parseCidr("9.0.1.7/24"), { ok: false, reason: "9.0.1.7/24 has host bits set; did you mean 9.0.1.0/24?" });
    const p = parseCidr("fd01:000b:0000::/64");
    assert.ok(p.ok && formatCidr(p.value) === "fd01:b::/64");
  });

  it("property: hand-written IPv4 formatting equals ip-address's", function () {
    fc.assert(fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (n) => {
      assert.equal(formatIPv4(n), Address4.fromBigInt(BigInt(n)).correctForm());
    }));
  });

  it("property: hand-written IPv6 formatting equals ip-address's RFC 5952 form", function () {
    const group = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 0xffff }));
    fc.assert(fc.property(fc.array(group, { minLength: 8, maxLength: 8 }), (groups) => {
      const value = groups.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n);
      assert.equal(formatIPv6(value), Address6.fromBigInt(value).correctForm());
    }), { numRuns: 2000 });
  });
});
