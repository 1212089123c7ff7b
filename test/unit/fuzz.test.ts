// Fuzzing the validators with random input: network sets and app definitions, well-formed or not.
// They must return failures (never throw anything else), never accept an overlap, and finish.
// fuzzLongInput.test.ts is the other half: ~10,000-character adversarial strings in every field.
import { strict as assert } from "assert";
import fc from "fast-check";
import { parseStackConfig } from "../../src/config/stackConfig";
import { validateOverlaySet } from "../../src/core/overlay/validateOverlaySet";
import { validateApp } from "../../src/core/marathon/validateApp";
import { normalizeApp } from "../../src/core/marathon/normalize";
import { parseCidr, lastAddress } from "../../src/core/ip/cidr";
import { checkApp } from "../support/badApps";

const octet = fc.integer({ min: 0, max: 300 });
const cidrText = fc.oneof(
  fc.tuple(octet, octet, octet, octet, fc.integer({ min: -1, max: 40 })).map(([a, b, c, d, p]) => `${a}.${b}.${c}.${d}/${p}`),
  fc.tuple(fc.constantFrom("fd01:b::", "fd01:b:0:1::", "::", "fe80::1", "zz::"), fc.integer({ min: 0, max: 130 })).map(([a, p]) => `${a}/${p}`),
  fc.string(),
);
const anyValue = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.object());
const network = fc.record(
  {
    name: fc.oneof(fc.constantFrom("dcos", "dcos-1", "host", "a", "abcdefghijklmnop", "Net_1"), anyValue),
    subnet: fc.oneof(cidrText, anyValue),
    prefix: fc.oneof(fc.integer({ min: -2, max: 40 }), anyValue),
    subnet6: fc.oneof(cidrText, fc.constant(undefined)),
    prefix6: fc.oneof(fc.integer({ min: 0, max: 130 }), fc.constant(undefined)),
    enabled: fc.oneof(fc.boolean(), anyValue),
    agents: fc.oneof(fc.array(fc.string(), { maxLength: 4 }), anyValue),
  },
  { requiredKeys: [] },
);

function overlaps(texts: string[]): boolean {
  const cidrs = texts.map((t) => parseCidr(t)).flatMap((p) => (p.ok ? [p.value] : []));
  for (let i = 0; i < cidrs.length; i++) {
    for (let j = i + 1; j < cidrs.length; j++) {
      const [a, b] = [cidrs[i], cidrs[j]];
      if (a.family === b.family && a.start <= lastAddress(b) && b.start <= lastAddress(a)) return true;
    }
  }
  return false;
}

const isFailureList = (v: unknown) =>
  Array.isArray(v) && v.every((f) => typeof f.property === "string" && typeof f.reason === "string" && f.reason.length > 0);

describe("fuzzing the validators", function () {
  this.timeout(120_000);

  it("network sets: never throw, always return failures as data, never accept an overlap", function () {
    fc.assert(
      fc.property(fc.oneof(fc.array(network, { maxLength: 6 }), anyValue), (networks) => {
        const failures = validateOverlaySet(networks);
        assert.ok(isFailureList(failures));
        const parsed = parseStackConfig({ networks });
        if (parsed.ok) {
          const texts = parsed.value.networks.flatMap((n) => [n.subnet, n.subnet6].filter((s): s is string => typeof s === "string"));
          assert.equal(overlaps(texts), false, `accepted overlapping networks ${JSON.stringify(networks)}`);
        } else {
          assert.ok(isFailureList(parsed.failures) && parsed.failures.length > 0);
        }
      }),
      { numRuns: 2000, interruptAfterTimeLimit: 60_000 },
    );
  });

  it("well-formed random sets are accepted exactly when no two subnets overlap", function () {
    const net = fc.record({ second: fc.integer({ min: 0, max: 255 }), len: fc.integer({ min: 9, max: 20 }) });
    let accepted = 0;
    let refused = 0;
    fc.assert(
      fc.property(fc.array(net, { minLength: 1, maxLength: 6 }), (raw) => {
        const nets = raw.map((r, i) => {
          const len = r.len;
          const second = r.second & (0xff << (16 - Math.min(16, len))) & 0xff; // clear host bits
          return { name: `net-${i}`, subnet: `9.${second}.0.0/${len}`, prefix: 24 };
        });
        const parsed = parseStackConfig({ networks: nets });
        const overlapping = overlaps(nets.map((n) => n.subnet));
        assert.equal(parsed.ok, !overlapping, JSON.stringify({ nets, parsed }));
        if (parsed.ok) accepted++;
        else refused++;
      }),
      { numRuns: 1000 },
    );
    assert.ok(accepted > 50 && refused > 50, `both outcomes exercised (${accepted} accepted, ${refused} refused)`);
  });

  it("random overlapping sets built on purpose are always refused", function () {
    fc.assert(
      fc.property(fc.integer({ min: 8, max: 20 }), fc.integer({ min: 0, max: 3 }), (outer, extra) => {
        const inner = outer + 1 + extra;
        const nets = [
          { name: "a", subnet: `9.0.0.0/${outer}`, prefix: Math.min(29, inner + 4) },
          { name: "b", subnet: `9.0.0.0/${inner}`, prefix: Math.min(29, inner + 4) },
        ];
        const parsed = parseStackConfig({ networks: nets });
        assert.equal(parsed.ok, false);
      }),
    );
  });

  const appLike = fc.record(
    {
      id: fc.oneof(fc.constantFrom("/a", "web", "/g/web", "/", "/A", "/x/tasks"), anyValue),
      cmd: fc.oneof(fc.string(), anyValue),
      args: fc.oneof(fc.array(fc.string()), anyValue),
      cpus: fc.oneof(fc.double({ min: -1, max: 4, noNaN: true }), anyValue),
      mem: anyValue,
      instances: fc.oneof(fc.integer({ min: -2, max: 5 }), anyValue),
      container: fc.oneof(
        fc.record({ type: fc.constantFrom("DOCKER", "MESOS", "X"), docker: fc.oneof(fc.record({ image: fc.string(), network: fc.constantFrom("USER", "BRIDGE", "HOST", "NONE") }), anyValue), portMappings: fc.oneof(fc.array(fc.record({ containerPort: fc.integer({ min: -1, max: 70000 }), name: fc.string(), servicePort: fc.integer({ min: 0, max: 70000 }) }), { maxLength: 3 }), anyValue) }, { requiredKeys: [] }),
        anyValue,
      ),
      ipAddress: fc.oneof(fc.record({ networkName: fc.string() }), anyValue),
      networks: fc.oneof(fc.array(fc.record({ mode: fc.constantFrom("container", "container/bridge", "host", "x"), name: fc.string() }, { requiredKeys: [] }), { maxLength: 3 }), anyValue),
      constraints: fc.oneof(fc.array(fc.array(fc.constantFrom("hostname", "UNIQUE", "MAX_PER", "LIKE", "(", "2", "CLUSTER"), { maxLength: 4 }), { maxLength: 3 }), anyValue),
      env: fc.oneof(fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.record({ secret: fc.string() }), anyValue)), anyValue),
    },
    { requiredKeys: [] },
  );

  it("app definitions: never throw, and whatever validates normalises and passes the local check without throwing", function () {
    fc.assert(
      fc.property(fc.oneof(appLike, anyValue), (app) => {
        const failures = validateApp(app);
        assert.ok(isFailureList(failures));
        if (failures.length === 0) {
          const canonical = normalizeApp(app as any);
          assert.equal((canonical as any).ipAddress, undefined);
          const checked = checkApp(app);
          assert.ok(isFailureList(checked.failures));
        }
      }),
      { numRuns: 3000, interruptAfterTimeLimit: 60_000 },
    );
  });
});
