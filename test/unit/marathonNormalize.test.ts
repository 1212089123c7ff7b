// normalizeApp: Marathon's legacy → canonical network translation, the docker.portMappings move, and defaults.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { AppDefinition, normalizeApp, validateApp } from "../../src/core/marathon";
import { ROOT } from "../support/paths";

function seedApp(): AppDefinition {
  return JSON.parse(fs.readFileSync(path.join(ROOT, "examples", "seed-app", "app.json"), "utf8"));
}

describe("marathon normalizeApp", function () {
  describe("the seed app (my-networking)", function () {
    it("passes validation with zero failures", function () {
      assert.deepStrictEqual(validateApp(seedApp()), []);
    });

    it("joins the container network named by ipAddress.networkName", function () {
      assert.deepStrictEqual(normalizeApp(seedApp()).networks, [{ mode: "container", name: "dcos-1" }]);
    });

    it("moves docker.portMappings to container.portMappings, protocol tcp, no host port in container mode", function () {
      assert.deepStrictEqual(normalizeApp(seedApp()).container?.portMappings, [
        { containerPort: 123, servicePort: 80, name: "foo", protocol: "tcp" },
      ]);
    });

    it("drops every legacy field and makes the id absolute", function () {
      const app = normalizeApp(seedApp());
      assert.equal(app.id, "/my-networking");
      assert.ok(!("ipAddress" in app), "ipAddress must be gone");
      assert.deepStrictEqual(app.container?.docker, { image: "busybox", parameters: [], privileged: false, forcePullImage: false });
    });

    it("keeps the values the seed sets instead of the defaults", function () {
      const app = normalizeApp(seedApp());
      assert.deepStrictEqual(
        [app.cpus, app.mem, app.instances, app.backoffFactor, app.backoffSeconds, app.cmd],
        [0.1, 64, 1, 1.14472988585, 5, "env; ip -o addr; sleep 30"],
      );
    });

    it("does not modify its input", function () {
      const input = seedApp();
      normalizeApp(input);
      assert.deepStrictEqual(input, seedApp());
    });
  });

  describe("network translation (Marathon's NetworkTranslation)", function () {
    const docker = (network: string | undefined, extra: object = {}): AppDefinition =>
      ({ id: "/app", container: { type: "DOCKER", docker: { image: "busybox", ...(network ? { network } : {}) } }, ...extra }) as AppDefinition;

    const cases: { name: string; app: AppDefinition; networks: unknown; opts?: { defaultNetworkName?: string } }[] = [
      { name: "ipAddress + USER → container named by networkName", app: docker("USER", { ipAddress: { networkName: "blue" } }), networks: [{ mode: "container", name: "blue" }] },
      { name: "ipAddress + USER without networkName → the default network", app: docker("USER", { ipAddress: {} }), networks: [{ mode: "container", name: "dcos" }] },
      { name: "ipAddress labels travel to the container network", app: docker("USER", { ipAddress: { networkName: "blue", labels: { a: "b" } } }), networks: [{ mode: "container", name: "blue", labels: { a: "b" } }] },
      { name: "ipAddress + BRIDGE → container/bridge", app: docker("BRIDGE", { ipAddress: { labels: { a: "b" } } }), networks: [{ mode: "container/bridge", labels: { a: "b" } }] },
      { name: "ipAddress + HOST → host (labels dropped)", app: docker("HOST", { ipAddress: { labels: { a: "b" } } }), networks: [{ mode: "host" }] },
      { name: "docker.network USER alone → container on the default network", app: docker("USER"), networks: [{ mode: "container", name: "dcos" }] },
      { name: "docker.network USER alone with another default network", app: docker("USER"), networks: [{ mode: "container", name: "dcos-1" }], opts: { defaultNetworkName: "dcos-1" } },
      { name: "docker.network BRIDGE alone → container/bridge", app: docker("BRIDGE"), networks: [{ mode: "container/bridge" }] },
      { name: "docker.network HOST alone → host", app: docker("HOST"), networks: [{ mode: "host" }] },
      { name: "ipAddress alone → container", app: { id: "/a", cmd: "x", ipAddress: { networkName: "blue" } }, networks: [{ mode: "container", name: "blue" }] },
      { name: "ipAddress naming the Mesos bridge → container/bridge", app: { id: "/a", cmd: "x", ipAddress: { networkName: "mesos-bridge" } }, networks: [{ mode: "container/bridge" }] },
      { name: "nothing declared → host", app: { id: "/a", cmd: "x" }, networks: [{ mode: "host" }] },
      { name: "canonical network without mode → container", app: { id: "/a", cmd: "x", networks: [{ name: "blue" }] }, networks: [{ mode: "container", name: "blue" }] },
      { name: "canonical unnamed container network → default name", app: { id: "/a", cmd: "x", networks: [{ mode: "container" }] }, networks: [{ mode: "container", name: "dcos" }] },
      {
        name: "canonical container networks keep their order",
        app: { id: "/a", cmd: "x", container: { type: "MESOS" }, networks: [{ name: "blue" }, { name: "red", labels: { x: "y" } }] },
        networks: [{ mode: "container", name: "blue" }, { mode: "container", name: "red", labels: { x: "y" } }],
      },
      { name: "empty canonical list → host", app: { id: "/a", cmd: "x", networks: [] }, networks: [{ mode: "host" }] },
    ];
    for (const c of cases) {
      it(c.name, function () {
        assert.deepStrictEqual(validateApp(c.app, c.opts), [], "the case itself must be a valid app");
        const out = normalizeApp(c.app, c.opts);
        assert.deepStrictEqual(out.networks, c.networks);
        assert.ok(!("ipAddress" in out));
        assert.ok(out.container?.docker === undefined || !("network" in out.container.docker));
      });
    }
  });

  describe("port mappings and definitions", function () {
    it("bridge mode fills a missing hostPort with 0 (pick one), as Marathon does", function () {
      const app: AppDefinition = { id: "/a", container: { docker: { image: "i", network: "BRIDGE", portMappings: [{ containerPort: 80 }, { containerPort: 81, hostPort: 8081 }] } } };
      assert.deepStrictEqual(normalizeApp(app).container?.portMappings, [
        { containerPort: 80, hostPort: 0, servicePort: 0, protocol: "tcp" },
        { containerPort: 81, hostPort: 8081, servicePort: 0, protocol: "tcp" },
      ]);
    });

    it("container.portMappings are kept in canonical form, networkNames and labels copied", function () {
      const app: AppDefinition = {
        id: "/a", cmd: "x", container: { type: "MESOS", portMappings: [{ containerPort: 5, hostPort: 6, protocol: "udp", networkNames: ["blue"], labels: { VIP_0: "/a:5" } }] },
        networks: [{ name: "blue" }, { name: "red" }],
      };
      assert.deepStrictEqual(normalizeApp(app).container?.portMappings, [
        { containerPort: 5, hostPort: 6, servicePort: 0, protocol: "udp", networkNames: ["blue"], labels: { VIP_0: "/a:5" } },
      ]);
    });

    it("a Mesos container's ipAddress.discovery.ports become port mappings without host ports", function () {
      const app: AppDefinition = { id: "/a", cmd: "x", ipAddress: { networkName: "blue", discovery: { ports: [{ number: 8080, name: "http", protocol: "udp" }] } } };
      const out = normalizeApp(app);
      assert.deepStrictEqual(out.container, { type: "MESOS", portMappings: [{ containerPort: 8080, servicePort: 0, protocol: "udp", name: "http" }], volumes: [] });
    });

    it("legacy ports become port definitions under host networking", function () {
      assert.deepStrictEqual(normalizeApp({ id: "/a", cmd: "x", ports: [0, 8080] }).portDefinitions, [
        { port: 0, protocol: "tcp" },
        { port: 8080, protocol: "tcp" },
      ]);
      assert.ok(!("ports" in normalizeApp({ id: "/a", cmd: "x", ports: [1] })));
    });

    it("portDefinitions get protocol tcp and keep name and labels", function () {
      const out = normalizeApp({ id: "/a", cmd: "x", portDefinitions: [{ port: 80, name: "web", labels: { a: "b" } }] });
      assert.deepStrictEqual(out.portDefinitions, [{ port: 80, protocol: "tcp", name: "web", labels: { a: "b" } }]);
    });

    it("non-host apps have no port definitions and host apps no container port mappings", function () {
      assert.deepStrictEqual(normalizeApp({ id: "/a", cmd: "x", networks: [{ name: "n" }] }).portDefinitions, []);
      assert.deepStrictEqual(normalizeApp({ id: "/a", container: { docker: { image: "i", network: "HOST" } } }).container?.portMappings, []);
    });

    it("an app on a container network without a container gets an empty Mesos container", function () {
      assert.deepStrictEqual(normalizeApp({ id: "/a", cmd: "x", networks: [{ name: "n" }] }).container, { type: "MESOS", portMappings: [], volumes: [] });
      assert.equal(normalizeApp({ id: "/a", cmd: "x" }).container, undefined);
    });
  });

  describe("Marathon's defaults", function () {
    const defaults: [keyof AppDefinition & string, unknown, unknown][] = [
      ["cpus", 1, 0.5],
      ["mem", 128, 64],
      ["disk", 0, 10],
      ["gpus", 0, 2],
      ["instances", 1, 3],
      ["backoffSeconds", 1, 5],
      ["backoffFactor", 1.15, 2],
      ["maxLaunchDelaySeconds", 300, 60],
    ];
    for (const [key, marathonDefault, given] of defaults) {
      it(`${key}: ${marathonDefault} when absent, kept when given`, function () {
        assert.equal((normalizeApp({ id: "/a", cmd: "x" }) as unknown as Record<string, unknown>)[key], marathonDefault);
        assert.equal((normalizeApp({ id: "/a", cmd: "x", [key]: given } as AppDefinition) as unknown as Record<string, unknown>)[key], given);
      });
    }

    it("upgradeStrategy defaults to {1, 1}, each value separately", function () {
      assert.deepStrictEqual(normalizeApp({ id: "/a", cmd: "x" }).upgradeStrategy, { minimumHealthCapacity: 1, maximumOverCapacity: 1 });
      assert.deepStrictEqual(normalizeApp({ id: "/a", cmd: "x", upgradeStrategy: { maximumOverCapacity: 0 } }).upgradeStrategy, { minimumHealthCapacity: 1, maximumOverCapacity: 0 });
    });

    it("containerPort and servicePort default to 0, protocol to tcp, container type to DOCKER", function () {
      const out = normalizeApp({ id: "/a", container: { docker: { image: "i" }, portMappings: [{ hostPort: 9 }] }, networks: [{ name: "n" }] });
      assert.equal(out.container?.type, "DOCKER");
      assert.deepStrictEqual(out.container?.portMappings, [{ containerPort: 0, hostPort: 9, servicePort: 0, protocol: "tcp" }]);
    });

    it("relative and untidy ids become absolute paths", function () {
      assert.equal(normalizeApp({ id: "group/app", cmd: "x" }).id, "/group/app");
      assert.equal(normalizeApp({ id: "/a//b/", cmd: "x" }).id, "/a/b");
    });

    it("Marathon fields this project does not interpret pass through unchanged", function () {
      const out = normalizeApp({ id: "/a", cmd: "x", user: "nobody", acceptedResourceRoles: ["*"], fetch: [{ uri: "http://x/y" }] });
      assert.deepStrictEqual([out.user, out.acceptedResourceRoles, out.fetch], ["nobody", ["*"], [{ uri: "http://x/y" }]]);
    });

    it("is idempotent: normalising a canonical app changes nothing", function () {
      const once = normalizeApp(seedApp());
      assert.deepStrictEqual(normalizeApp(once), once);
      assert.deepStrictEqual(validateApp(once), []);
    });
  });
});
