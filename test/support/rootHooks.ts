// Loaded by .mocharc.json before any test file. Until a test calls requireDocker(), DOCKER_HOST
// names a socket that does not exist, so nothing (dockerode, the docker CLI, a Pulumi provider)
// can reach the user's engine by default. In parallel mode these hooks run once per file: after a
// file, its engine is kept for the worker's next file if the file passed and left it as fresh
// (docker.ts, releaseSuiteEngine), else removed; the worker's exit removes the last one. Each
// file's wall time, Pulumi commands, engine starts and leftovers go to .tools/test-times.md.
import { USER_DOCKER_HOST } from "./userEngine"; // captures the user's DOCKER_HOST first
import { NOT_STARTED_HOST, releaseSuiteEngine } from "./docker";
import { fileEnded, fileStarted } from "./testTimes";
import "./failureReport"; // a failing test or hook reports what Pulumi and the engine were doing

void USER_DOCKER_HOST;
process.env.DOCKER_HOST = NOT_STARTED_HOST;

function fileOf(context: Mocha.Context): string | undefined {
  const root = context.test?.parent;
  return root?.suites.find((s) => s.file)?.file ?? root?.file;
}

function failuresIn(suite: Mocha.Suite | undefined): number {
  if (!suite) return 0;
  const own = suite.tests.filter((t) => t.state === "failed").length;
  return own + suite.suites.reduce((n, s) => n + failuresIn(s), 0);
}

export const mochaHooks = {
  beforeAll(this: Mocha.Context) {
    const file = fileOf(this);
    if (file) fileStarted(file);
  },
  async afterAll(this: Mocha.Context) {
    this.timeout(120_000);
    const failed = failuresIn(this.test?.parent);
    const leftovers = await releaseSuiteEngine(failed === 0);
    fileEnded(failed, leftovers);
  },
};
