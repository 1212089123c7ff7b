// A LIKE/UNLIKE constraint's regular expression read into a tree that likeMatch runs without
// backtracking. The syntax is JavaScript's (validateScheduling has already compiled the pattern
// with RegExp): alternation, groups, quantifiers, `.`, classes, escapes and the assertions `^ $ \b
// \B`. What needs backtracking to mean anything — backreferences and lookarounds — is refused with
// the reason, as is a pattern whose counted repeats would make the matcher too large.

export type Pattern =
  | { kind: "char"; test: (c: string) => boolean }
  | { kind: "assert"; holds: (text: string, at: number) => boolean }
  | { kind: "seq"; items: Pattern[] }
  | { kind: "alt"; options: Pattern[] }
  | { kind: "repeat"; item: Pattern; min: number; max: number };

/** Thrown for a pattern the matcher cannot run; the message is the reason. */
export class UnsupportedPattern extends Error {}

const isDigit = (c: string | undefined) => c !== undefined && c >= "0" && c <= "9";
const isLetter = (c: string | undefined) => c !== undefined && ((c >= "a" && c <= "z") || (c >= "A" && c <= "Z"));
const isWordChar = (c: string | undefined) =>
  isLetter(c) || isDigit(c) || c === "_";
const isHex = (c: string | undefined) => isDigit(c) || (c !== undefined && ((c >= "a" && c <= "f") || (c >= "A" && c <= "F")));

const START: Pattern = { kind: "assert", holds: (_, at) => at === 0 };
const END: Pattern = { kind: "assert", holds: (text, at) => at === text.length };
const WORD_BOUNDARY: Pattern = { kind: "assert", holds: (text, at) => isWordChar(text[at - 1]) !== isWordChar(text[at]) };
const NOT_WORD_BOUNDARY: Pattern = { kind: "assert", holds: (text, at) => isWordChar(text[at - 1]) === isWordChar(text[at]) };

/** Groups within groups: the parser and the matcher's builder recurse once per level. */
const MAX_DEPTH = 100;

export function parsePattern(source: string): Pattern {
  const atoms = new Map<string, Pattern>();
  /**
   * `.`, a class or an escape: what one character it accepts is the engine's own answer, asked of
   * one character at a time (no quantifier inside, so that is constant time).
   */
  const oneChar = (atom: string): Pattern => {
    let p = atoms.get(atom);
    if (!p) {
      const re = new RegExp(`^(?:${atom})$`);
      p = { kind: "char", test: (c) => re.test(c) };
      atoms.set(atom, p);
    }
    return p;
  };
  let at = 0;
  let depth = 0;
  const peek = (ahead = 0) => source[at + ahead];

  function alternation(): Pattern {
    const options = [sequence()];
    while (peek() === "|") {
      at++;
      options.push(sequence());
    }
    return options.length === 1 ? options[0] : { kind: "alt", options };
  }

  function sequence(): Pattern {
    const items: Pattern[] = [];
    while (at < source.length && peek() !== "|" && peek() !== ")") items.push(quantified(term()));
    return items.length === 1 ? items[0] : { kind: "seq", items };
  }

  function term(): Pattern {
    const c = source[at++];
    switch (c) {
      case "^": return START;
      case "$": return END;
      case ".": return oneChar(".");
      case "(": return group();
      case "[": return oneChar(charClass());
      case "\\": return escape();
      case "*": case "+": case "?": case ")": case "|":
        throw new UnsupportedPattern(`unexpected ${c} at ${at - 1}`);
      default: return { kind: "char", test: (x) => x === c };
    }
  }

  function group(): Pattern {
    if (++depth > MAX_DEPTH) throw new UnsupportedPattern(`its groups are nested more than ${MAX_DEPTH} deep`);
    if (peek() === "?") {
      const kind = source.slice(at, at + 3);
      if (kind.startsWith("?=") || kind.startsWith("?!") || kind === "?<=" || kind === "?<!") {
        throw new UnsupportedPattern(`a lookaround, (${kind.startsWith("?<") ? kind : kind.slice(0, 2)}…), needs backtracking`);
      }
      if (peek(1) === ":") at += 2;
      else if (peek(1) === "<") at = source.indexOf(">", at) + 1;
      else throw new UnsupportedPattern(`unknown group (${kind}…)`);
      if (at === 0) throw new UnsupportedPattern("unterminated group name");
    }
    const inner = alternation();
    if (source[at++] !== ")") throw new UnsupportedPattern("unbalanced (");
    depth--;
    return inner;
  }

  /** The class's text from `[` to its `]` (an escaped `]` does not close it; `[]` is empty). */
  function charClass(): string {
    const start = at - 1;
    if (peek() === "^") at++;
    while (at < source.length && peek() !== "]") at += peek() === "\\" ? 2 : 1;
    if (at >= source.length) throw new UnsupportedPattern("unterminated [");
    at++;
    return source.slice(start, at);
  }

  function escape(): Pattern {
    const c = source[at++];
    if (c === "b") return WORD_BOUNDARY;
    if (c === "B") return NOT_WORD_BOUNDARY;
    if ((c >= "1" && c <= "9") || (c === "k" && peek() === "<")) throw new UnsupportedPattern(`a backreference (\\${c}…) needs backtracking`);
    if (c === "0" && isDigit(peek())) throw new UnsupportedPattern("an octal escape (\\0 followed by a digit); write \\x.. instead");
    if (c === "c" && !isLetter(peek())) throw new UnsupportedPattern("\\c without a control letter");
    if (c === undefined) throw new UnsupportedPattern("a \\ at the end");
    let length = 0;
    if (c === "x" && isHex(peek()) && isHex(peek(1))) length = 2;
    else if (c === "u" && [0, 1, 2, 3].every((i) => isHex(peek(i)))) length = 4;
    else if (c === "c") length = 1;
    at += length;
    return oneChar(source.slice(at - length - 2, at));
  }

  /** `*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}` (lazy or not: the same strings match) after an item. */
  function quantified(item: Pattern): Pattern {
    let bounds: [number, number] | undefined;
    const c = peek();
    if (c === "*") bounds = [0, Infinity];
    else if (c === "+") bounds = [1, Infinity];
    else if (c === "?") bounds = [0, 1];
    if (bounds) at++;
    else if (c === "{") bounds = braces();
    if (!bounds) return item;
    if (peek() === "?") at++;
    return { kind: "repeat", item, min: bounds[0], max: bounds[1] };
  }

  /** A `{n}`, `{n,}` or `{n,m}` here, consumed; otherwise nothing (a `{` is then a literal). */
  function braces(): [number, number] | undefined {
    let i = at + 1;
    const digits = () => {
      const from = i;
      while (isDigit(source[i])) i++;
      return source.slice(from, i);
    };
    const min = digits();
    if (min === "") return undefined;
    let max = min;
    if (source[i] === ",") {
      i++;
      max = digits();
    }
    if (source[i] !== "}") return undefined;
    at = i + 1;
    return [Number(min), max === "" ? Infinity : Number(max)];
  }

  const pattern = alternation();
  if (at < source.length) throw new UnsupportedPattern(`unbalanced ) at ${at}`);
  return pattern;
}
