// The local cluster's agents as one band under the virtual networks: the host network's subnet,
// then one row per agent with its own address and the host- and bridge-mode tasks it runs, each
// with its host ports (coloured as its app elsewhere in the picture).
import { MapAgents } from "./agentsModel";
import { el, group, text } from "./svgElements";
import { fitText } from "./svgText";
import { CARD, FONT_MONO, INK, LINE, MUTED, SIZE } from "./theme";

const ROW = 22;

export function drawAgents(model: MapAgents, colourOf: (app: string) => string, x: number, y: number, w: number): { svg: string; height: number } {
  const pad = SIZE.bandPadding;
  const parts: string[] = [];
  let cy = y + pad + 18;
  const title = "agents";
  parts.push(text(x + pad, cy, title, { "font-size": 19, "font-weight": 700, fill: INK }));
  const sub = `host network ${model.subnet ?? "?"}${model.dockerNetwork ? ` (Docker network ${model.dockerNetwork})` : ""}`;
  parts.push(text(x + pad + 80, cy, fitText(sub, w - 2 * pad - 80, 14), { "font-size": 14, "font-family": FONT_MONO, fill: MUTED }, sub));
  cy += 10;
  for (const a of model.agents) {
    cy += ROW;
    parts.push(text(x + pad, cy, a.agent, { "font-size": 13, "font-weight": 700, fill: INK }));
    parts.push(text(x + pad + 120, cy, a.ip, { "font-size": 13, "font-family": FONT_MONO, fill: INK }));
    let tx = x + pad + 250;
    for (const t of a.tasks) {
      const label = `${t.app} :${t.ports.join(",") || "-"}${t.taskIp ? ` → ${t.taskIp}` : ""} (${t.mode})`;
      const width = Math.min(label.length * 7 + 18, x + w - pad - tx);
      if (width < 40) break;
      parts.push(el("circle", { cx: tx + 5, cy: cy - 4, r: 5, fill: t.state === "running" ? colourOf(t.app) : "none", stroke: colourOf(t.app), "stroke-width": 2 }));
      parts.push(text(tx + 14, cy, fitText(label, width - 14, 12), { "font-size": 12, fill: INK }, `${label}: ${t.state}`));
      tx += width + 8;
    }
  }
  const height = cy + pad - y;
  const band = el("rect", { x, y, width: w, height, rx: 12, fill: CARD, stroke: LINE });
  return { svg: group([band, ...parts], { class: "agents" }), height };
}
