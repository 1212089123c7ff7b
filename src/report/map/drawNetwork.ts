// One virtual network as a band: its name, subnet and capacity; its whole address space as a bar
// drawn to scale (so a handful of /24s in a /8 reads as the sliver it is); then its agent blocks
// as cards side by side in address order, ending with one card for all the free blocks. A /16
// holds 256 blocks and a /8 65,536, so free blocks are counted, never drawn one by one.
import { MapNetwork } from "./planModel";
import { CardContext, cardHeight, cardRows, compactCardHeight, drawBlockCard, drawCompactBlockCard, drawFreeCard, mergeRows } from "./drawBlock";
import { drawGapCard } from "./drawGap";
import { el, group, text } from "./svgElements";
import { escapeXml, estimateWidth, fitText, formatCount } from "./svgText";
import { ALLOCATED, CARD, FONT_MONO, FREE_PATTERN_ID, FREE_STYLE, FULL_INK, INK, LINE, MUTED, PREDICTED_INK, SIZE } from "./theme";

const BAR_HEIGHT = 16;

export function drawNetwork(net: MapNetwork, colourOf: (app: string) => string, x: number, y: number, w: number): { svg: string; height: number } {
  const pad = SIZE.bandPadding;
  const inner = { x: x + pad, w: w - 2 * pad };
  const parts: string[] = [];
  let cy = y + pad;

  parts.push(...drawTitle(net, inner.x, cy + 18, inner.w));
  cy += 54;
  if (net.range) {
    parts.push(drawOverviewBar(net, inner.x, cy, inner.w));
    cy += BAR_HEIGHT + 30;
  }
  const grid = drawGrid(net, colourOf, inner.x, cy, inner.w);
  parts.push(grid.svg);
  cy += grid.height;
  for (const line of outsideNotes(net)) {
    cy += 20;
    parts.push(text(inner.x, cy, fitText(line, inner.w, 12), { "font-size": 12, fill: FULL_INK }, line));
  }
  const height = cy + pad - y;
  const band = el("rect", { x, y, width: w, height, rx: 12, fill: CARD, stroke: LINE });
  return { svg: group([band, ...parts], { class: "virtual-network", "data-network": net.name }), height };
}

function drawTitle(net: MapNetwork, x: number, baseline: number, w: number): string[] {
  const nameWidth = Math.min(estimateWidth(net.name, 19, "bold"), w / 2);
  const parts = [text(x, baseline, fitText(net.name, w / 2, 19, "bold"), { "font-size": 19, "font-weight": 700, fill: INK }, net.name)];
  if (net.subnet) parts.push(text(x + nameWidth + 8, baseline, net.subnet, { "font-size": 15, "font-family": FONT_MONO, fill: INK }));
  if (net.dockerNetwork) {
    parts.push(text(x + w, baseline, `Docker network ${net.dockerNetwork}`, { "font-size": 11.5, "text-anchor": "end", fill: MUTED }));
  }
  parts.push(text(x, baseline + 22, capacityLine(net), { "font-size": 12.5, fill: MUTED }));
  return parts;
}

function capacityLine(net: MapNetwork): string {
  const c = net.capacity;
  const per = net.blockPrefix !== undefined ? `one /${net.blockPrefix} per agent` : "no agent blocks";
  if (!c) return `${per} · ${formatCount(net.blocks.length)} allocated`;
  const pieces = [per, `${formatCount(c.blocksUsed)} of ${formatCount(c.blocks)} blocks used`, `${formatCount(c.blocksFree)} free`];
  if (c.containersPerHalf !== undefined) pieces.push(`${formatCount(c.containersPerHalf)} container addresses per half`);
  return pieces.join(" · ");
}

/** The subnet to scale: allocated blocks dark, free space hatched; every block stays ≥ 2 px wide. */
function drawOverviewBar(net: MapNetwork, x: number, y: number, w: number): string {
  const parts = [el("rect", { x, y, width: w, height: BAR_HEIGHT, rx: 3, fill: `url(#${FREE_PATTERN_ID})`, stroke: FREE_STYLE.stroke })];
  for (const b of net.blocks) {
    if (b.offset === undefined || b.share === undefined) continue;
    const tooltip = el("title", {}, escapeXml(`${b.agent} ${b.block}`));
    const fill = b.predicted ? PREDICTED_INK : ALLOCATED;
    parts.push(el("rect", { x: x + b.offset * w, y, width: Math.max(2, b.share * w), height: BAR_HEIGHT, fill, "fill-opacity": b.predicted ? 0.55 : 1, stroke: CARD, "stroke-width": 0.6 }, tooltip));
  }
  const labels = { "font-size": 10.5, "font-family": FONT_MONO, fill: MUTED };
  parts.push(text(x, y + BAR_HEIGHT + 15, net.range!.first, labels));
  parts.push(text(x + w, y + BAR_HEIGHT + 15, net.range!.last, { ...labels, "text-anchor": "end" }));
  parts.push(text(x + w / 2, y + BAR_HEIGHT + 15, `whole subnet to scale · dark = allocated agent blocks`, { "font-size": 10.5, fill: MUTED, "text-anchor": "middle" }));
  return group(parts, { class: "address-space" });
}

/**
 * Cards in rows of up to SIZE.maxColumns, in address order: each agent block, each run of free
 * blocks between them (where agents left), then one card for the rest of the free blocks. Cards of
 * one row share heights so halves line up. A network with no instance to list (a real cluster's:
 * its instances are Marathon's) gets compact cards.
 */
function drawGrid(net: MapNetwork, colourOf: (app: string) => string, x: number, y: number, w: number): { svg: string; height: number } {
  type Cell = { kind: "block"; index: number } | { kind: "gap"; index: number } | { kind: "free" };
  const cells: Cell[] = [];
  net.blocks.forEach((_, index) => {
    net.gaps.forEach((g, gi) => g.before === index && cells.push({ kind: "gap", index: gi }));
    cells.push({ kind: "block", index });
  });
  if (net.capacity) cells.push({ kind: "free" });
  if (cells.length === 0) {
    return { svg: text(x, y + 14, "no agent blocks: the network is disabled or has no agents", { "font-size": 12, "font-style": "italic", fill: MUTED }), height: 20 };
  }
  const compact = net.blocks.every((b) => b.mesos.instances.length === 0 && b.docker.instances.length === 0);
  const dual = net.blocks.some((b) => b.mesos.cidr6 !== undefined || b.docker.cidr6 !== undefined);
  const block6 = compact && net.blocks.some((b) => b.block6 !== undefined);
  const columns = Math.min(compact ? compactColumns(net, w) : SIZE.maxColumns, cells.length);
  const cellW = (w - (columns - 1) * SIZE.gap) / columns;
  const ctx: CardContext = { containersPerHalf: net.capacity?.containersPerHalf, ipColumn: ipColumn(net), colourOf };
  const parts: string[] = [];
  let cy = y;
  for (let start = 0; start < cells.length; start += columns) {
    const row = cells.slice(start, start + columns);
    const rows = mergeRows(row.flatMap((c) => (c.kind === "block" ? [cardRows(net.blocks[c.index])] : [])));
    const height = compact ? compactCardHeight(dual, block6) : cardHeight(rows);
    row.forEach((cell, i) => {
      const cx = x + i * (cellW + SIZE.gap);
      if (cell.kind === "block") {
        const block = net.blocks[cell.index];
        parts.push(compact ? drawCompactBlockCard(block, cx, cy, cellW, dual, block6) : drawBlockCard(block, ctx, cx, cy, cellW, rows));
      } else if (cell.kind === "gap") {
        parts.push(drawGapCard(net.gaps[cell.index], net.blockPrefix, net.nextFreeBlock, cx, cy, cellW, height));
      } else {
        parts.push(drawFreeCard({ blocks: net.capacity!.blocksFree, total: net.capacity!.blocks, blockPrefix: net.blockPrefix, next: net.nextFreeBlock }, cx, cy, cellW, height));
      }
    });
    cy += height + SIZE.gap;
  }
  return { svg: group(parts), height: cy - SIZE.gap - y };
}

/** As many compact columns as fit the network's longest half CIDR at a readable size (IPv6 ones are long). */
function compactColumns(net: MapNetwork, w: number): number {
  const cidrs = net.blocks.flatMap((b) => [b.mesos.cidr, b.docker.cidr, b.mesos.cidr6 ?? "", b.docker.cidr6 ?? ""]);
  const cell = Math.max(160, ...cidrs.map((c) => estimateWidth(c, 11, "mono") + 95));
  return Math.max(1, Math.min(SIZE.maxCompactColumns, Math.floor((w + SIZE.gap) / (cell + SIZE.gap))));
}

function ipColumn(net: MapNetwork): number {
  const ips = net.blocks.flatMap((b) => [...b.mesos.instances, ...b.docker.instances].map((i) => i.ip));
  return Math.max(64, ...ips.map((ip) => estimateWidth(ip, 11.5, "mono"))) + 10;
}

function outsideNotes(net: MapNetwork): string[] {
  if (net.outsideBlocks.length === 0) return [];
  const list = net.outsideBlocks.map((i) => `${i.app} ${i.ip} (${i.agent || "no agent"})`).join(", ");
  return [`⚠ outside every agent block of ${net.name}: ${list}`];
}
