// Text for SVG/HTML output: XML escaping, and fitting labels into boxes. There is no font engine
// here (the core does no I/O and loads nothing), so widths are estimated from average glyph
// widths; labels that may not fit are shortened with an ellipsis and carry the full text as a
// tooltip.

const XML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };

/** Escapes text for XML content and attribute values; drops characters XML 1.0 forbids. */
export function escapeXml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "")
    .replace(/[&<>"']/g, (c) => XML_ESCAPES[c]);
}

/** Average advance of one character, as a fraction of the font size. */
const AVERAGE_WIDTH = { sans: 0.56, bold: 0.66, mono: 0.61 } as const;
export type FontKind = keyof typeof AVERAGE_WIDTH;

/** Glyphs about half as wide as the average in proportional fonts (spaces, punctuation, i, l). */
const NARROW = /[\s.,:;'|!()[\]ijlI]/;

export function estimateWidth(text: string, fontSize: number, font: FontKind = "sans"): number {
  const chars = [...text];
  const units = font === "mono" ? chars.length : chars.reduce((n, c) => n + (NARROW.test(c) ? 0.5 : 1), 0);
  return units * fontSize * AVERAGE_WIDTH[font];
}

/** The text, shortened with "…" so that it fits `width` pixels. */
export function fitText(text: string, width: number, fontSize: number, font: FontKind = "sans"): string {
  if (estimateWidth(text, fontSize, font) <= width) return text;
  const chars = [...text];
  // No more characters fit than if all were narrow: start there, so long names cost little.
  let keep = Math.min(chars.length, Math.ceil(width / (fontSize * AVERAGE_WIDTH[font] * 0.5)));
  while (keep > 0 && estimateWidth(chars.slice(0, keep).join("") + "…", fontSize, font) > width) keep--;
  return chars.slice(0, keep).join("") + "…";
}

/**
 * The largest font size up to `maxSize` at which the text fits `width`, with a margin for the
 * estimate's error; for headlines that must stay whole rather than lose their end.
 */
export function fittingFontSize(text: string, width: number, maxSize: number, font: FontKind = "sans", minSize = 9): number {
  let fontSize = maxSize;
  while (fontSize > minSize && estimateWidth(text, fontSize, font) * 1.1 > width) fontSize -= 0.5;
  return fontSize;
}

/** 65536 → "65,536", independent of the machine's locale so output is reproducible. */
export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** A share as a percentage that never rounds a non-empty part to 0% or a partial whole to 100%. */
export function formatPercent(part: number, whole: number): string {
  if (whole <= 0) return "0%";
  const pct = (part / whole) * 100;
  if (pct === 0 || pct === 100) return `${pct}%`;
  if (pct < 0.1) return "<0.1%";
  if (pct > 99.9) return ">99.9%";
  return `${pct.toFixed(1)}%`;
}
