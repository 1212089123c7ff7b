// The preview → Markdown renderer on small hand-written previews shaped like what
// `pulumi preview --json --diff` prints (the e2e suite feeds it the real CLI's JSON).
import { strict as assert } from "assert";
import { renderPreviewMarkdown } from "../../src/report/preview";
import { MAX_MARKDOWN_CHARS } from "../../src/report/preview/renderMarkdown";
import { SECRET_SIGNATURE, SECRET_SIGNATURE_KEY } from "../../src/report/preview/secrets";

const STACK = "dev";
const urn = (type: string, name: string) => `urn:pulumi:${STACK}::dcos-vnet::pulumi-nodejs:dynamic/dcos:${type}::${name}`;
const state = (type: string, inputs: Record<string, unknown>) => ({ type: `pulumi-nodejs:dynamic/dcos:${type}`, inputs, outputs: {} });

function step(op: string, type: string, name: string, olds?: Record<string, unknown>, news?: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return {
    op,
    urn: urn(type, name),
    ...(olds ? { oldState: state(type, { __provider: "exports.handler = …", ...olds }) } : {}),
    ...(news ? { newState: state(type, { __provider: "exports.handler = …", ...news }) } : {}),
    detailedDiff: null,
    ...extra,
  };
}

const stackStep = { op: "same", urn: `urn:pulumi:${STACK}::dcos-vnet::pulumi:pulumi:Stack::dcos-vnet-${STACK}`, newState: { type: "pulumi:pulumi:Stack" } };
const render = (steps: unknown[], diagnostics?: unknown[]) => renderPreviewMarkdown({ steps: [stackStep, ...steps], ...(diagnostics ? { diagnostics } : {}) }, { stack: STACK });
const sig = (value: unknown) => ({ [SECRET_SIGNATURE_KEY]: SECRET_SIGNATURE, value });

const block = (n: number) => ({ block: `9.10.${n}.0/24`, mesos: `9.10.${n}.0/25`, docker: `9.10.${n}.128/25` });
const app = (instances: number, image: string, network = "dcos-1") => ({
  app: { id: "/web", instances, container: { type: "DOCKER", docker: { image } } },
  canonical: { id: "/web", instances, container: { type: "DOCKER", docker: { image } } },
  network,
  secretEnv: "[secret]",
});

describe("preview Markdown renderer", function () {
  describe("empty and malformed previews", function () {
    for (const [what, json] of [["null", null], ["not an object", "oops"], ["no steps", {}], ["steps not a list", { steps: 3 }]] as const) {
      it(`says there is nothing to change for ${what}`, function () {
        const md = renderPreviewMarkdown(json, { stack: STACK });
        assert.match(md, /^## Pulumi preview of stack `dev`\n\n\*\*No changes\*\*\n$/);
      });
    }

    it("counts unchanged resources, leaves them and the Stack out of the table", function () {
      const md = render([step("same", "VirtualNetwork", "dcos-1", { name: "dcos-1" }, { name: "dcos-1" })]);
      assert.match(md, /\*\*No changes\*\* \(1 unchanged\)/);
      assert.doesNotMatch(md, /\| resource \|/);
      assert.doesNotMatch(md, /Stack/);
    });
  });

  it("counts as Pulumi's changeSummary does, less the Stack, since unchanged resources are not listed", function () {
    const md = renderPreviewMarkdown(
      { steps: [stackStep, step("update", "MarathonApp", "web", app(2, "busybox"), app(3, "busybox"))], changeSummary: { same: 3, update: 1 } },
      { stack: STACK },
    );
    assert.match(md, /\*\*1 to update, 2 unchanged\*\*/);
  });

  it("summarises counts per op and lists each changing resource in the table", function () {
    const md = render([
      step("create", "VirtualNetwork", "net-b", undefined, { name: "net-b", agentSubnets: { "agent-1": block(0) } }),
      step("update", "MarathonApp", "web", app(2, "busybox"), app(3, "busybox")),
      step("same", "LocalDockerNetwork", "net-b", { name: "net-b" }, { name: "net-b" }),
      step("delete", "MarathonApp", "old", app(1, "nginx")),
    ]);
    assert.match(md, /\*\*1 to create, 1 to update, 1 to delete, 1 unchanged\*\*/);
    assert.match(md, /^\| VirtualNetwork \| `net-b` \| create \|$/m);
    assert.match(md, /^\| MarathonApp \| `web` \| update \|$/m);
    assert.match(md, /^\| MarathonApp \| `old` \| delete \|$/m);
    assert.doesNotMatch(md, /\| LocalDockerNetwork/);
  });

  it("shows agents that gain, lose or move a block, with the halves", function () {
    const md = render([
      step(
        "update",
        "VirtualNetwork",
        "dcos-1",
        { name: "dcos-1", agents: ["agent-1", "agent-2"], agentSubnets: { "agent-1": block(0), "agent-2": block(1) } },
        { name: "dcos-1", agents: ["agent-1", "agent-4"], agentSubnets: { "agent-1": block(0), "agent-4": block(3) } },
      ),
    ]);
    assert.match(md, /^\+ agent-4 → 9\.10\.3\.0\/24 \(mesos 9\.10\.3\.0\/25, docker 9\.10\.3\.128\/25\)$/m);
    assert.match(md, /^- agent-2 frees 9\.10\.1\.0\/24$/m);
    assert.doesNotMatch(md, /agent-1 →/);
    assert.match(md, /- `agents`: `\["agent-1","agent-2"\]` → `\["agent-1","agent-4"\]`/);
    assert.match(md, /- `agentSubnets`: agent-2, agent-4 changed; see Allocations/);
  });

  it("gives a replace its reason, and warns that replacing a network restarts the apps on it", function () {
    const md = render([
      step("replace", "VirtualNetwork", "dcos-1", { name: "dcos-1", subnet: "9.10.0.0/16" }, { name: "dcos-1", subnet: "9.11.0.0/16" }, { replaceReasons: ["subnet"] }),
      step("replace", "LocalDockerNetwork", "dcos-1", { name: "dcos-1", subnet: "9.10.0.0/16" }, { name: "dcos-1", subnet: "9.11.0.0/16" }, { replaceReasons: ["subnet", "gateway"] }),
      step("same", "MarathonApp", "web", app(2, "busybox"), app(2, "busybox")),
      step("update", "MarathonApp", "api", { ...app(1, "busybox"), canonical: { id: "/api" } }, { ...app(1, "busybox"), canonical: { id: "/api" } }),
      step("same", "MarathonApp", "elsewhere", app(1, "busybox", "other"), app(1, "busybox", "other")),
      step("create", "MarathonApp", "fresh", undefined, { ...app(1, "busybox"), canonical: { id: "/fresh" } }),
    ]);
    assert.match(md, /\*\*VirtualNetwork `dcos-1`\*\*: replace, because `subnet` changed\n- `subnet`: `"9\.10\.0\.0\/16"` → `"9\.11\.0\.0\/16"`/);
    assert.match(md, /because `subnet`, `gateway` changed/);
    // one line for the VirtualNetwork and its Docker network; new apps and apps elsewhere are not restarted
    const warnings = md.match(/^- replacing network .*$/gm);
    assert.deepEqual(warnings, ["- replacing network `dcos-1` restarts apps `/api`, `/web`"]);
  });

  it("finds the apps on a re-created network in the state when the preview does not list them", function () {
    const inState = (name: string, inputs: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
      urn: urn("MarathonApp", name), type: "pulumi-nodejs:dynamic/dcos:MarathonApp", inputs, ...extra,
    });
    const state = {
      deployment: {
        resources: [
          inState("web", { network: "dcos-1", canonical: { id: "/web" } }),
          inState("group.worker", { network: "dcos-1" }),
          inState("elsewhere", { network: "other", canonical: { id: "/elsewhere" } }),
          inState("going", { network: "dcos-1", canonical: { id: "/going" } }, { delete: true }),
          inState("removed", { network: "dcos-1", canonical: { id: "/removed" } }),
        ],
      },
    };
    const md = renderPreviewMarkdown(
      {
        steps: [
          stackStep,
          step("replace", "LocalDockerNetwork", "dcos-1", { name: "dcos-1", mtu: 1420 }, { name: "dcos-1", mtu: 1400 }, { replaceReasons: ["mtu"] }),
          step("delete", "MarathonApp", "removed", { network: "dcos-1", canonical: { id: "/removed" } }),
        ],
      },
      { stack: STACK, state },
    );
    assert.match(md, /^- replacing network `dcos-1` restarts apps `\/group\/worker`, `\/web`$/m);
  });

  it("warns about a network deleted under an app, not about one with no apps", function () {
    const md = render([
      step("delete", "VirtualNetwork", "dcos-1", { name: "dcos-1" }),
      step("replace", "VirtualNetwork", "lonely", { name: "lonely" }, { name: "lonely" }, { replaceReasons: ["prefix"] }),
      step("same", "MarathonApp", "web", app(2, "busybox"), app(2, "busybox")),
    ]);
    assert.match(md, /^- deleting network `dcos-1` leaves app `\/web` without its network$/m);
    assert.doesNotMatch(md, /replacing network `lonely`/);
  });

  it("shows an app's instance count and image, old → new", function () {
    const md = render([step("update", "MarathonApp", "web", app(2, "busybox"), app(5, "busybox:1.36"))]);
    assert.match(md, /^- `\/web` \(update\): instances 2 → 5; image `busybox` → `busybox:1\.36`$/m);
    assert.match(md, /- `app\.instances`: `2` → `5`/);
    assert.doesNotMatch(md, /canonical/, "the normalized copy of app is not repeated");
  });

  describe("secrets", function () {
    const PLAIN = "hunter2-plaintext";
    const md = render([
      step(
        "update",
        "MarathonApp",
        "web",
        { ...app(1, "busybox"), secretEnv: { "db-password": "old-" + PLAIN }, connection: { url: "https://dcos", token: "tok-" + PLAIN } },
        {
          ...app(1, "busybox"),
          app: { id: "/web", labels: { TOKEN: sig("label-" + PLAIN), NOTE: "[secret]" } },
          secretEnv: { "db-password": "new-" + PLAIN },
          connection: sig({ url: "https://dcos", token: "tok2-" + PLAIN }),
        },
      ),
      step("update", "VirtualNetwork", "dcos-1", { name: "dcos-1", labels: { k: "v" } }, { name: "dcos-1", labels: sig("net-" + PLAIN) }),
    ]);

    it("never prints a secret: masked strings, signature objects, secretEnv and connection", function () {
      assert.ok(!md.includes(PLAIN), `a secret leaked:\n${md}`);
      assert.ok(!md.includes(SECRET_SIGNATURE) && !md.includes(SECRET_SIGNATURE_KEY));
    });

    it("still says which secret inputs changed, as [secret] → [secret]", function () {
      assert.match(md, /- `secretEnv`: `\[secret\]` → `\[secret\]`/);
      assert.match(md, /- `connection`: `\[secret\]` → `\[secret\]`/);
      assert.match(md, /- `labels`: `\{"k":"v"\}` → `\[secret\]`/);
      assert.match(md, /- `app\.labels`: `\(none\)` → `\{"NOTE":"\[secret\]","TOKEN":"\[secret\]"\}`/);
    });

    it("masks the engines and swarm inputs (Docker endpoints with TLS client keys) whole, even in plaintext", function () {
      const pem = "-----BEGIN PRIVATE KEY-----\nMIIEv" + PLAIN;
      const engine = (key: string) => ({ host: "host-2", docker: "tcp://10.0.0.2:2376", tls: { ca: "ca", cert: "cert", key } });
      const shown = render([
        step("update", "MarathonApp", "web", { ...app(1, "busybox"), engines: { "agent-2": engine(pem) } }, { ...app(1, "busybox"), engines: { "agent-2": engine(pem + "2") } }),
        step("update", "LocalDockerNetwork", "dcos-1", { name: "dcos-1", swarm: { mode: "form", hosts: [engine(pem)] } }, { name: "dcos-1", swarm: { mode: "form", hosts: [engine(pem + "2")] } }),
      ]);
      assert.ok(!shown.includes(PLAIN) && !shown.includes("BEGIN"), `TLS material leaked:\n${shown}`);
      assert.match(shown, /- `engines`: `\[secret\]` → `\[secret\]`/);
      assert.match(shown, /- `swarm`: `\[secret\]` → `\[secret\]`/);
    });

    it("says an update changes nothing it can show when only masked values differ", function () {
      const only = render([step("update", "MarathonApp", "web", app(1, "busybox"), app(1, "busybox"))]);
      assert.match(only, /- no input change to show: a secret value, or state read by refresh, differs/);
    });
  });

  it("truncates long values to about 80 characters, on whole characters", function () {
    const long = "é".repeat(200);
    const md = render([step("update", "LocalDockerNetwork", "n", { name: "n", labels: { note: "short" } }, { name: "n", labels: { note: long } })]);
    const line = md.split("\n").find((l) => l.startsWith("- `labels.note`"));
    assert.ok(line, md);
    const value = line.split(" → ")[1];
    assert.equal(value, "`" + `"${"é".repeat(78)}…` + "`");
  });

  it("renders values only known after apply as such", function () {
    const md = render([step("update", "LocalDockerNetwork", "n", { name: "n", gateway: "9.10.0.1" }, { name: "n", gateway: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" })]);
    assert.match(md, /- `gateway`: `"9\.10\.0\.1"` → `\(known after apply\)`/);
  });

  it("keeps table cells and code spans intact with pipes and backticks in names and values", function () {
    const md = render([step("update", "LocalDockerNetwork", "a|b", { name: "x", labels: { k: "a`b" } }, { name: "x", labels: { k: "c``d" } })]);
    assert.match(md, /^\| LocalDockerNetwork \| `a\\\|b` \| update \|$/m);
    assert.match(md, /- `labels\.k`: `` "a`b" `` → ``` "c``d" ```/);
  });

  describe("a failed preview", function () {
    const md = render(
      [],
      [
        { urn: urn("MarathonApp", "bad"), message: "error: pulumi-nodejs:dynamic/dcos:MarathonApp resource 'bad': property app.cmd has a problem\n", severity: "error" },
        { urn: urn("MarathonApp", "bad"), message: "error: pulumi-nodejs:dynamic/dcos:MarathonApp resource 'bad': property app.cmd has a problem\n", severity: "error" },
        { message: "warning: a note with ``` inside\n", severity: "warning" },
        { message: "just info", severity: "info" },
      ],
    );

    it("says it failed and lists each error and warning once, in code blocks", function () {
      assert.match(md, /^## Pulumi preview of stack `dev`: failed$/m);
      assert.match(md, /\*\*error\*\* in MarathonApp `bad`:\n```text\npulumi-nodejs:dynamic\/dcos:MarathonApp resource 'bad': property app\.cmd has a problem\n```/);
      assert.equal(md.match(/property app\.cmd/g)?.length, 1);
      assert.match(md, /\*\*warning\*\*:\n````text\na note with ``` inside\n````/);
      assert.doesNotMatch(md, /just info/);
    });
  });

  it("cuts a huge preview to fit a pull-request comment, closing an open code block", function () {
    const agents = Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`agent-${i}`, { block: `10.${i >> 8}.${i & 255}.0/24`, mesos: "m", docker: "d" }]));
    const md = render([step("create", "VirtualNetwork", "big", undefined, { name: "big", agentSubnets: agents })]);
    assert.ok(md.length <= MAX_MARKDOWN_CHARS, `${md.length}`);
    assert.match(md, /```\n\n… cut to fit a pull-request comment; run `npm run preview:md -- --stack dev` for all of it\.\n$/);
  });
});
