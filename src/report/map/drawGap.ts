// A run of free blocks between allocated ones, drawn in the grid where it lies: on a cluster that
// has lived, agents left blocks behind them, and the overlay master hands those out first.
import { MapGap } from "./planModel";
import { el, group, text } from "./svgElements";
import { fitText, formatCount } from "./svgText";
import { CARD, FONT_MONO, FREE_PATTERN_ID, FREE_STYLE, INK, MUTED } from "./theme";

export function drawGapCard(gap: MapGap, blockPrefix: number | undefined, next: string | undefined, x: number, y: number, w: number, h: number): string {
  const size = blockPrefix !== undefined ? ` /${blockPrefix}` : "";
  const headline = gap.count === 1 ? `free${size} block` : `${formatCount(gap.count)} free${size} blocks`;
  const from = gap.count === 1 ? gap.first : `from ${gap.first}`;
  const parts = [
    el("rect", { x, y, width: w, height: h, rx: 8, fill: `url(#${FREE_PATTERN_ID})`, stroke: FREE_STYLE.stroke, "stroke-dasharray": "6 4" }),
    el("rect", { x: x + 10, y: y + 10, width: w - 20, height: Math.min(h - 20, 62), rx: 6, fill: CARD, "fill-opacity": 0.92 }),
    text(x + 20, y + 29, headline, { "font-size": 12.5, "font-weight": 700, fill: FREE_STYLE.ink }),
    text(x + 20, y + 47, fitText(from, w - 40, 12, "mono"), { "font-size": 12, "font-family": FONT_MONO, fill: INK }, from),
  ];
  if (h >= 84) {
    const why = next === gap.first ? "the next agent's block" : "left between agents";
    parts.push(text(x + 20, y + 63, fitText(why, w - 40, 10.5), { "font-size": 10.5, fill: MUTED }, why));
  }
  return group(parts, { class: "free-gap", "data-first": gap.first, "data-count": gap.count });
}
