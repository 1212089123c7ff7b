// Values as short Markdown text: one line of JSON, secrets masked, truncated, in a code span.
import { SECRET_TEXT, maskSecrets } from "./secrets";
import { stableJson } from "../../core/common/stableJson";

/** The engine's placeholder for a value only known after apply. */
export const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Long enough for a CIDR list or an image reference, short enough to keep a diff line readable. */
export const MAX_VALUE_CHARS = 80;

function replaceUnknowns(value: unknown): unknown {
  if (value === UNKNOWN_VALUE) return "(known after apply)";
  if (Array.isArray(value)) return value.map(replaceUnknowns);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceUnknowns(v)]));
  }
  return value;
}

/** Cuts to `max` characters (whole code points), marking the cut with "…". */
export function truncate(text: string, max = MAX_VALUE_CHARS): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}

/** A value as compact text: JSON on one line (keys sorted), `(none)` for absent, `[secret]` for secrets. */
export function valueText(value: unknown, max = MAX_VALUE_CHARS): string {
  if (value === undefined) return "(none)";
  const shown = replaceUnknowns(maskSecrets(value));
  if (shown === SECRET_TEXT) return SECRET_TEXT;
  if (typeof shown === "string" && shown === "(known after apply)") return shown;
  return truncate(stableJson(shown) ?? String(shown), max);
}

/** Text as an inline code span on one line, even when it holds backticks. */
export function code(text: string): string {
  const line = text.replace(/\r?\n/g, " ");
  if (!line.includes("`")) return `\`${line}\``;
  // CommonMark: a span's fence is a backtick run longer than any inside it, padded by spaces.
  const longest = Math.max(...(line.match(/`+/g) ?? [""]).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  return `${fence} ${line} ${fence}`;
}

/** A table cell's text: a pipe would end the cell (GFM unescapes `\|` even inside code spans). */
export function tableCell(text: string): string {
  return text.replace(/\|/g, "\\|");
}

/** A value rendered for Markdown: `valueText` in a code span. */
export function valueCode(value: unknown, max = MAX_VALUE_CHARS): string {
  return code(valueText(value, max));
}
