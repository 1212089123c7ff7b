// MarathonApp on the local Docker cluster: diff/create/read/update/delete over the Docker backend.
import * as pulumi from "@pulumi/pulumi";
import { MarathonAppInputs, definitionOf, replaceReasons } from "../../core/marathon/appInputs";
import { stableJson } from "../../core/common/stableJson";
import { AppState, createApp, deleteApp, observe, updateApp } from "../../backends/docker/localApp";
import { providerChanged } from "./diffKeys";

type Outputs = MarathonAppInputs & AppState & { appId: string };

function outputs(inputs: MarathonAppInputs, state: AppState): Outputs {
  return { ...inputs, ...state, strays: [], appId: inputs.canonical.id };
}

export const localTarget: Required<Pick<pulumi.dynamic.ResourceProvider, "diff" | "create" | "read" | "update" | "delete">> = {
  // From the state and the inputs alone, so a preview is the same on every machine. Instances
  // that died, moved or were removed behind our back, and stray containers, are found by read
  // (refresh): the state then shows them, and this diff turns them into an update that heals.
  async diff(_id, olds, news) {
    const next = news as MarathonAppInputs;
    const replaces = replaceReasons(olds, next);
    const previous = olds as Outputs;
    const drifted = (previous.instances ?? []).some((i) => i.state !== "running") || (previous.strays ?? []).length > 0;
    const changed =
      definitionOf(previous) !== definitionOf(next) ||
      previous.canonical?.instances !== next.canonical.instances ||
      stableJson(previous.servicePorts) !== stableJson(next.servicePorts) ||
      stableJson(previous.networks?.[previous.network]) !== stableJson(next.networks?.[next.network]) ||
      providerChanged(olds, news);
    // Same app id, same container names: the old instances must go first.
    return { changes: replaces.length > 0 || drifted || changed, replaces, deleteBeforeReplace: replaces.length > 0 };
  },

  async create(inputs) {
    const app = inputs as MarathonAppInputs;
    return { id: app.canonical.id, outs: outputs(app, await createApp(app)) };
  },

  // Refresh: each instance as the engine has it now (stopped, missing, or on another address).
  async read(id, props) {
    const old = props as Outputs;
    const seen = await observe(old, old.instances ?? []);
    return { id, props: { ...old, instances: seen.instances, strays: seen.strays } };
  },

  async update(_id, olds, news) {
    const previous = olds as Outputs;
    const next = news as MarathonAppInputs;
    const state = await updateApp(next, previous, definitionOf(previous) !== definitionOf(next));
    return { outs: outputs(next, state) };
  },

  async delete(_id, props) {
    const old = props as Outputs;
    await deleteApp(old, old);
  },
};
