// MarathonPod on a real DC/OS cluster: diff/create/read/update/delete over Marathon's /v2/pods.
import * as pulumi from "@pulumi/pulumi";
import { MarathonPodInputs } from "../../core/marathon/podInputs";
import { absoluteAppId } from "../../core/marathon/appId";
import { stableJson } from "../../core/common/stableJson";
import { connectionSettingsChanged, definitionEdited, providerChanged } from "./diffKeys";
import { withoutAdopt } from "./adoptInput";
import { adoptPod, refuseAdoptedIdChange } from "./adoptDcos";
import type { MarathonConnection } from "../../core/marathon/connection";
import type { DeployedPod } from "../../backends/marathon/podDeployer";

type Inputs = MarathonPodInputs & { connection: MarathonConnection };
type Outputs = Inputs & DeployedPod & { podId: string; instances: [] };

const deployer = () => require("../../backends/marathon/podDeployer") as typeof import("../../backends/marathon/podDeployer");
const log = (msg: string) => pulumi.log.info(msg);
const outputs = (inputs: Inputs, state: DeployedPod): Outputs => ({ ...inputs, ...state, podId: absoluteAppId(inputs.pod.id), instances: [] });

export const dcosPodTarget: Required<Pick<pulumi.dynamic.ResourceProvider, "diff" | "create" | "read" | "update" | "delete">> = {
  async diff(_id, olds, news) {
    const next = news as Inputs;
    const replaces: string[] = [];
    if (absoluteAppId(String(olds.pod?.id)) !== absoluteAppId(String(next.pod.id))) replaces.push("pod.id");
    if (olds.connection?.url !== next.connection?.url) replaces.push("connection");
    // `dcos-vnet adopt`'s run writes nothing to Marathon: a replace would be a DELETE and a PUT.
    // The pod is updated instead, which under adopt only records Marathon's copy.
    if (news.adopt === true) return { changes: true, replaces: [], deleteBeforeReplace: false };
    // Drift is compared on the declared fields only (Marathon's version and defaults never show);
    // an edit of the definition is any change of the file.
    const changed = stableJson(olds.observed) !== stableJson(deployer().observedPodOf(next.pod)) || definitionEdited(olds, news, "pod");
    const reconnected = connectionSettingsChanged(olds, news);
    return { changes: replaces.length > 0 || changed || reconnected || providerChanged(olds, news), replaces, deleteBeforeReplace: replaces.length > 0 };
  },

  async create(inputs) {
    const pod = withoutAdopt(inputs) as Inputs;
    // `dcos-vnet adopt`'s run: the pod runs already; record Marathon's copy, write nothing.
    if (inputs.adopt === true) return { id: absoluteAppId(pod.pod.id), outs: outputs(pod, await adoptPod(pod.connection, absoluteAppId(pod.pod.id), pod.pod, log)) };
    const state = await deployer().createPod(pod.connection, pod.pod, log);
    return { id: absoluteAppId(pod.pod.id), outs: outputs(pod, state) };
  },

  // Refresh: the pod as Marathon has it (scaled by hand, say); gone if Marathon has none.
  async read(id, props) {
    const old = props as Outputs;
    const state = await deployer().readPod(old.connection, id, log);
    if (!state) return { id: "", props: {} };
    return { id, props: { ...old, ...state } };
  },

  async update(id, olds, news) {
    const pod = withoutAdopt(news) as Inputs;
    // An adopt run (again, --force) writes nothing either: the state takes Marathon's copy. An
    // update cannot change the resource's id, so another pod id is refused (nothing written).
    if (news.adopt === true && absoluteAppId(pod.pod.id) !== id) refuseAdoptedIdChange("pod", id, absoluteAppId(pod.pod.id));
    if (news.adopt === true) return { outs: outputs(pod, await adoptPod(pod.connection, absoluteAppId(pod.pod.id), pod.pod, log)) };
    // Only how Marathon is reached changed (force, timeout, token): recorded for the next delete, nothing sent.
    if (stableJson(olds.observed) === stableJson(deployer().observedPodOf(pod.pod)) && !definitionEdited(olds, news, "pod")) {
      // Only the fields the state has: a partly created one has no version, and the dynamic provider
      // hands outs to protobuf's Struct as they are, which refuses an undefined ("Unexpected struct type").
      const kept = { observed: olds.observed, ...(olds.version !== undefined ? { version: olds.version } : {}), ...(olds.deploymentId !== undefined ? { deploymentId: olds.deploymentId } : {}) };
      return { outs: outputs(pod, kept) };
    }
    return { outs: outputs(pod, await deployer().updatePod(pod.connection, pod.pod, log)) };
  },

  async delete(id, props) {
    await deployer().deletePod((props as Outputs).connection, id, log);
  },
};
