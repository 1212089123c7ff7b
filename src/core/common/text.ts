// Small string helpers that read their input once, left to right or right to left: patterns such as
// /\/+$/ backtrack from every slash of a long run (quadratic time on "////…x"), and these run in
// every preview, on URLs and paths a stack's config gives.

/** The text without its trailing slashes (`https://dcos.example.com//` → `https://dcos.example.com`). */
export function stripTrailingSlashes(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 0x2f) end--;
  return text.slice(0, end);
}
