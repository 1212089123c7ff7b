// Colours, fonts and sizes of the address-plan picture, in one place so the parts agree.
// Mesos and Docker halves keep the same hues everywhere (legend, boxes, usage bars); instance
// markers take one colour per app, so an app's instances can be followed across agents.

export const FONT_SANS = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', 'Liberation Sans', sans-serif";
export const FONT_MONO = "ui-monospace, Menlo, Consolas, 'DejaVu Sans Mono', 'Liberation Mono', monospace";

export const INK = "#1f2937";
export const MUTED = "#6b7280";
export const LINE = "#d1d5db";
export const PAGE = "#f8fafc";
export const CARD = "#ffffff";
export const ALLOCATED = "#475569";

export const HALF_STYLE = {
  mesos: { label: "Mesos half", fill: "#f3efff", stroke: "#8b6fd6", ink: "#5b3fb0" },
  docker: { label: "Docker half", fill: "#eaf2ff", stroke: "#4b8ef0", ink: "#1d5fc7" },
} as const;

/** A predicted block (the agent has not registered with the overlay master yet). */
export const PREDICTED_INK = "#b45309";
export const PREDICTED_FILL = "#fff7ed";

export const FREE_STYLE = { fill: "#f3f4f6", hatch: "#d1d5db", stroke: "#9ca3af", ink: "#374151" };
export const FULL_INK = "#b91c1c";

export const STATE_INK: Record<string, string> = { running: "#15803d", stopped: "#b45309", missing: "#b91c1c" };
export const UNKNOWN_STATE_INK = MUTED;

const APP_COLOURS = ["#e4572e", "#0f9d8a", "#d99a00", "#a23b72", "#2e86ab", "#5f8f3e", "#7c4dff", "#8d6e63"];

/** A stable colour per app, by its position among the stack's app ids (sorted). */
export function appColour(apps: string[], app: string): string {
  const i = apps.indexOf(app);
  return APP_COLOURS[(i < 0 ? 0 : i) % APP_COLOURS.length];
}

export const SIZE = {
  width: 1200,
  margin: 24,
  bandPadding: 18,
  gap: 14,
  maxColumns: 4,
  /** Compact cards (no instances to list) are narrower: a dozen agents fit in two rows. */
  maxCompactColumns: 6,
  /** Instance rows drawn per half before the rest are summed up as "+N more". */
  maxRowsPerHalf: 12,
  instanceRow: 20,
} as const;

/** Id of the hatch pattern that marks free space (prefixed: the SVG may be inlined in a page). */
export const FREE_PATTERN_ID = "dcos-vnet-free-hatch";
