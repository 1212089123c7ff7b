// Pulumi runs the program with ts-node in transpile-only mode (tsconfig.pulumi.json: noCheck) to
// keep previews fast, so the type check happens here, over the whole project.
import { strict as assert } from "assert";
import { execFile } from "child_process";
import { promisify } from "util";
import * as path from "path";
import { ROOT } from "../support/paths";

describe("type check", function () {
  it("tsc --noEmit passes on src, test, bench and examples", async function () {
    try {
      await promisify(execFile)(process.execPath, [path.join(ROOT, "node_modules/typescript/bin/tsc"), "--noEmit", "-p", ROOT], { cwd: ROOT, maxBuffer: 16 * 2 ** 20 });
    } catch (err) {
      const e = err as { stdout?: string };
      assert.fail(`tsc found type errors:\n${e.stdout ?? String(err)}`);
    }
  });
});
