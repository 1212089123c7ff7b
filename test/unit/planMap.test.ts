// The address-plan picture from hand-written stack outputs: a well-formed, self-contained SVG
// (checked by a tiny strict XML reader below: no new dependency) that shows every network, agent
// block, half and instance where it belongs, counts the free blocks instead of drawing them, and
// escapes whatever names the stack holds.
import { strict as assert } from "assert";
import { renderPlanHtml, renderPlanSvg, PlanOutputs } from "../../src/report/map";

interface XmlNode {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  /** Decoded character data directly inside this element. */
  text: string;
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function decode(raw: string, where: string): string {
  return raw.replace(/&([^;]*);|&/g, (_whole, name: string | undefined) => {
    if (name === undefined) throw new Error(`bare & in ${where}`);
    if (name in ENTITIES) return ENTITIES[name];
    const m = /^#(x[0-9a-fA-F]+|[0-9]+)$/.exec(name);
    if (!m) throw new Error(`unknown entity &${name}; in ${where}`);
    return String.fromCodePoint(m[1].startsWith("x") ? parseInt(m[1].slice(1), 16) : Number(m[1]));
  });
}

/** Parses an XML document strictly enough for these tests: one root, balanced tags, quoted attributes, valid entities. */
function parseXml(doc: string): XmlNode {
  const stack: XmlNode[] = [{ name: "#document", attrs: {}, children: [], text: "" }];
  let i = 0;
  while (i < doc.length) {
    const lt = doc.indexOf("<", i);
    const chunk = doc.slice(i, lt < 0 ? doc.length : lt);
    if (chunk.includes(">")) throw new Error(`stray > in text near ${JSON.stringify(chunk.slice(0, 40))}`);
    stack[stack.length - 1].text += decode(chunk, "text");
    if (lt < 0) break;
    if (doc.startsWith("<!--", lt)) {
      i = doc.indexOf("-->", lt) + 3;
      continue;
    }
    const gt = doc.indexOf(">", lt);
    if (gt < 0) throw new Error("unterminated tag");
    const tag = doc.slice(lt + 1, gt);
    i = gt + 1;
    if (tag.startsWith("/")) {
      const open = stack.pop()!;
      if (open.name !== tag.slice(1)) throw new Error(`</${tag.slice(1)}> closes <${open.name}>`);
      continue;
    }
    const m = /^([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)$/.exec(tag);
    if (!m) throw new Error(`malformed tag <${tag.slice(0, 80)}>`);
    const attrs: Record<string, string> = {};
    for (const a of m[2].matchAll(/([\w:.-]+)="([^"]*)"/g)) {
      if (a[1] in attrs) throw new Error(`duplicate attribute ${a[1]} in <${m[1]}>`);
      attrs[a[1]] = decode(a[2], `attribute ${a[1]}`);
    }
    const node: XmlNode = { name: m[1], attrs, children: [], text: "" };
    stack[stack.length - 1].children.push(node);
    if (!m[3]) stack.push(node);
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1].name}>`);
  const [root, ...more] = stack[0].children;
  if (!root || more.length > 0 || stack[0].text.trim() !== "") throw new Error("a document has exactly one root element");
  return root;
}

function descendants(node: XmlNode): XmlNode[] {
  return node.children.flatMap((c) => [c, ...descendants(c)]);
}

/** Every piece of text a reader sees (tooltips excluded). */
function visibleText(node: XmlNode): string[] {
  return descendants(node).filter((n) => n.name === "text").map((n) => n.text);
}

const inst = (index: number, agent: string, ip: string, half: "docker" | "mesos" = "docker", state = "running") => ({
  index, agent, ip, half, state, container: `s.app.${index}`, containerId: `c${index}`,
});

const block = (third: string) => ({ block: `${third}.0/24`, mesos: `${third}.0/25`, docker: `${third}.128/25` });

const OUTPUTS: PlanOutputs = {
  virtualNetworks: {
    "prod-1": {
      subnet: "9.30.0.0/16",
      dockerNetwork: "prod-1",
      capacity: { blocks: 256, blocksUsed: 3, blocksFree: 253, containersPerHalf: 125 },
      agentSubnets: { "agent-2": block("9.30.1"), "agent-1": block("9.30.0"), "agent-3": block("9.30.2") },
    },
    "prod-2": {
      subnet: "9.31.0.0/16",
      dockerNetwork: "prod-2",
      capacity: { blocks: 256, blocksUsed: 2, blocksFree: 254, containersPerHalf: 125 },
      agentSubnets: { "agent-1": block("9.31.0"), "agent-2": block("9.31.1") },
    },
  },
  marathonApps: {
    "/shop/web": { network: "prod-1", instances: [inst(0, "agent-1", "9.30.0.130"), inst(1, "agent-2", "9.30.1.130"), inst(2, "agent-3", "9.30.2.130", "docker", "stopped")] },
    "/shop/api": { network: "prod-2", instances: [inst(0, "agent-1", "9.31.0.130"), inst(1, "agent-2", "9.31.1.130")] },
    "/shop/stock": { network: "prod-1", instances: [inst(0, "agent-2", "9.30.1.2", "mesos")] },
  },
};

describe("address-plan picture (pure rendering)", function () {
  const svg = renderPlanSvg(OUTPUTS, { title: "Address plan of stack prod" });
  const root = parseXml(svg);
  const texts = visibleText(root);
  const shows = (s: string) => texts.some((t) => t.includes(s));

  it("is one well-formed, self-contained SVG document readable at 1200 px", function () {
    assert.ok(svg.startsWith("<svg "), svg.slice(0, 40));
    assert.equal(root.name, "svg");
    assert.equal(root.attrs.xmlns, "http://www.w3.org/2000/svg");
    assert.equal(root.attrs.width, "1200");
    assert.match(root.attrs.viewBox, /^0 0 1200 \d+$/);
    assert.ok(!/(href|src)=/.test(svg), "no external references");
    assert.ok(!svg.includes("<script"), "no scripts");
  });

  it("shows each network with its subnet, capacity and Docker network", function () {
    for (const name of ["prod-1", "prod-2"]) assert.ok(shows(name), name);
    for (const subnet of ["9.30.0.0/16", "9.31.0.0/16"]) assert.ok(shows(subnet), subnet);
    assert.ok(shows("3 of 256 blocks used"));
    assert.ok(shows("125 container addresses per half"));
    assert.ok(shows("Docker network prod-2"));
  });

  it("draws each agent block in address order, split into its Mesos and Docker halves with their CIDRs", function () {
    const net = descendants(root).find((n) => n.attrs["data-network"] === "prod-1")!;
    const blocks = descendants(net).filter((n) => n.attrs.class === "agent-block");
    assert.deepEqual(blocks.map((b) => b.attrs["data-agent"]), ["agent-1", "agent-2", "agent-3"]);
    for (const b of blocks) {
      const third = b.attrs["data-block"].replace(/\.0\/24$/, "");
      assert.ok(visibleText(b).includes(b.attrs["data-agent"]));
      assert.ok(visibleText(b).includes(`${third}.0/24`));
      const halves = descendants(b).filter((n) => n.attrs.class?.startsWith("half "));
      assert.deepEqual(halves.map((h) => [h.attrs.class, h.attrs["data-cidr"]]), [
        ["half mesos", `${third}.0/25`],
        ["half docker", `${third}.128/25`],
      ]);
      for (const h of halves) assert.ok(visibleText(h).includes(h.attrs["data-cidr"]));
    }
  });

  it("puts each instance, with app id, IP and state, inside the half it took its address from", function () {
    for (const [app, def] of Object.entries(OUTPUTS.marathonApps!)) {
      for (const i of def.instances!) {
        const half = descendants(root)
          .filter((n) => n.attrs["data-network"] === def.network)
          .flatMap(descendants)
          .find((n) => n.attrs.class === "agent-block" && n.attrs["data-agent"] === i.agent)!;
        const container = descendants(half).find((n) => n.attrs.class === `half ${i.half}`)!;
        const marker = descendants(container).find((n) => n.attrs["data-ip"] === i.ip);
        assert.ok(marker, `${app} ${i.ip} in ${i.agent}'s ${i.half} half`);
        assert.deepEqual(visibleText(marker!), [i.ip!, app, i.state!]);
      }
    }
  });

  it("counts the free blocks in one box instead of drawing them, and says which block comes next", function () {
    assert.ok(shows("free: 253 blocks (98.8%)"));
    assert.ok(shows("free: 254 blocks (99.2%)"));
    assert.ok(shows("9.30.3.0/24"), "next block of prod-1");
    assert.ok(shows("9.31.2.0/24"), "next block of prod-2");
    assert.equal(descendants(root).filter((n) => n.attrs.class === "free-blocks").length, 2);
  });

  it("stays small for a /8 of 65,536 blocks, with the share of free space never rounded to 100%", function () {
    const big = renderPlanSvg({
      virtualNetworks: {
        dcos: {
          subnet: "9.0.0.0/8",
          capacity: { blocks: 65536, blocksUsed: 3, blocksFree: 65533, containersPerHalf: 125 },
          agentSubnets: { a: block("9.0.0"), b: block("9.0.1"), c: block("9.0.3") },
        },
      },
    });
    const doc = parseXml(big);
    assert.ok(visibleText(doc).includes("free: 65,533 blocks (>99.9%)"));
    assert.ok(visibleText(doc).includes("9.0.2.0/24"), "the gap left by a removed agent is the next block");
    assert.ok(big.length < 30_000, `${big.length} characters`);
  });

  it("escapes < & > and quotes in every name, in text and in attributes", function () {
    const nasty = "a<b&c>\"d'";
    const out = renderPlanSvg(
      {
        virtualNetworks: { [nasty]: { subnet: "9.40.0.0/16", dockerNetwork: nasty, agentSubnets: { [nasty]: block("9.40.0") }, capacity: { blocks: 256, blocksUsed: 1, blocksFree: 255 } } },
        marathonApps: { [`/${nasty}`]: { network: nasty, instances: [inst(0, nasty, "9.40.0.130")] } },
      },
      { title: nasty },
    );
    assert.ok(!out.includes("a<b"), "raw < in output");
    assert.ok(!out.includes("b&c"), "raw & in output");
    assert.ok(out.includes("a&lt;b&amp;c&gt;"));
    const doc = parseXml(out);
    const names = visibleText(doc);
    assert.ok(names.includes(nasty), "network and agent names come back intact");
    assert.ok(names.includes(`/${nasty}`), "app id comes back intact");
    assert.ok(descendants(doc).some((n) => n.attrs["data-agent"] === nasty));
  });

  it("shows what fits nowhere: instances outside any block and on undeclared networks", function () {
    const out = parseXml(
      renderPlanSvg({
        virtualNetworks: { n1: { subnet: "9.50.0.0/16", agentSubnets: { a: block("9.50.0") }, capacity: { blocks: 256, blocksUsed: 1, blocksFree: 255 } } },
        marathonApps: {
          "/gone": { network: "n1", instances: [inst(0, "removed-agent", "9.50.7.130")] },
          "/lost": { network: "elsewhere", instances: [inst(0, "a", "10.0.0.5")] },
        },
      }),
    );
    const all = visibleText(out).join("\n");
    assert.match(all, /outside every agent block of n1: \/gone 9\.50\.7\.130 \(removed-agent\)/);
    assert.match(all, /networks this stack does not declare: \/lost 10\.0\.0\.5 on elsewhere/);
  });

  it("sums up instances beyond what a half can list, and marks a full network", function () {
    const many = Array.from({ length: 20 }, (_, i) => inst(i, "a", `9.60.0.${130 + i}`));
    const out = parseXml(
      renderPlanSvg({
        virtualNetworks: { n: { subnet: "9.60.0.0/24", agentSubnets: { a: block("9.60.0") }, capacity: { blocks: 1, blocksUsed: 1, blocksFree: 0, containersPerHalf: 125 } } },
        marathonApps: { "/many": { network: "n", instances: many } },
      }),
    );
    const all = visibleText(out);
    assert.ok(all.includes("+8 more"));
    assert.ok(all.includes("20 of 125 used"));
    assert.ok(all.includes("free: 0 blocks (0%)"));
    assert.ok(all.includes("no room for another agent"));
  });

  it("draws an empty stack, and outputs that are secret or missing, without failing", function () {
    for (const outputs of [{}, { virtualNetworks: "[secret]", marathonApps: null }, { virtualNetworks: { n: {} } }] as unknown as PlanOutputs[]) {
      const doc = parseXml(renderPlanSvg(outputs));
      assert.equal(doc.name, "svg");
    }
  });

  it("wraps the SVG in a minimal HTML page with a title", function () {
    const html = renderPlanHtml(OUTPUTS, { title: "Plan <prod>" });
    assert.ok(html.startsWith("<!DOCTYPE html>"));
    assert.ok(html.includes("<title>Plan &lt;prod&gt;</title>"));
    const svgPart = html.slice(html.indexOf("<svg"), html.indexOf("</svg>") + "</svg>".length);
    assert.equal(parseXml(svgPart).name, "svg");
    assert.ok(html.includes("9.30.2.130"));
  });
});
