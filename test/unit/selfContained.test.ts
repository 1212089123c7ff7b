// A plain clone must be enough to run the tests: nothing under src/ or test/ may reach for files
// outside the repository (the Marathon schema once came from a `shared` folder beside the clone).
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { APP_SCHEMA_PATH } from "../support/fakeMarathon";
import { ROOT } from "../support/paths";

/** A parent-relative path to the `shared` folder, as a string or as path.join/resolve segments. */
const OUTSIDE = /\.\.\/shared|"\.\.",\s*"shared"/;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "fixtures" ? [] : sourceFiles(full);
    return /\.(ts|js)$/.test(entry.name) ? [full] : [];
  });
}

describe("self-contained repository", function () {
  it("has no source or test file that reads the shared folder beside the clone", function () {
    const files = [...sourceFiles(path.join(ROOT, "src")), ...sourceFiles(path.join(ROOT, "test"))];
    assert.ok(files.length > 50, `expected the repository's sources, found ${files.length} files`);
    const offenders = files.filter((f) => OUTSIDE.test(fs.readFileSync(f, "utf8"))).map((f) => path.relative(ROOT, f));
    assert.deepEqual(offenders, []);
  });

  it("keeps Marathon's app schema inside the repository, with its attribution", function () {
    assert.ok(APP_SCHEMA_PATH.startsWith(ROOT + path.sep), `${APP_SCHEMA_PATH} is outside ${ROOT}`);
    const schema = JSON.parse(fs.readFileSync(APP_SCHEMA_PATH, "utf8"));
    assert.equal(schema.properties.id.$ref, "#/definitions/pathType");
    const notice = fs.readFileSync(path.join(path.dirname(APP_SCHEMA_PATH), "NOTICE.md"), "utf8");
    assert.match(notice, /mesosphere\/marathon/);
    assert.match(notice, /Apache License, Version 2\.0/);
  });
});
