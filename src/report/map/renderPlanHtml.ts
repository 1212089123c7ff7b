// The address-plan picture as a minimal standalone HTML page: the SVG inline (so the page needs
// no other file) under a title, centred, scaling down on narrow windows.
import { PlanOutputs } from "./planOutputs";
import { DEFAULT_TITLE, PlanRenderOptions, renderPlanSvg } from "./renderPlanSvg";
import { escapeXml } from "./svgText";
import { PAGE } from "./theme";

export function renderPlanHtml(outputs: PlanOutputs, opts: PlanRenderOptions = {}): string {
  const title = escapeXml(opts.title ?? DEFAULT_TITLE);
  return [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    `<title>${title}</title>`,
    "<style>",
    `html, body { margin: 0; background: ${PAGE}; }`,
    "main { display: flex; justify-content: center; }",
    "main svg { max-width: 100%; height: auto; }",
    "</style>",
    "</head>",
    "<body>",
    `<main>${renderPlanSvg(outputs, opts).trimEnd()}</main>`,
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
