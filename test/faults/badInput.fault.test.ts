// Smoke test of the bad-input pyramid: a few bad inputs, one or two per layer that refuses them,
// through a real `pulumi preview` (Automation API, the real CLI). Each must fail the preview with
// the failure text the unit tables expect for it (test/unit/badInput.*.test.ts check every case),
// exit non-zero, and leave nothing behind: no Docker network or container carrying the test
// stack's ownership label, and no resource in the stack's state. The cases are independent stacks,
// so their previews run side by side.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { createTestStack, StackConfig, TestStack } from "../support/pulumi";
import { ownedObjects, requireDocker } from "../support/docker";
import { Failure } from "../../src/core/common/failure";
import { EXHAUSTED_NETWORKS, networkCase } from "../support/badNetworks";
import { APP_STACK, appCase, checkApp } from "../support/badApps";
import { BAD_DOCKER_NETWORKS } from "../support/badDockerNetworks";
import { LONG } from "../support/adversarialInput";

/** How many previews run at once: each is a CLI, a language host and a provider process. */
const PARALLEL = 4;

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The stack program's refusal of its config (a RunError, printed as is). */
const configText = (f: Failure) => new RegExp(escape(`${f.property}: ${f.reason}`));
/** A resource check's failure as the engine prints it: property, value, reason. */
const checkText = (f: Failure) => new RegExp(`property ${escape(f.property)} value .* has a problem: ${escape(f.reason)}`);

interface SmokeCase {
  what: string;
  /** The stack's config; `dir` is a temporary directory for app files. */
  config(dir: string): StackConfig;
  expect(dir: string): RegExp;
}

// The apps' network is external: the stack declares no Docker network for it, so no
// LocalDockerNetwork check asks the engine about address-space clashes before the apps' checks run,
// and these previews do not depend on which networks the engine holds.
const appStack = (apps: unknown[]): StackConfig => ({ cluster: APP_STACK.cluster, networks: [{ ...APP_STACK.network, external: true }], apps });
const fromApp = (what: string): SmokeCase => ({
  what: `MarathonApp check: ${what}`,
  config: () => appStack([{ app: appCase(what).app }]),
  expect: () => checkText(appCase(what).failures[0]),
});
const web = (id: string) => ({ id, container: { type: "DOCKER", docker: { image: "busybox" }, portMappings: [{ containerPort: 80 }] }, networks: [{ mode: "container", name: APP_STACK.network.name }] });
const badFile = { id: "/from-file", cmd: "sleep 1", cpus: -1, networks: [{ mode: "container", name: APP_STACK.network.name }] };
/** A cluster of several Docker hosts; the preview contacts none of them (this engine does not exist). */
const severalHosts = { ...APP_STACK.cluster, hosts: { "host-1": { docker: "unix:///run/dvt-no-such-engine.sock", advertiseAddr: "10.0.0.1", agents: APP_STACK.cluster.agents } } };
const withVip = { ...web("/shop/web"), container: { type: "DOCKER", docker: { image: "busybox" }, portMappings: [{ containerPort: 80, labels: { VIP_0: "/shop/web:80" } }] } };
const ownerLabel = BAD_DOCKER_NETWORKS.find((c) => c.what === "ownership label stack")!;
// The fuzzers' shape (test/support/adversarialInput.ts): a plausible start, a ~10,000-character run
// of a short unit, an end that makes the whole invalid. Refused, field named, in a real preview.
const adversarial = (start: string, unit: string, end: string) => start + unit.repeat(Math.ceil(LONG / unit.length)) + end;
const longId = web(adversarial("/a", "a-", "!"));
const longImage = { ...web("/shop/web"), container: { type: "DOCKER", docker: { image: adversarial("localhost:5000/", "a_", "!") }, portMappings: [{ containerPort: 80 }] } };

const SMOKE: SmokeCase[] = [
  {
    what: "stack config: overlapping networks",
    config: () => ({ networks: networkCase("overlap v4").networks }),
    expect: () => configText(networkCase("overlap v4").failures[0]),
  },
  {
    what: "VirtualNetwork check: more agents than blocks",
    config: () => {
      const { agents, ...network } = EXHAUSTED_NETWORKS[0].network;
      return { cluster: { agents }, networks: [network] };
    },
    expect: () => checkText(EXHAUSTED_NETWORKS[0].failures[0]),
  },
  {
    what: "LocalDockerNetwork check: a network label forging our ownership",
    config: () => ({ networks: [{ name: "owned", subnet: "9.252.0.0/16", prefix: 24, labels: ownerLabel.change.labels }] }),
    expect: () => checkText(ownerLabel.failures[0]),
  },
  {
    what: "MarathonApp check: a VIP on a cluster of several Docker hosts (not run there yet)",
    config: () => ({ cluster: severalHosts, networks: [{ ...APP_STACK.network, external: true }], apps: [{ app: withVip }] }),
    expect: () => checkText({
      property: "app.container.portMappings[0].labels.VIP_0",
      reason: "VIP shopweb.marathon.l4lb.thisdcos.directory:80 needs a VIP proxy, which a cluster of several Docker hosts runs only apps on virtual networks (IP-per-container) so far",
    }),
  },
  {
    what: "MarathonApp check: a 10,000-character adversarial app id",
    config: () => appStack([{ app: longId }]),
    expect: () => checkText(checkApp(longId).failures[0]),
  },
  {
    what: "MarathonApp check: a 10,000-character adversarial image name",
    config: () => appStack([{ app: longImage }]),
    expect: () => checkText(checkApp(longImage).failures[0]),
  },
  fromApp("duplicate port names"),
  fromApp("constraints no agent can meet"),
  fromApp("image name whose refusal once took exponential time"),
  fromApp("more instances than an agent's half has addresses"),
  {
    // Said by the stack program (DcosCluster), where every network of the stack is known.
    what: "stack program: an app on a network the stack does not declare",
    config: () => appStack([{ app: appCase("unknown virtual network").app }]),
    expect: () => configText({ property: "dcos-vnet:apps[0].networks[0].name", reason: "network nowhere is not a virtual network of this stack (known: apps-net)" }),
  },
  {
    what: "MarathonApp check: a bad definition in a file names the file",
    config: (dir) => {
      fs.writeFileSync(path.join(dir, "web.json"), JSON.stringify(badFile));
      return appStack([{ file: path.join(dir, "web.json") }]);
    },
    expect: (dir) => checkText(checkApp(badFile, { appFile: path.join(dir, "web.json") }).failures[0]),
  },
  {
    what: "stack program: an app file that is not JSON",
    config: (dir) => {
      fs.writeFileSync(path.join(dir, "broken.json"), '{"id": "/x", "cmd": ');
      return appStack([{ file: path.join(dir, "broken.json") }]);
    },
    expect: (dir) => new RegExp(`${escape(path.join(dir, "broken.json"))}: the app definition is not valid JSON: Unexpected end of JSON input`),
  },
  {
    what: "stack program: /shop/web and /shop//web/ are one app twice",
    config: () => appStack([{ app: web("/shop/web") }, { app: web("/shop//web/") }]),
    expect: () => configText({ property: "dcos-vnet:apps[1].id", reason: "app id /shop/web appears twice in the stack" }),
  },
  {
    what: "stack program: /shop.web and /shop/web would share their containers' names",
    config: () => appStack([{ app: web("/shop.web") }, { app: web("/shop/web") }]),
    expect: () => new RegExp(escape("dcos-vnet:apps[1].id: app /shop/web and app /shop.web (dcos-vnet:apps[0].id) would both run a container named ") + "\\S+\\.shop\\.web\\.<n>"),
  },
  {
    // The failure must name the entry of dcos-vnet:apps the user wrote, also after an invalid app.
    what: "stack program: a clash after an invalid app names the right entry",
    config: () => appStack([{ app: appCase("negative cpus").app }, { app: web("/shop/web") }, { app: web("/shop//web/") }]),
    expect: () => configText({ property: "dcos-vnet:apps[2].id", reason: "app id /shop/web appears twice in the stack" }),
  },
];

interface Outcome {
  stack?: TestStack;
  /** The preview's error (undefined: it succeeded). */
  error?: Error & { commandResult?: { code: number } };
  expected?: RegExp;
  setupError?: Error;
}

/** Runs `work` on every item, at most `limit` at a time. */
async function eachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(Array.from({ length: Math.min(limit, queue.length) }, async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
  }));
}

describe("bad input fails pulumi preview, naming the field, with nothing created (smoke)", function () {
  const outcomes = new Map<string, Outcome>();
  let dir: string;

  before(async function () {
    await requireDocker();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "dcos-vnet-bad-"));
    await eachLimited(SMOKE, PARALLEL, async (c) => {
      const outcome: Outcome = {};
      outcomes.set(c.what, outcome);
      try {
        outcome.stack = await createTestStack("bad", c.config(dir));
        outcome.expected = c.expect(dir);
        await outcome.stack.stack.preview();
      } catch (err) {
        if (outcome.stack && outcome.expected) outcome.error = err as Outcome["error"];
        else outcome.setupError = err as Error;
      }
    });
  });

  after(async function () {
    await eachLimited([...outcomes.values()], PARALLEL, async (o) => {
      await o.stack?.dispose();
    });
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  for (const c of SMOKE) {
    it(c.what, async function () {
      const o = outcomes.get(c.what);
      assert.ok(o, "the case ran");
      if (o.setupError) throw o.setupError;
      assert.ok(o.error, "the preview must fail");
      assert.notEqual(o.error.commandResult?.code ?? 1, 0, "non-zero exit");
      assert.match(o.error.message, o.expected!, o.error.message.slice(-2000));
      assert.deepEqual(await ownedObjects(o.stack!.name), { networks: [], containers: [] }, "no Docker object of the stack");
      const state = await o.stack!.stack.exportStack();
      assert.deepEqual(state.deployment.resources ?? [], [], "no resource in the stack's state");
    });
  }
});
