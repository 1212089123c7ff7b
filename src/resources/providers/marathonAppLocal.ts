// MarathonApp on the local Docker cluster: diff/create/read/update/delete over the Docker backend.
import * as pulumi from "@pulumi/pulumi";
import { MarathonAppInputs, definitionOf, replaceReasons } from "../../core/marathon/appInputs";
import { stableJson } from "../../core/common/stableJson";
import { AppState, Instance, createApp, deleteApp, observe, updateApp } from "../../backends/docker/localApp";

type Outputs = MarathonAppInputs & AppState & { appId: string };

function outputs(inputs: MarathonAppInputs, state: AppState): Outputs {
  return { ...inputs, ...state, strays: [], appId: inputs.canonical.id };
}

export const localTarget: Required<Pick<pulumi.dynamic.ResourceProvider, "diff" | "create" | "read" | "update" | "delete">> = {
  async diff(_id, olds, news) {
    const next = news as MarathonAppInputs;
    const replaces = replaceReasons(olds, next);
    // Like Marathon, which keeps reconciling, every diff looks at the engine: an instance that died
    // (killed, stopped by an engine restart) is a change even without a refresh. With no engine
    // answering, the state's view stands.
    const seen = await observe(olds as Outputs, olds.instances ?? []).catch(() => undefined);
    const instances: Instance[] = seen?.instances ?? olds.instances ?? [];
    const drifted = instances.some((i) => i.state !== "running") || (seen?.strays ?? olds.strays ?? []).length > 0;
    const changed =
      definitionOf(olds as Outputs) !== definitionOf(next) ||
      olds.canonical?.instances !== next.canonical.instances ||
      stableJson(olds.servicePorts) !== stableJson(next.servicePorts) ||
      stableJson(olds.networks?.[olds.network]) !== stableJson(next.networks?.[next.network]);
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
