// Long adversarial strings for the fuzzer (test/unit/fuzzLongInput.test.ts): about 10,000
// characters of a repeated separator or short run ("-", ".", "_", "/", ":", "a-", "0/", "(a|a)"…),
// between a plausible start and an end that makes the whole invalid — the shape that makes a
// backtracking regex try every way of splitting the run. And good documents with one field (any
// string leaf or key, or any value) replaced by such a string.
import fc from "fast-check";

export const LONG = 10_000;

const UNITS = ["-", ".", "_", "/", ":", "@", " ", "\t", "\n", "a", "0", "a-", "a.", "a_", "__", "-.", "0/", "a/", "::", "1.", "9.", "%", "(", "(a|a)", "\\", "*", "[", "{1}", "${", "\u00e9", "\ud83d\ude00"];
const STARTS = ["", "a", "/", "/a/", "http://", "9.", "fd00::", "VIP_0", "agent-", "sha256:", "localhost:5000/", "x@", "A"];
const ENDS = ["", "!", "-", "_", ".", "/", ":", "@", "A", " ", "\u0000", "x", ":99999", "a", "$"];

/** A run of ~10,000 characters made of one to three units repeated, between a start and an end. */
export const longString: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom(...STARTS), fc.array(fc.constantFrom(...UNITS), { minLength: 1, maxLength: 3 }), fc.constantFrom(...ENDS))
  .map(([start, units, end]) => {
    const unit = units.join("");
    return start + unit.repeat(Math.ceil(LONG / unit.length)) + end;
  });

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Edit = (doc: Json, s: string) => Json;

/** Every place a document's string could go: each value (leaf or not) and each object key. */
function edits(doc: Json): Edit[] {
  const found: Edit[] = [(_, s) => s];
  if (Array.isArray(doc)) {
    doc.forEach((item, i) => {
      for (const inner of edits(item)) found.push((d, s) => (d as Json[]).map((x, j) => (j === i ? inner(x, s) : x)));
    });
  } else if (doc !== null && typeof doc === "object") {
    for (const [key, value] of Object.entries(doc)) {
      found.push((d, s) => Object.fromEntries(Object.entries(d as object).map(([k, v]) => [k === key ? s : k, v])));
      for (const inner of edits(value)) found.push((d, s) => ({ ...(d as object), [key]: inner((d as Record<string, Json>)[key], s) }));
    }
  }
  return found;
}

/** `doc` with one of its values or keys (every one is reachable) replaced by a long string. */
export function withOneLongField(doc: object): fc.Arbitrary<unknown> {
  const places = edits(doc as Json);
  return fc.tuple(fc.nat({ max: places.length - 1 }), longString).map(([i, s]) => places[i](doc as Json, s));
}
