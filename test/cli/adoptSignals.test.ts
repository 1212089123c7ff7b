// adopt's run holds `dcos-vnet:adopting: true` in the stack's config only while SIGINT and SIGTERM
// would remove it: the handlers are in place before the key is written, and stay until it is gone.
// (The e2e test in test/e2e/adopt.e2e.test.ts sends a real SIGTERM; under heavy load it once landed
// between the key's write and the handlers, and adopt died with the key left in the file.)
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runAdoptingUp } from "../../src/cli/adoptRun";

/** The module object itself (an `import * as` namespace only has getters), which stackFiles reads through. */
const fsModule = require("fs") as { writeFileSync: (...args: unknown[]) => void };

describe("adopt's run: dcos-vnet:adopting is in the file only while a signal would remove it", function () {
  let root: string;
  const writeFileSync = fsModule.writeFileSync;

  beforeEach(function () {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "dcos-vnet-adopt-signals-"));
    fs.writeFileSync(path.join(root, "Pulumi.s.yaml"), "config:\n  dcos-vnet:cluster:\n    target: marathon\n");
  });

  afterEach(function () {
    fsModule.writeFileSync = writeFileSync;
    fs.rmSync(root, { recursive: true, force: true });
  });

  it("has the SIGINT and SIGTERM handlers in place at each write of the key, set and removed", async function () {
    const base = { SIGINT: process.listenerCount("SIGINT"), SIGTERM: process.listenerCount("SIGTERM") };
    const writes: Array<{ adopting: boolean; SIGINT: number; SIGTERM: number }> = [];
    const config = path.join(root, "Pulumi.s.yaml");
    fsModule.writeFileSync = (file: unknown, data: unknown, ...rest: unknown[]) => {
      if (file === config) {
        writes.push({ adopting: /adopting: true/.test(String(data)), SIGINT: process.listenerCount("SIGINT"), SIGTERM: process.listenerCount("SIGTERM") });
      }
      return writeFileSync(file, data, ...rest);
    };
    // No Pulumi project in root: the run's preview fails, and the run ends through its `finally`.
    await assert.rejects(runAdoptingUp("s", root, () => undefined));
    fsModule.writeFileSync = writeFileSync;

    assert.deepEqual(writes.map((w) => w.adopting), [true, false], "the key is written, then removed");
    for (const w of writes) {
      assert.deepEqual({ SIGINT: w.SIGINT, SIGTERM: w.SIGTERM }, { SIGINT: base.SIGINT + 1, SIGTERM: base.SIGTERM + 1 }, `handlers at the write that ${w.adopting ? "sets" : "removes"} the key`);
    }
    assert.deepEqual({ SIGINT: process.listenerCount("SIGINT"), SIGTERM: process.listenerCount("SIGTERM") }, base, "the handlers are gone after the run");
    assert.doesNotMatch(fs.readFileSync(config, "utf8"), /adopting/);
  });
});
