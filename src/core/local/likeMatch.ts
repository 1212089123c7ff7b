// Whether an agent's name matches a LIKE/UNLIKE constraint's regular expression as a whole (as
// Marathon matches it), in time linear in the name. The pattern comes from an app definition, so
// anyone who can open a pull request writes it; run by JavaScript's backtracking engine, `(a|a)*b`
// against a 40-letter agent name would never return and would hang `pulumi preview`. Here the
// pattern becomes a Thompson automaton whose states are all followed at once, one character at a
// time: at most (states × characters) steps, whatever the pattern.
import { parsePattern, Pattern, UnsupportedPattern } from "./likePattern";

/** Bounds the automaton (a{1000}{1000}-like counted repeats multiply); hostname patterns need tens. */
export const MAX_LIKE_STATES = 10_000;

type State =
  | { kind: "char"; test: (c: string) => boolean; next: number }
  | { kind: "assert"; holds: (text: string, at: number) => boolean; next: number }
  | { kind: "split"; next: number[] }
  | { kind: "match" };

export type LikeMatcher = { ok: true; matches: (text: string) => boolean } | { ok: false; reason: string };

/** Whether a piece compiles to no state at all (an empty group, a `{0}`). */
function readsNothing(p: Pattern): boolean {
  if (p.kind === "seq") return p.items.every(readsNothing);
  if (p.kind === "repeat") return p.max === 0 || readsNothing(p.item);
  return false;
}

/** The states of `pattern`, built back to front: each piece is compiled knowing where it goes next. */
function automaton(pattern: Pattern): { states: State[]; start: number } {
  const states: State[] = [{ kind: "match" }];
  const add = (s: State) => {
    if (states.length >= MAX_LIKE_STATES) throw new UnsupportedPattern(`its counted repeats need more than ${MAX_LIKE_STATES} matcher states`);
    states.push(s);
    return states.length - 1;
  };
  const compile = (p: Pattern, next: number): number => {
    switch (p.kind) {
      case "char": return add({ kind: "char", test: p.test, next });
      case "assert": return add({ kind: "assert", holds: p.holds, next });
      case "seq": return p.items.reduceRight((to, item) => compile(item, to), next);
      case "alt": return add({ kind: "split", next: p.options.map((o) => compile(o, next)) });
      case "repeat": {
        // Any number of an item that reads nothing is the item once: no state, and no loop over a
        // count of a billion (`(){4294967295}`).
        if (p.max === 0 || readsNothing(p.item)) return next;
        let tail = next;
        if (p.max === Infinity) {
          const loop: State = { kind: "split", next: [] };
          tail = add(loop);
          loop.next = [compile(p.item, tail), next];
        } else {
          for (let i = p.min; i < p.max; i++) tail = add({ kind: "split", next: [compile(p.item, tail), next] });
        }
        for (let i = 0; i < p.min; i++) tail = compile(p.item, tail);
        return tail;
      }
    }
  };
  return { states, start: compile(pattern, 0) };
}

function run(states: State[], start: number, text: string): boolean {
  const seen = new Int32Array(states.length).fill(-1);
  /** The character-reading states reachable from `from` at position `at` without reading one. */
  const reach = (from: number, at: number, into: number[]) => {
    const stack = [from];
    while (stack.length > 0) {
      const i = stack.pop()!;
      if (seen[i] === at) continue;
      seen[i] = at;
      const s = states[i];
      if (s.kind === "split") stack.push(...s.next);
      else if (s.kind === "assert") { if (s.holds(text, at)) stack.push(s.next); }
      else into.push(i);
    }
  };
  let current: number[] = [];
  reach(start, 0, current);
  for (let at = 0; at < text.length && current.length > 0; at++) {
    const next: number[] = [];
    for (const i of current) {
      const s = states[i];
      if (s.kind === "char" && s.test(text[at])) reach(s.next, at + 1, next);
    }
    current = next;
  }
  return current.includes(0);
}

/** A matcher for `pattern` (JavaScript syntax, matched against the whole text), or why there is none. */
export function likeMatcher(pattern: string): LikeMatcher {
  try {
    const { states, start } = automaton(parsePattern(pattern));
    return { ok: true, matches: (text) => run(states, start, text) };
  } catch (err) {
    if (err instanceof UnsupportedPattern || err instanceof SyntaxError) return { ok: false, reason: err.message };
    throw err;
  }
}
