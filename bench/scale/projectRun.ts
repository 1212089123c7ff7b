// This project at one size: a throwaway stack of the repository's own program (the compiled,
// installed package, as `npm run up` runs it) on a temporary file backend, against the private
// engine. Also reads back the objects its `up` made (for the docker CLI and compose runs to
// repeat) and its state's size.
import Docker from "dockerode";
import { createTestStack } from "../../test/support/pulumi";
import { EngineObjects, captureStack } from "./engineObjects";
import { LifecycleTimes, runLifecycle, runUpDestroy } from "./lifecycle";
import * as fs from "fs";
import { tempDir } from "../../test/support/project";
import { Size, customResources, stackConfig, writeApps } from "./spec";
import { TypeSize, stateSizes } from "./stateSize";

export interface ProjectResult {
  times: LifecycleTimes;
  objects: EngineObjects;
  state: { total: number; types: TypeSize[] };
}

export async function runProject(client: Docker, size: Size, parallel?: number): Promise<ProjectResult> {
  const appsDir = tempDir("scale-apps");
  writeApps(appsDir, size);
  const t = await createTestStack("scale", stackConfig(size, appsDir));
  let objects: EngineObjects | undefined;
  let state: ProjectResult["state"] | undefined;
  try {
    const times = await runLifecycle(t.stack, {
      initial: async () => writeApps(appsDir, size),
      afterUp: async () => {
        objects = await captureStack(client, t.name);
        if (objects.containers.length !== size.apps || objects.networks.length !== size.networks) {
          throw new Error(`the project's up made ${objects.networks.length} networks and ${objects.containers.length} containers`);
        }
        state = stateSizes(await t.cli(["stack", "export"]));
      },
      oneChanged: async () => writeApps(appsDir, size, { revision: 1 }),
      oneUpdated: async () => writeApps(appsDir, size, { instances: 3 }),
    }, customResources(size), parallel);
    return { times, objects: objects!, state: state! };
  } finally {
    await t.dispose();
    fs.rmSync(appsDir, { recursive: true, force: true });
  }
}

/** `up` and `destroy` alone, at `parallel` (undefined: Pulumi's default). */
export async function runProjectUpDestroy(size: Size, parallel?: number): Promise<{ up: number; destroy: number }> {
  const appsDir = tempDir("scale-apps");
  writeApps(appsDir, size);
  const t = await createTestStack("scale", stackConfig(size, appsDir));
  try {
    return await runUpDestroy(t.stack, customResources(size), parallel);
  } finally {
    await t.dispose();
    fs.rmSync(appsDir, { recursive: true, force: true });
  }
}
