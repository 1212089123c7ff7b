// The address-plan picture: stack outputs → SVG or HTML text. Pure (no I/O, no Pulumi, no Docker).
export { renderPlanSvg, DEFAULT_TITLE } from "./renderPlanSvg";
export type { PlanRenderOptions } from "./renderPlanSvg";
export { renderPlanHtml } from "./renderPlanHtml";
export { buildPlanModel } from "./planModel";
export type { PlanModel } from "./planModel";
export type * from "./planOutputs";
export { escapeXml } from "./svgText";
