// One agent block as a card: the agent and its block on top, then its two halves stacked in
// address order (Mesos first, Docker second, as DC/OS splits the block), each listing the
// instances that took an address from it and how much of the half is used. And the card that
// stands for all the free blocks of a network.
import { MapBlock, MapHalf, MapInstance } from "./planModel";
import { el, group, round, text } from "./svgElements";
import { escapeXml, estimateWidth, fitText, fittingFontSize, formatCount, formatPercent } from "./svgText";
import {
  ALLOCATED, CARD, FONT_MONO, FREE_PATTERN_ID, FREE_STYLE, FULL_INK, HALF_STYLE, INK, LINE, MUTED,
  PREDICTED_FILL, PREDICTED_INK, SIZE, STATE_INK, UNKNOWN_STATE_INK,
} from "./theme";

/** What every card of a network shares: column widths, capacity, app colours. */
export interface CardContext {
  containersPerHalf?: number;
  /** Width of the IP column of instance rows, fitted to the network's longest address. */
  ipColumn: number;
  colourOf(app: string): string;
}

/** Rows a half needs: its instances up to the cap, one for "+N more", at least one for "none". */
export function halfRows(half: MapHalf): number {
  const n = half.instances.length;
  if (n === 0) return 1;
  return n > SIZE.maxRowsPerHalf ? SIZE.maxRowsPerHalf + 1 : n;
}

/** Vertical space of a card's parts; cards in one grid row share it so their halves line up. */
export interface CardRows {
  header: number;
  mesosRows: number;
  dockerRows: number;
  /** Whether halves carry a second (IPv6) CIDR line. */
  dual: boolean;
}

export function cardRows(block: MapBlock): CardRows {
  return {
    header: block.block6 ? 50 : 36,
    mesosRows: halfRows(block.mesos),
    dockerRows: halfRows(block.docker),
    dual: block.mesos.cidr6 !== undefined || block.docker.cidr6 !== undefined,
  };
}

export function mergeRows(rows: CardRows[]): CardRows {
  return {
    header: Math.max(36, ...rows.map((r) => r.header)),
    mesosRows: Math.max(1, ...rows.map((r) => r.mesosRows)),
    dockerRows: Math.max(1, ...rows.map((r) => r.dockerRows)),
    dual: rows.some((r) => r.dual),
  };
}

const HALF_TOP = 30;
const HALF_USAGE = 26;
const HALF_GAP = 8;
const INSET = 8;

function halfHeight(rows: number, dual: boolean): number {
  return HALF_TOP + (dual ? 14 : 0) + rows * SIZE.instanceRow + HALF_USAGE;
}

export function cardHeight(rows: CardRows): number {
  return rows.header + halfHeight(rows.mesosRows, rows.dual) + HALF_GAP + halfHeight(rows.dockerRows, rows.dual) + INSET;
}

export function drawBlockCard(block: MapBlock, ctx: CardContext, x: number, y: number, w: number, rows: CardRows): string {
  const h = cardHeight(rows);
  const parts = cardFrame(block, x, y, w, h);
  if (block.block6) parts.push(text(x + w - INSET - 10, y + 39, fitText(block.block6, w - 40, 11.5, "mono"), { "font-size": 11.5, "font-family": FONT_MONO, "text-anchor": "end", fill: MUTED }, block.block6));
  const mesosY = y + rows.header;
  const dockerY = mesosY + halfHeight(rows.mesosRows, rows.dual) + HALF_GAP;
  parts.push(drawHalf(block.mesos, ctx, x + INSET + 4, mesosY, w - 2 * INSET - 4, rows.mesosRows, rows.dual));
  parts.push(drawHalf(block.docker, ctx, x + INSET + 4, dockerY, w - 2 * INSET - 4, rows.dockerRows, rows.dual));
  return group(parts, { class: block.predicted ? "agent-block predicted" : "agent-block", "data-agent": block.agent, "data-block": block.block });
}

/**
 * The card's outline and its header line: the agent on the left, its block on the right. A
 * registered block has a dark edge, tying it to its dark segment in the bar above; a predicted one
 * (the agent has not registered with the overlay master) a dashed outline and a PREDICTED tag.
 */
function cardFrame(block: MapBlock, x: number, y: number, w: number, h: number, stacked = false): string[] {
  const tag = block.predicted ? "PREDICTED" : "";
  const tagWidth = tag ? estimateWidth(tag, 9.5, "bold") + 14 : 0;
  // Stacked (compact cards): the block goes on a line of its own, under the agent.
  const nameWidth = w - 32 - (stacked ? 0 : estimateWidth(block.block, 12.5, "mono") + 8) - tagWidth;
  const name = fitText(block.agent, nameWidth, 14, "bold");
  const parts = block.predicted
    ? [el("rect", { x, y, width: w, height: h, rx: 8, fill: CARD, stroke: PREDICTED_INK, "stroke-width": 1.6, "stroke-dasharray": "6 4" })]
    : [
        el("rect", { x, y, width: w, height: h, rx: 8, fill: CARD, stroke: "#94a3b8" }),
        el("path", { d: `M${round(x + 8)} ${round(y)}A8 8 0 0 0 ${round(x)} ${round(y + 8)}V${round(y + h - 8)}A8 8 0 0 0 ${round(x + 8)} ${round(y + h)}Z`, fill: ALLOCATED }),
      ];
  const blockInk = block.predicted ? PREDICTED_INK : INK;
  parts.push(
    text(x + 16, y + 23, name, { "font-size": 14, "font-weight": 700, fill: INK }, block.agent),
    stacked
      ? text(x + 16, y + 40, fitText(block.block, w - 24, 12.5, "mono"), { "font-size": 12.5, "font-family": FONT_MONO, fill: blockInk }, block.block)
      : text(x + w - INSET - 10, y + 23, block.block, { "font-size": 12.5, "font-family": FONT_MONO, "text-anchor": "end", fill: blockInk }),
  );
  if (tag) {
    const tx = x + 16 + estimateWidth(name, 14, "bold") + 8;
    parts.push(
      el("rect", { x: tx, y: y + 11, width: tagWidth - 4, height: 16, rx: 8, fill: PREDICTED_FILL, stroke: PREDICTED_INK }),
      text(tx + (tagWidth - 4) / 2, y + 22.5, tag, { "font-size": 9.5, "font-weight": 700, "letter-spacing": 0.4, "text-anchor": "middle", fill: PREDICTED_INK }, "the agent has not registered with the overlay master: the lowest free block, as the master will allocate"),
    );
  }
  return parts;
}

/** Height of a compact card: the header, then one line per half. */
export function compactCardHeight(dual: boolean, block6 = false): number {
  return COMPACT_HEADER + (block6 ? 14 : 0) + 2 * (dual ? 36 : 24) + INSET;
}

const COMPACT_HEADER = 50;

/**
 * An agent block without instances to list (a network on a real cluster, whose instances are
 * Marathon's): the header and one line per half, so that a dozen agents and more stay on a page.
 */
export function drawCompactBlockCard(block: MapBlock, x: number, y: number, w: number, dual: boolean, block6: boolean): string {
  const h = compactCardHeight(dual, block6);
  const parts = cardFrame(block, x, y, w, h, true);
  if (block.block6) parts.push(text(x + 16, y + 54, fitText(block.block6, w - 24, 11, "mono"), { "font-size": 11, "font-family": FONT_MONO, fill: MUTED }, block.block6));
  let hy = y + COMPACT_HEADER - 6 + (block6 ? 14 : 0);
  for (const half of [block.mesos, block.docker]) {
    const style = HALF_STYLE[half.kind];
    const lineH = dual ? 32 : 20;
    const label = half.kind === "mesos" ? "MESOS" : "DOCKER";
    const labelW = estimateWidth(label, 9.5, "bold") + 14;
    const cidrW = w - 2 * INSET - 4 - labelW - 16;
    const line = [
      el("rect", { x: x + INSET + 4, y: hy, width: w - 2 * INSET - 4, height: lineH, rx: 5, fill: style.fill, stroke: style.stroke }),
      text(x + INSET + 12, hy + 14, label, { "font-size": 9.5, "font-weight": 700, "letter-spacing": 0.5, fill: style.ink }),
      text(x + w - INSET - 8, hy + 14, half.cidr, { "font-size": fittingFontSize(half.cidr, cidrW, 11.5, "mono", 8), "font-family": FONT_MONO, "text-anchor": "end", fill: INK }),
    ];
    if (dual && half.cidr6) line.push(text(x + w - INSET - 8, hy + 27, half.cidr6, { "font-size": fittingFontSize(half.cidr6, cidrW, 10.5, "mono", 8), "font-family": FONT_MONO, "text-anchor": "end", fill: MUTED }));
    parts.push(group(line, { class: `half ${half.kind}`, "data-cidr": half.cidr }));
    hy += lineH + 4;
  }
  return group(parts, { class: block.predicted ? "agent-block predicted" : "agent-block", "data-agent": block.agent, "data-block": block.block });
}

function drawHalf(half: MapHalf, ctx: CardContext, x: number, y: number, w: number, rows: number, dual: boolean): string {
  const style = HALF_STYLE[half.kind];
  const h = halfHeight(rows, dual);
  const parts = [
    el("rect", { x, y, width: w, height: h, rx: 6, fill: style.fill, stroke: style.stroke }),
    text(x + 10, y + 19, style.label.toUpperCase(), { "font-size": 10, "font-weight": 700, "letter-spacing": 0.6, fill: style.ink }),
    // IPv6 halves are long: the CIDR shrinks to stay clear of the label rather than run over it.
    text(x + w - 10, y + 19, half.cidr, { "font-size": fittingFontSize(half.cidr, w - 30 - estimateWidth(style.label.toUpperCase(), 10, "bold"), 12, "mono", 8), "font-family": FONT_MONO, "text-anchor": "end", fill: INK }),
  ];
  let rowY = y + HALF_TOP;
  if (dual) {
    if (half.cidr6) parts.push(text(x + w - 10, rowY + 4, fitText(half.cidr6, w - 20, 11, "mono"), { "font-size": 11, "font-family": FONT_MONO, "text-anchor": "end", fill: MUTED }, half.cidr6));
    rowY += 14;
  }
  const shown = half.instances.length > SIZE.maxRowsPerHalf ? half.instances.slice(0, SIZE.maxRowsPerHalf) : half.instances;
  shown.forEach((inst, i) => parts.push(drawInstance(inst, ctx, x, rowY + i * SIZE.instanceRow, w)));
  if (half.instances.length === 0) {
    parts.push(text(x + 12, rowY + 14, "no instances", { "font-size": 11, "font-style": "italic", fill: MUTED }));
  } else if (shown.length < half.instances.length) {
    const more = half.instances.length - shown.length;
    parts.push(text(x + 28, rowY + shown.length * SIZE.instanceRow + 14, `+${formatCount(more)} more`, { "font-size": 11, fill: MUTED }));
  }
  parts.push(drawUsage(half, ctx, x, y + h - HALF_USAGE, w));
  return group(parts, { class: `half ${half.kind}`, "data-cidr": half.cidr });
}

/** A row: the app's marker (hollow when not running), the address, the app, the state. */
function drawInstance(inst: MapInstance, ctx: CardContext, x: number, y: number, w: number): string {
  const colour = ctx.colourOf(inst.app);
  const running = inst.state === "running";
  const stateWidth = estimateWidth(inst.state, 10.5) + 4;
  const appX = x + 28 + ctx.ipColumn;
  const appWidth = Math.max(20, x + w - 10 - stateWidth - appX - 6);
  const tooltip = `${inst.app} instance ${inst.index}: ${inst.ip} on ${inst.agent}, ${inst.state}`;
  return group(
    [
      el("title", {}, escapeXml(tooltip)),
      el("circle", {
        cx: x + 16, cy: y + 10, r: 5,
        fill: running ? colour : CARD, stroke: colour, "stroke-width": running ? 1 : 2,
        "stroke-dasharray": running ? undefined : "2 1.5",
      }),
      text(x + 28, y + 14, inst.ip, { "font-size": 11.5, "font-family": FONT_MONO, fill: INK }),
      text(appX, y + 14, fitText(inst.app, appWidth, 11.5), { "font-size": 11.5, fill: INK }),
      text(x + w - 10, y + 14, inst.state, { "font-size": 10.5, "text-anchor": "end", fill: STATE_INK[inst.state] ?? UNKNOWN_STATE_INK }),
    ],
    { class: "instance", "data-ip": inst.ip },
  );
}

/** "n / capacity used" and a bar filled to the same share: the free space inside the half. */
function drawUsage(half: MapHalf, ctx: CardContext, x: number, y: number, w: number): string {
  const used = half.instances.length;
  const capacity = ctx.containersPerHalf;
  const label = capacity !== undefined ? `${formatCount(used)} of ${formatCount(capacity)} used` : `${formatCount(used)} used`;
  const barX = x + 10 + estimateWidth(label, 10.5) + 10;
  const barW = Math.max(0, x + w - 10 - barX);
  const filled = capacity ? Math.min(1, used / capacity) : 0;
  const parts = [
    el("line", { x1: x + 8, y1: y + 2, x2: x + w - 8, y2: y + 2, stroke: HALF_STYLE[half.kind].stroke, "stroke-opacity": 0.35 }),
    text(x + 10, y + 19, label, { "font-size": 10.5, fill: MUTED }),
  ];
  if (capacity !== undefined && barW > 20) {
    parts.push(el("rect", { x: barX, y: y + 11, width: barW, height: 7, rx: 3.5, fill: CARD, stroke: LINE }));
    // A used half never draws as empty: at least a sliver shows that something lives there.
    if (used > 0) parts.push(el("rect", { x: barX, y: y + 11, width: Math.max(4, barW * filled), height: 7, rx: 3.5, fill: HALF_STYLE[half.kind].stroke }));
  }
  return group(parts);
}

/** The card for all of a network's free blocks: how many, what share, which one comes next. */
export function drawFreeCard(
  free: { blocks: number; total: number; blockPrefix?: number; next?: string },
  x: number, y: number, w: number, h: number,
): string {
  const full = free.blocks <= 0;
  const headline = `free: ${formatCount(free.blocks)} blocks (${formatPercent(free.blocks, free.total)})`;
  const size = free.blockPrefix !== undefined ? ` /${free.blockPrefix}` : "";
  const frame = el("rect", { x, y, width: w, height: h, rx: 8, fill: `url(#${FREE_PATTERN_ID})`, stroke: full ? FULL_INK : FREE_STYLE.stroke, "stroke-dasharray": "6 4" });
  if (h < 124) {
    // Beside compact cards: the headline, then the next agent's block (or that there is none).
    const last = full ? "no room for another agent" : free.next ? `next agent gets ${free.next}` : "";
    const parts = [
      frame,
      el("rect", { x: x + 8, y: y + 8, width: w - 16, height: h - 16, rx: 6, fill: CARD, "fill-opacity": 0.92 }),
      text(x + 16, y + 28, headline, { "font-size": fittingFontSize(headline, w - 32, 13, "bold"), "font-weight": 700, fill: full ? FULL_INK : FREE_STYLE.ink }),
      text(x + 16, y + 46, fitText(`${formatCount(free.total - free.blocks)} of ${formatCount(free.total)}${size} allocated`, w - 32, 11), { "font-size": 11, fill: MUTED }),
      text(x + 16, y + 64, last, { "font-size": fittingFontSize(last, w - 32, 11, "mono", 8), "font-family": FONT_MONO, fill: full ? FULL_INK : INK }),
    ];
    return group(parts, { class: "free-blocks", "data-free": free.blocks });
  }
  const parts = [
    frame,
    el("rect", { x: x + 10, y: y + 10, width: w - 20, height: full ? 70 : 104, rx: 6, fill: CARD, "fill-opacity": 0.92 }),
    text(x + 20, y + 34, headline, { "font-size": fittingFontSize(headline, w - 40, 14.5, "bold"), "font-weight": 700, fill: full ? FULL_INK : FREE_STYLE.ink }),
    text(x + 20, y + 54, `${formatCount(free.total - free.blocks)} of ${formatCount(free.total)}${size} blocks allocated`, { "font-size": 11.5, fill: MUTED }),
  ];
  if (full) parts.push(text(x + 20, y + 71, "no room for another agent", { "font-size": 11.5, fill: FULL_INK }));
  else if (free.next) {
    parts.push(text(x + 20, y + 77, "next agent gets", { "font-size": 11.5, fill: MUTED }));
    parts.push(text(x + 20, y + 96, free.next, { "font-size": 12.5, "font-family": FONT_MONO, fill: INK }));
  }
  return group(parts, { class: "free-blocks", "data-free": free.blocks });
}
