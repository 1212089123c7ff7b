#!/usr/bin/env node
// Makes `wget -T N` of a busybox built without wget's timeout support stop segfaulting.
//
// Debian's busybox and busybox-static before 1:1.36.1-5 (bookworm's 1.35 among them) are built
// without FEATURE_WGET_TIMEOUT, yet wget's getopt32 string still declares "-T" as a number
// ("T:+") whose destination pointer is then NULL: getopt32 writes the parsed number through it,
// so any `wget -T N …` dies with SIGSEGV before it opens a socket (upstream:
// https://github.com/mirror/busybox/issues/124). Removing that "+" from the string makes -T a
// string option with no destination, which getopt32 skips: -T is accepted and ignored, which is
// what the upstream fix does. The string is "^<short options>\0<complementary rules>\0"
// (getopt32 finds the rules just past the first NUL), so the bytes after the "+" up to the
// rules' NUL move left by one and a NUL fills the last byte; nothing outside the literal changes.
//
// Only for a binary whose `wget --help` lacks "-T SEC" (the caller checks): with timeout support
// the "+" is needed. Usage: busyboxWgetFix.js IN OUT  (prints what it did; exit 1 on a surprise)
"use strict";
const fs = require("fs");

/** wget's option string starts so in busybox 1.3x: "^" (complementary rules follow) then its short options. */
const HEAD = Buffer.from("^cqSO:", "latin1");

/**
 * The patched copy of a busybox binary, or why it was left as it is.
 * @param {Buffer} binary
 * @returns {{ patched: Buffer | undefined, reason: string }}
 */
function fixWgetTimeoutOption(binary) {
  const found = [];
  for (let at = binary.indexOf(HEAD); at !== -1; at = binary.indexOf(HEAD, at + 1)) found.push(at);
  if (found.length === 0) return { patched: undefined, reason: "no wget option string (\"^cqSO:…\") in the binary" };
  if (found.length > 1) throw new Error(`wget's option string ("^cqSO:…") appears ${found.length} times in the binary; not patched`);
  const start = found[0];
  const optionsEnd = binary.indexOf(0, start);
  const options = binary.subarray(start, optionsEnd).toString("latin1");
  if (!/^\^[A-Za-z:+*]+$/.test(options)) throw new Error(`wget's option string ${JSON.stringify(options)} is not one getopt32 string; not patched`);
  const plus = options.indexOf("T:+");
  if (plus === -1) return { patched: undefined, reason: `wget's options ${JSON.stringify(options)} declare no numeric -T` };
  const rulesEnd = binary.indexOf(0, optionsEnd + 1);
  if (rulesEnd === -1) throw new Error("wget's option string has no end; not patched");
  const patched = Buffer.from(binary);
  const from = start + plus + 2; // the "+"
  patched.copyWithin(from, from + 1, rulesEnd + 1);
  patched[rulesEnd] = 0;
  const now = patched.subarray(start, patched.indexOf(0, start)).toString("latin1");
  return { patched, reason: `wget's options ${JSON.stringify(options)} -> ${JSON.stringify(now)}` };
}

module.exports = { fixWgetTimeoutOption };

if (require.main === module) {
  const [input, output] = process.argv.slice(2);
  if (!input || !output) {
    process.stderr.write("usage: busyboxWgetFix.js IN OUT\n");
    process.exit(2);
  }
  try {
    const { patched, reason } = fixWgetTimeoutOption(fs.readFileSync(input));
    fs.writeFileSync(output, patched ?? fs.readFileSync(input), { mode: 0o755 });
    process.stdout.write(`${patched ? "patched" : "unchanged"}: ${reason}\n`);
  } catch (err) {
    process.stderr.write(`busyboxWgetFix: ${err.message}\n`);
    process.exit(1);
  }
}
