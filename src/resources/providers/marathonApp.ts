// Implementation of the MarathonApp dynamic provider for the local Docker cluster (loaded by
// lazyProvider in Pulumi's provider process): check → core rules, diff → core comparison,
// create/read/update/delete → the Docker backend.
import * as pulumi from "@pulumi/pulumi";
import { MarathonAppInputs, checkMarathonApp, definitionOf, replaceReasons } from "../../core/marathonApp";
import { AppState, Instance, createApp, deleteApp, observe, updateApp } from "../../backends/docker/localApp";
import { isUnknown } from "./unknown";

type Outputs = MarathonAppInputs & AppState & { appId: string };

function outputs(inputs: MarathonAppInputs, state: AppState): Outputs {
  return { ...inputs, ...state, appId: inputs.canonical.id };
}

export const provider: pulumi.dynamic.ResourceProvider = {
  async check(_olds, news) {
    return checkMarathonApp(news, isUnknown);
  },

  async diff(_id, olds, news) {
    const next = news as MarathonAppInputs;
    const replaces = replaceReasons(olds, next);
    const drifted = ((olds.instances ?? []) as Instance[]).some((i) => i.state !== "running");
    const changed =
      definitionOf(olds as Outputs) !== definitionOf(next) ||
      olds.canonical?.instances !== next.canonical.instances ||
      JSON.stringify(olds.servicePorts) !== JSON.stringify(next.servicePorts) ||
      JSON.stringify(olds.networks?.[olds.network]) !== JSON.stringify(next.networks?.[next.network]);
    return {
      changes: replaces.length > 0 || drifted || changed,
      replaces,
      // Same app id, same container names: the old instances must go first.
      deleteBeforeReplace: replaces.length > 0,
    };
  },

  async create(inputs) {
    const app = inputs as MarathonAppInputs;
    return { id: app.canonical.id, outs: outputs(app, await createApp(app)) };
  },

  // Refresh: each instance as the engine has it now (stopped, missing, or on another address).
  async read(id, props) {
    const old = props as Outputs;
    const instances = await observe(old, old.instances ?? []);
    return { id, props: { ...old, instances } };
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
