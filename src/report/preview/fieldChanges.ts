// Which inputs an update or a replace changes, old → new: top-level inputs, and one level down
// when both sides are objects (so `app.instances` shows rather than the whole app). Inputs that
// only restate something the summary shows better are named with a pointer instead of dumped.
import { stableJson } from "../../core/common/stableJson";
import { ALWAYS_SECRET_INPUTS, isSecret, showableInput } from "./secrets";
import { truncate } from "./valueText";

export interface FieldChange {
  /** `subnet`, or `app.instances` one level down. */
  path: string;
  /** Present when the values are shown (masked); absent when `note` says where to look instead. */
  values?: { old: unknown; new: unknown };
  note?: string;
}

/** The dynamic provider's own code: an input on every resource, never a user change. */
const PROVIDER_CODE_INPUT = "__provider";

/**
 * Inputs derived from others, per resource type: a note to print instead of the values (after
 * the keys below the input that changed), or null to leave the input out entirely.
 */
const DERIVED_INPUTS: Record<string, Record<string, string | null>> = {
  // The allocation, shown agent by agent under "Allocations".
  VirtualNetwork: { agentSubnets: "see Allocations" },
  MarathonApp: {
    // Marathon's normalized copy of `app`: any change already shows under `app.*`.
    canonical: null,
    // Every network the app may join, with its agent blocks: changes when any allocation does.
    networks: "their agent blocks are under Allocations",
  },
};

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v) && !isSecret(v);

const differs = (a: unknown, b: unknown) => stableJson(a ?? null) !== stableJson(b ?? null);

const sortedKeys = (a: Record<string, unknown>, b: Record<string, unknown>) =>
  [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();

export function changedFields(typeShortName: string, olds: Record<string, unknown>, news: Record<string, unknown>): FieldChange[] {
  const derived = DERIVED_INPUTS[typeShortName] ?? {};
  const changes: FieldChange[] = [];
  for (const key of sortedKeys(olds, news)) {
    const [before, after] = [olds[key], news[key]];
    // Compared raw, so a changed secret is still reported (as [secret] → [secret]).
    if (key === PROVIDER_CODE_INPUT || !differs(before, after)) continue;
    const note = derived[key];
    if (note === null) continue;
    if (note !== undefined) {
      changes.push({ path: key, note: withChangedKeys(before, after, note) });
      continue;
    }
    // Always-secret inputs are never opened up, whatever their value looks like.
    const descend = isPlainObject(before) && isPlainObject(after) && !ALWAYS_SECRET_INPUTS.has(key);
    if (!descend) {
      changes.push({ path: key, values: shown(key, before, after) });
      continue;
    }
    for (const sub of sortedKeys(before, after)) {
      if (differs(before[sub], after[sub])) changes.push({ path: `${key}.${sub}`, values: shown(key, before[sub], after[sub]) });
    }
  }
  return changes;
}

/** `agent-2, agent-4 changed; see Allocations`: which keys below the input changed, then the pointer. */
function withChangedKeys(before: unknown, after: unknown, note: string): string {
  if (!isPlainObject(before) || !isPlainObject(after)) return note;
  const keys = sortedKeys(before, after).filter((k) => differs(before[k], after[k]));
  return keys.length > 0 ? `${truncate(keys.join(", "))} changed; ${note}` : note;
}

function shown(topLevelKey: string, before: unknown, after: unknown): { old: unknown; new: unknown } {
  return { old: showableInput(topLevelKey, before), new: showableInput(topLevelKey, after) };
}
