// The address-plan picture as one self-contained SVG document (no external fonts, images or
// scripts): a title, a legend, then one band per virtual network. Pure: outputs in, text out.
import { buildPlanModel, PlanModel } from "./planModel";
import { PlanOutputs } from "./planOutputs";
import { drawNetwork } from "./drawNetwork";
import { drawAgents } from "./drawAgents";
import { el, group, text } from "./svgElements";
import { escapeXml, estimateWidth, fitText, formatCount } from "./svgText";
import {
  ALLOCATED, appColour, CARD, FONT_SANS, FREE_PATTERN_ID, FREE_STYLE, FULL_INK, HALF_STYLE, INK, MUTED, PAGE, PREDICTED_FILL, PREDICTED_INK, SIZE,
} from "./theme";

export interface PlanRenderOptions {
  /** Heading of the picture, e.g. "Address plan of stack dev". */
  title?: string;
  /** Width in pixels (default 1200); the height follows from the content. */
  width?: number;
}

export const DEFAULT_TITLE = "DC/OS virtual networks: address plan";

export function renderPlanSvg(outputs: PlanOutputs, opts: PlanRenderOptions = {}): string {
  const model = buildPlanModel(outputs);
  const width = opts.width ?? SIZE.width;
  const title = opts.title ?? DEFAULT_TITLE;
  const colourOf = (app: string) => appColour(model.apps, app);
  const x = SIZE.margin;
  const w = width - 2 * SIZE.margin;

  const parts: string[] = [];
  let y = SIZE.margin;
  parts.push(text(x, y + 22, fitText(title, w, 22), { "font-size": 22, "font-weight": 700, fill: INK }, title));
  parts.push(text(x, y + 44, summary(model), { "font-size": 13, fill: MUTED }));
  y += 62;
  const legend = drawLegend(model, colourOf, x, y, w);
  parts.push(legend.svg);
  y += legend.height + 16;

  if (model.networks.length === 0) {
    parts.push(text(x, y + 16, "The stack's outputs hold no virtual networks (is it up?).", { "font-size": 14, "font-style": "italic", fill: MUTED }));
    y += 28;
  }
  for (const net of model.networks) {
    const band = drawNetwork(net, colourOf, x, y, w);
    parts.push(band.svg);
    y += band.height + 16;
  }
  if (model.agents) {
    const band = drawAgents(model.agents, colourOf, x, y, w);
    parts.push(band.svg);
    y += band.height + 16;
  }
  if (model.onUnknownNetworks.length > 0) {
    const list = model.onUnknownNetworks.map((i) => `${i.app} ${i.ip} on ${i.network}`).join(", ");
    const line = `⚠ instances on networks this stack does not declare: ${list}`;
    parts.push(text(x, y + 14, fitText(line, w, 12), { "font-size": 12, fill: FULL_INK }, line));
    y += 28;
  }
  const height = Math.ceil(y + SIZE.margin - 16);

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"`,
    ` font-family="${escapeXml(FONT_SANS)}" role="img">`,
    el("title", {}, escapeXml(title)),
    defs(),
    el("rect", { x: 0, y: 0, width, height, fill: PAGE }),
    ...parts,
    "</svg>\n",
  ].join("");
}

function summary(model: PlanModel): string {
  const blocks = model.networks.reduce((n, net) => n + net.blocks.length, 0);
  const instances = model.networks.flatMap((net) => net.blocks.flatMap((b) => [...b.mesos.instances, ...b.docker.instances]));
  const running = instances.filter((i) => i.state === "running").length;
  const plural = (n: number, one: string) => `${formatCount(n)} ${one}${n === 1 ? "" : "s"}`;
  return [
    plural(model.networks.length, "virtual network"),
    plural(blocks, "agent block"),
    `${plural(instances.length, "app instance")} (${formatCount(running)} running)`,
  ].join(" · ");
}

/** The hatch that marks free space, in the bar and in the free-blocks card. */
function defs(): string {
  return el(
    "defs",
    {},
    el(
      "pattern",
      { id: FREE_PATTERN_ID, width: 8, height: 8, patternUnits: "userSpaceOnUse", patternTransform: "rotate(45)" },
      el("rect", { width: 8, height: 8, fill: FREE_STYLE.fill }) + el("line", { x1: 0, y1: 0, x2: 0, y2: 8, stroke: FREE_STYLE.hatch, "stroke-width": 3 }),
    ),
  );
}

interface LegendItem {
  swatch: (x: number, cy: number) => string;
  label: string;
}

/**
 * Two legend rows: what the shapes of the address space mean, then one marker per app. Entries
 * flow left to right and wrap, so any number of apps fits.
 */
function drawLegend(model: PlanModel, colourOf: (app: string) => string, x: number, y: number, w: number): { svg: string; height: number } {
  const box = (fill: string, stroke: string) => (sx: number, cy: number) => el("rect", { x: sx, y: cy - 7, width: 18, height: 14, rx: 3, fill, stroke });
  const dot = (fill: string, stroke: string, dashed: boolean) => (sx: number, cy: number) =>
    el("circle", { cx: sx + 9, cy, r: 5, fill, stroke, "stroke-width": dashed ? 2 : 1, "stroke-dasharray": dashed ? "2 1.5" : undefined });
  const space: LegendItem[] = [
    { swatch: box(ALLOCATED, ALLOCATED), label: "agent block" },
    { swatch: box(HALF_STYLE.mesos.fill, HALF_STYLE.mesos.stroke), label: "Mesos half (first half of the block)" },
    { swatch: box(HALF_STYLE.docker.fill, HALF_STYLE.docker.stroke), label: "Docker half (second half)" },
    { swatch: box(`url(#${FREE_PATTERN_ID})`, FREE_STYLE.stroke), label: "free address space (a card between blocks: a gap agents left)" },
    // Only stacks on a real cluster have predictions: the agent has not registered with the overlay master.
    ...(model.networks.some((n) => n.blocks.some((b) => b.predicted))
      ? [{ swatch: (sx: number, cy: number) => el("rect", { x: sx, y: cy - 7, width: 18, height: 14, rx: 3, fill: PREDICTED_FILL, stroke: PREDICTED_INK, "stroke-dasharray": "3 2" }), label: "predicted block (agent not registered yet)" }]
      : []),
  ];
  const apps: LegendItem[] = [
    ...model.apps.map((app) => ({ swatch: dot(colourOf(app), colourOf(app), false), label: app })),
    { swatch: dot(CARD, MUTED, true), label: "hollow marker: instance not running" },
  ];
  const parts: string[] = [];
  let cy = y + 11;
  const rows: Array<[string, LegendItem[]]> = [["Address space", space], ["App instances", apps]];
  for (const [heading, items] of rows) {
    parts.push(text(x, cy + 4, heading, { "font-size": 12, "font-weight": 700, fill: MUTED }));
    const left = x + 110;
    let cx = left;
    for (const item of items) {
      const label = fitText(item.label, w - 140, 12);
      const itemW = 18 + 7 + estimateWidth(label, 12) + 24;
      if (cx > left && cx + itemW > x + w) {
        cx = left;
        cy += LEGEND_ROW;
      }
      parts.push(item.swatch(cx, cy), text(cx + 25, cy + 4, label, { "font-size": 12, fill: INK }, item.label));
      cx += itemW;
    }
    cy += LEGEND_ROW;
  }
  return { svg: group(parts, { class: "legend" }), height: cy - LEGEND_ROW - y + 11 };
}

const LEGEND_ROW = 22;
