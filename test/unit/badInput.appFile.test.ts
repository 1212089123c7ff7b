// An app file the stack names but that cannot be used stops the stack program with the file's name
// and the reason, before any resource is declared (readAppFile, which the program calls per file).
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { readAppFile } from "../../src/resources/marathonApp";

describe("bad input, unit level: app files (readAppFile)", function () {
  let dir: string;
  before(function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "dcos-vnet-appfile-"));
  });
  after(function () {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** The parser's own reason (its wording differs between Node versions). */
  const parserReason = (text: string) => {
    try {
      JSON.parse(text);
    } catch (err) {
      return (err as Error).message;
    }
    throw new Error(`${JSON.stringify(text)} parses`);
  };

  const CASES: Array<[string, string, string]> = [
    ["cut off in the middle", "broken.json", '{"id": "/x", "cmd": '],
    ["a trailing comma", "trailing.json", '{"id": "/x",}'],
    ["YAML, not JSON", "yaml.json", "id: /x\ncmd: sleep 1\n"],
    ["empty", "empty.json", ""],
  ];
  for (const [what, file, text] of CASES) {
    it(what, function () {
      fs.writeFileSync(path.join(dir, file), text);
      assert.throws(() => readAppFile(file, dir), (err: Error) => {
        assert.equal(err.message, `${file}: the app definition is not valid JSON: ${parserReason(text)}`);
        return true;
      });
    });
  }

  it("a file that does not exist names the file and the system's reason", function () {
    assert.throws(() => readAppFile("missing.json", dir), (err: Error) => {
      assert.equal(err.message, `missing.json: cannot read the app definition: ENOENT: no such file or directory, open '${path.join(dir, "missing.json")}'`);
      return true;
    });
  });
});
