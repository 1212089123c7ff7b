// Properties of the Marathon core over generated input: validation is total (never throws, always
// well-formed failures), and every generated valid app normalises to the canonical form.
import { strict as assert } from "assert";
import fc from "fast-check";
import { AppDefinition, CanonicalApp, normalizeApp, validateApp } from "../../src/core/marathon";

const NETWORK_NAME = /^[a-z0-9]([-a-z0-9_]*[a-z0-9])?$/;

function assertWellFormed(failures: unknown): void {
  assert.ok(Array.isArray(failures), "validateApp must return an array");
  for (const f of failures) {
    assert.deepStrictEqual(Object.keys(f).sort(), ["property", "reason"]);
    assert.equal(typeof f.property, "string");
    assert.equal(typeof f.reason, "string");
    assert.ok(f.reason.length > 0, "a reason must say something");
  }
}

// ---- garbage: app-shaped objects whose every field may hold any JSON (or non-JSON) value ----

const anyValue = fc.anything({ withNullPrototype: true, withBigInt: true, withObjectString: true, maxDepth: 3 });
const sometimes = <T>(arb: fc.Arbitrary<T>) => fc.oneof(arb, anyValue);
const portMappingLike = fc.record(
  { containerPort: sometimes(fc.integer({ min: -5, max: 70000 })), hostPort: sometimes(fc.nat(70000)), servicePort: anyValue, name: sometimes(fc.string()), protocol: sometimes(fc.constantFrom("tcp", "udp", "udp,tcp", "x")), networkNames: sometimes(fc.array(fc.string())), labels: anyValue },
  { requiredKeys: [] },
);
const garbageApp = fc.record(
  {
    id: sometimes(fc.constantFrom("/a", "b", "/", "/x/tasks", "/a/../b", "")),
    cmd: anyValue, args: anyValue, cpus: anyValue, mem: anyValue, instances: anyValue, env: anyValue, labels: anyValue, secrets: anyValue,
    container: sometimes(fc.record({
      type: sometimes(fc.constantFrom("DOCKER", "MESOS")),
      docker: sometimes(fc.record({ image: anyValue, network: sometimes(fc.constantFrom("USER", "BRIDGE", "HOST", "NONE")), portMappings: sometimes(fc.array(sometimes(portMappingLike))), parameters: anyValue }, { requiredKeys: [] })),
      portMappings: sometimes(fc.array(sometimes(portMappingLike))),
      volumes: anyValue,
    }, { requiredKeys: [] })),
    ipAddress: sometimes(fc.record({ networkName: anyValue, discovery: sometimes(fc.record({ ports: anyValue })), labels: anyValue }, { requiredKeys: [] })),
    networks: sometimes(fc.array(sometimes(fc.record({ mode: sometimes(fc.constantFrom("container", "container/bridge", "host")), name: anyValue, labels: anyValue }, { requiredKeys: [] })))),
    portDefinitions: sometimes(fc.array(anyValue)), ports: anyValue,
    constraints: sometimes(fc.array(sometimes(fc.array(sometimes(fc.constantFrom("hostname", "UNIQUE", "LIKE", "MAX_PER", "[", "3")))))),
    healthChecks: sometimes(fc.array(anyValue)), upgradeStrategy: anyValue, backoffFactor: anyValue,
  },
  { requiredKeys: [] },
);

// ---- valid apps, built by construction from Marathon's rules ----

type Style = "none" | "legacyUser" | "legacyBridge" | "legacyHost" | "ipOnly" | "canonicalContainer" | "canonicalBridge" | "canonicalHost";
const STYLES: Style[] = ["none", "legacyUser", "legacyBridge", "legacyHost", "ipOnly", "canonicalContainer", "canonicalBridge", "canonicalHost"];
const HOST_STYLES: Style[] = ["none", "legacyHost", "canonicalHost"];

const segment = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,6}[a-z0-9])?$/).filter((s) => !["restart", "tasks", "versions"].includes(s));
const networkName = fc.stringMatching(/^[a-z0-9]([-a-z0-9_]{0,8}[a-z0-9])?$/);
const optionalOf = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const mappingSeed = fc.record({
  containerPort: optionalOf(fc.nat(65535)),
  hostPort: optionalOf(fc.nat(65535)),
  servicePort: optionalOf(fc.nat(65535)),
  protocol: optionalOf(fc.constantFrom("tcp" as const, "udp" as const, "udp,tcp" as const)),
  named: fc.boolean(),
  network: fc.nat(),
});

const validSpec = fc.record({
  segments: fc.array(segment, { minLength: 1, maxLength: 3 }),
  absolute: fc.boolean(),
  style: fc.constantFrom(...STYLES),
  engine: fc.constantFrom("DOCKER" as const, "MESOS" as const),
  networkNames: fc.uniqueArray(networkName, { minLength: 1, maxLength: 3 }),
  mappings: fc.array(mappingSeed, { maxLength: 3 }),
  portDefinitionCount: fc.nat(3),
  legacyPortMappings: fc.boolean(),
  cpus: optionalOf(fc.double({ min: 0.01, max: 16, noNaN: true })),
  instances: optionalOf(fc.nat(20)),
  backoffFactor: optionalOf(fc.double({ min: 1, max: 4, noNaN: true })),
});
type Spec = typeof validSpec extends fc.Arbitrary<infer T> ? T : never;

function buildValidApp(s: Spec): AppDefinition {
  // Legacy docker.network needs a Docker container; Docker takes a single container network.
  const style: Style = s.engine === "MESOS" && s.style.startsWith("legacy") ? "canonicalContainer" : s.style;
  const names = s.engine === "DOCKER" ? s.networkNames.slice(0, 1) : s.networkNames;
  const app: AppDefinition = { id: `${s.absolute ? "/" : ""}${s.segments.join("/")}`, cmd: "sleep 10" };
  if (s.cpus !== undefined) app.cpus = s.cpus;
  if (s.instances !== undefined) app.instances = s.instances;
  if (s.backoffFactor !== undefined) app.backoffFactor = s.backoffFactor;
  app.container = s.engine === "DOCKER" ? { type: "DOCKER", docker: { image: "busybox" } } : { type: "MESOS" };
  const docker = app.container.docker;
  switch (style) {
    case "legacyUser": docker!.network = "USER"; app.ipAddress = { networkName: names[0] }; break;
    case "legacyBridge": docker!.network = "BRIDGE"; break;
    case "legacyHost": docker!.network = "HOST"; break;
    case "ipOnly": app.ipAddress = { networkName: names[0] }; break;
    case "canonicalContainer": app.networks = names.map((name, i) => (i % 2 ? { name } : { mode: "container", name })); break;
    case "canonicalBridge": app.networks = [{ mode: "container/bridge" }]; break;
    case "canonicalHost": app.networks = [{ mode: "host" }]; break;
    case "none": break;
  }
  if (HOST_STYLES.includes(style)) {
    app.portDefinitions = Array.from({ length: s.portDefinitionCount }, (_, i) => ({ port: i === 0 ? 0 : 20000 + i }));
    return app;
  }
  const containerNetworks = style === "legacyUser" || style === "ipOnly" ? [names[0]] : style === "canonicalContainer" ? names : [];
  const mappings = s.mappings.map((m, i) => {
    const mapping: Record<string, unknown> = {};
    for (const key of ["containerPort", "hostPort", "servicePort", "protocol"] as const) if (m[key] !== undefined) mapping[key] = m[key];
    if (m.named) mapping.name = `port-${i}`;
    if (containerNetworks.length > 1 && m.hostPort !== undefined) mapping.networkNames = [containerNetworks[m.network % containerNetworks.length]];
    return mapping;
  });
  if (s.legacyPortMappings && docker) docker.portMappings = mappings;
  else app.container.portMappings = mappings;
  return app;
}

function assertCanonical(out: CanonicalApp): void {
  assert.ok(out.networks.length > 0, "networks are never empty after normalisation");
  for (const n of out.networks) {
    assert.ok(["container", "container/bridge", "host"].includes(n.mode));
    if (n.mode === "container") assert.match(n.name, NETWORK_NAME);
    else assert.ok(!("name" in n), "host and bridge networks carry no name");
  }
  assert.ok(out.id.startsWith("/"));
  for (const legacy of ["ipAddress", "ports"]) assert.ok(!(legacy in out), `${legacy} must be gone`);
  const docker = out.container?.docker;
  if (docker) for (const legacy of ["network", "portMappings"]) assert.ok(!(legacy in docker), `docker.${legacy} must be gone`);
  for (const m of out.container?.portMappings ?? []) {
    assert.equal(typeof m.containerPort, "number");
    assert.equal(typeof m.servicePort, "number");
    assert.ok(["tcp", "udp", "udp,tcp"].includes(m.protocol));
  }
  const host = out.networks.some((n) => n.mode === "host");
  if (host) assert.deepStrictEqual(out.container?.portMappings ?? [], []);
  else assert.deepStrictEqual(out.portDefinitions, []);
}

describe("marathon core properties (fast-check)", function () {
  it("validateApp never throws on any value and returns well-formed failures", function () {
    fc.assert(fc.property(anyValue, (value) => assertWellFormed(validateApp(value))), { numRuns: 500 });
  });

  it("validateApp never throws on app-shaped garbage", function () {
    fc.assert(fc.property(garbageApp, (app) => assertWellFormed(validateApp(app))), { numRuns: 1500 });
  });

  it("generated valid apps pass validation", function () {
    fc.assert(fc.property(validSpec, (spec) => {
      const app = buildValidApp(spec);
      assert.deepStrictEqual(validateApp(app), [], JSON.stringify(app));
    }), { numRuns: 500 });
  });

  it("generated valid apps normalise to canonical networks without legacy fields, idempotently", function () {
    fc.assert(fc.property(validSpec, (spec) => {
      const app = buildValidApp(spec);
      const out = normalizeApp(app);
      assertCanonical(out);
      assert.deepStrictEqual(validateApp(out), [], "the canonical form is itself valid");
      assert.deepStrictEqual(normalizeApp(out), out, "normalising twice changes nothing");
    }), { numRuns: 500 });
  });

  it("legacy ipAddress + USER always lands on the named container network", function () {
    fc.assert(fc.property(networkName, fc.boolean(), (name, withLabels) => {
      const labels = withLabels ? { tier: "web" } : undefined;
      const app: AppDefinition = { id: "/a", container: { docker: { image: "i", network: "USER" } }, ipAddress: { networkName: name, ...(labels ? { labels } : {}) } };
      assert.deepStrictEqual(normalizeApp(app).networks, [{ mode: "container", name, ...(labels ? { labels } : {}) }]);
    }));
  });

  it("spoiling one field of a valid app never makes validateApp throw", function () {
    const key = fc.constantFrom("id", "container", "networks", "ipAddress", "portDefinitions", "cpus", "constraints", "env", "healthChecks");
    fc.assert(fc.property(validSpec, key, anyValue, (spec, k, junk) => {
      const app = { ...buildValidApp(spec), [k]: junk };
      assertWellFormed(validateApp(app));
    }), { numRuns: 500 });
  });
});
