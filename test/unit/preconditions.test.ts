// Tests that need Docker or Pulumi must fail, not skip, when those are missing: prove the guards.
import { strict as assert } from "assert";
import * as os from "os";
import Docker from "dockerode";
import { requireDocker } from "../support/docker";
import { requirePulumi } from "../support/pulumi";

describe("test preconditions", function () {
  it("requireDocker rejects with a clear message when no engine answers", async function () {
    const nowhere = new Docker({ socketPath: `${os.tmpdir()}/no-such-docker.sock` });
    await assert.rejects(requireDocker(nowhere), /need a running Docker engine.*npm run setup/s);
  });

  it("requirePulumi rejects with a clear message when the CLI is missing", async function () {
    await assert.rejects(requirePulumi(`${os.tmpdir()}/no-such-pulumi`), /need the Pulumi CLI.*npm run setup/s);
  });
});
