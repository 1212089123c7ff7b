// MarathonApp on a real DC/OS cluster: diff/create/read/update/delete over Marathon's REST API.
import * as pulumi from "@pulumi/pulumi";
import { MarathonAppInputs, ResolvedApp, replaceReasons, resolveApp } from "../../core/marathon/appInputs";
import { stableJson } from "../../core/common/stableJson";
import { connectionSettingsChanged, definitionEdited, providerChanged } from "./diffKeys";
import { withoutAdopt } from "./adoptInput";
import { adoptApp, refuseAdoptedIdChange } from "./adoptDcos";
import {
  DeployedState, MarathonConnection, createApp, deleteApp, observedOf, readApp, updateApp,
} from "../../backends/marathon/deployer";

type Inputs = MarathonAppInputs & { connection: MarathonConnection };
type Outputs = Inputs & DeployedState & { appId: string; aliases: string[]; instances: [] };

/** The inputs (the definition once: no canonical copy, see MarathonAppInputs), Marathon's view, the declared outputs. */
function outputs(app: ResolvedApp & Inputs, state: DeployedState): Outputs {
  const { canonical, aliases, ...inputs } = app;
  return { ...inputs, ...state, appId: canonical.id, aliases, instances: [] };
}

/** Deployment progress, shown by the engine. */
const log = (msg: string) => pulumi.log.info(msg);

export const dcosTarget: Required<Pick<pulumi.dynamic.ResourceProvider, "diff" | "create" | "read" | "update" | "delete">> = {
  async diff(_id, olds, news) {
    const next = resolveApp(news as Inputs);
    const replaces = replaceReasons(olds, next);
    if (olds.connection?.url !== next.connection?.url) replaces.push("connection");
    // `dcos-vnet adopt`'s run writes nothing to Marathon: a replace would be a DELETE and a POST.
    // The app is updated instead, which under adopt only records Marathon's copy.
    if (news.adopt === true) return { changes: true, replaces: [], deleteBeforeReplace: false };
    // Drift is compared on the declared fields only (Marathon's version, tasks and defaults never
    // show); an edit of the definition is any change of the file, health checks and ports included.
    const changed = stableJson(olds.observed) !== stableJson(observedOf(next.app)) || definitionEdited(olds, news);
    const reconnected = connectionSettingsChanged(olds, news);
    return { changes: replaces.length > 0 || changed || reconnected || providerChanged(olds, news), replaces, deleteBeforeReplace: replaces.length > 0 };
  },

  async create(inputs) {
    const app = resolveApp(withoutAdopt(inputs) as Inputs);
    // `dcos-vnet adopt`'s run: the app runs already; record Marathon's copy, write nothing.
    if (inputs.adopt === true) return { id: app.canonical.id, outs: outputs(app, await adoptApp(app.connection, app.canonical.id, app.app, log)) };
    const state = await createApp(app.connection, app.app, log, (partial) => outputs(app, partial) as unknown as Record<string, unknown>);
    return { id: app.canonical.id, outs: outputs(app, state) };
  },

  // Refresh: the app as Marathon has it (scaled by hand in the UI, say); gone if Marathon has none.
  async read(id, props) {
    const old = props as Outputs;
    const state = await readApp(old.connection, id, log);
    if (!state) return { id: "", props: {} };
    return { id, props: { ...old, ...state } };
  },

  async update(id, olds, news) {
    const next = resolveApp(withoutAdopt(news) as Inputs);
    // An adopt run (again, --force) writes nothing either: the state takes Marathon's copy. An
    // update cannot change the resource's id, so another app id is refused (nothing written).
    if (news.adopt === true && next.canonical.id !== id) refuseAdoptedIdChange("app", id, next.canonical.id);
    if (news.adopt === true) return { outs: outputs(next, await adoptApp(next.connection, next.canonical.id, next.app, log)) };
    // Only how Marathon is reached changed (force, timeout, token): recorded for the next delete,
    // nothing sent (a PUT of the same definition would still be a deployment).
    if (stableJson(olds.observed) === stableJson(observedOf(next.app)) && !definitionEdited(olds, news)) {
      // Only the fields the state has: a partly created one has no version, and the dynamic provider
      // hands outs to protobuf's Struct as they are, which refuses an undefined ("Unexpected struct type").
      const kept = { observed: olds.observed, ...(olds.version !== undefined ? { version: olds.version } : {}), ...(olds.deploymentId !== undefined ? { deploymentId: olds.deploymentId } : {}) };
      return { outs: outputs(next, kept) };
    }
    return { outs: outputs(next, await updateApp(next.connection, next.app, log)) };
  },

  async delete(id, props) {
    const old = props as Outputs;
    await deleteApp(old.connection, id, log);
  },
};
