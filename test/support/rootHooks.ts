// Loaded by .mocharc.json before any test file. Until a test calls requireDocker(), DOCKER_HOST
// names a socket that does not exist, so nothing (dockerode, the docker CLI, a Pulumi provider)
// can reach the user's engine by default; the suite's private engine is removed after all tests.
import { USER_DOCKER_HOST } from "./userEngine"; // captures the user's DOCKER_HOST first
import { disposeSuiteEngine, NOT_STARTED_HOST } from "./docker";

void USER_DOCKER_HOST;
process.env.DOCKER_HOST = NOT_STARTED_HOST;

export const mochaHooks = {
  async afterAll(this: Mocha.Context) {
    this.timeout(120_000);
    await disposeSuiteEngine();
  },
};
