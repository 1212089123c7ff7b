// Minimal SVG markup building: every attribute value and text node goes through escapeXml, so
// names from the stack (app ids, agent names) can never break the document.
import { escapeXml } from "./svgText";

export type Attrs = Record<string, string | number | undefined>;

function attributes(attrs: Attrs): string {
  return Object.entries(attrs)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${escapeXml(typeof v === "number" ? round(v) : v!)}"`)
    .join("");
}

/** Coordinates to 0.1 px: enough for the eye, and keeps the file small and diffable. */
export function round(n: number): string {
  return String(Math.round(n * 10) / 10);
}

/** An element; `children` is markup already built by these helpers. */
export function el(name: string, attrs: Attrs, children?: string): string {
  return children === undefined ? `<${name}${attributes(attrs)}/>` : `<${name}${attributes(attrs)}>${children}</${name}>`;
}

/** A text element holding `content` (escaped), with an optional tooltip. */
export function text(x: number, y: number, content: string, attrs: Attrs = {}, tooltip?: string): string {
  const title = tooltip !== undefined && tooltip !== content ? el("title", {}, escapeXml(tooltip)) : "";
  return el("text", { x, y, ...attrs }, title + escapeXml(content));
}

export function group(children: string[], attrs: Attrs = {}): string {
  return el("g", attrs, children.join(""));
}
