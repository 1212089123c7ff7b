// MarathonPod on the local Docker cluster. A pod instance runs as an app instance (resolvePod):
// a holder container owning one address per network, the pod's containers in its network
// namespace. So placement, addressing, scaling, rolling and healing are the app machinery's
// (backends/docker/localApp); this file only says what is stored and what counts as a change.
import * as pulumi from "@pulumi/pulumi";
import { MarathonPodInputs, podAsApp, podDefinitionOf, resolvePod } from "../../core/marathon/podInputs";
import { ResolvedApp, replaceReasons } from "../../core/marathon/appInputs";
import type { AppState } from "../../core/local/instance";
import { allocationDigest, hostPlacementChanged, hostVipsPredateProxies, vipsPredateProxies } from "./marathonAppLocal";
import { providerChanged } from "./diffKeys";

/** The inputs as written (the pod once), each joined network's Docker network, a digest of the allocation, the instances. */
type Outputs = Omit<MarathonPodInputs, "networks"> & AppState & {
  podId: string;
  dockerNetworks: Record<string, string>;
  allocation: string;
};

function outputs(inputs: MarathonPodInputs, app: ResolvedApp, state: AppState): Outputs {
  const { networks, ...rest } = inputs;
  return {
    ...rest,
    dockerNetworks: Object.fromEntries(Object.entries(networks).map(([n, j]) => [n, j.dockerNetwork ?? ""])),
    allocation: allocationDigest(app),
    ...state,
    podId: app.canonical.id,
  };
}

/** The pod as the backend reads it back from the state. */
function onEngine(o: Outputs): ResolvedApp {
  const networks = Object.fromEntries(Object.entries(o.dockerNetworks ?? {}).map(([n, d]) => [n, { dockerNetwork: d, agentSubnets: {} }]));
  return resolvePod({ ...o, networks });
}

const backend = () => require("../../backends/docker/localApp") as typeof import("../../backends/docker/localApp");

export const localPodTarget: Required<Pick<pulumi.dynamic.ResourceProvider, "diff" | "create" | "read" | "update" | "delete">> = {
  // From the state and the inputs alone (see MarathonApp's): drift found by read becomes an update that heals.
  async diff(_id, olds, news) {
    const previous = olds as Outputs;
    const next = resolvePod(news as MarathonPodInputs);
    const replaces = replaceReasons({ ...olds, app: podAsApp(previous.pod) }, next).map((r) => (r === "app.id" ? "pod.id" : r));
    // Running on the agents or not (endpoint hostPorts added or removed on container networks):
    // the instances are started and removed by another path (a published holder's DNAT rules in
    // its agent), so the old ones go by the path that made them and the new ones are created.
    if ((previous.hostPlan === undefined) !== (next.hostPlan === undefined) && !replaces.includes("network")) {
      replaces.push("pod.containers.endpoints.hostPort");
    }
    const drifted =
      (previous.instances ?? []).some((i) => i.state !== "running") || (previous.strays ?? []).length > 0 ||
      (previous.vips ?? []).some((v) => v.state !== "running") || // an endpoint VIP's proxy stopped or gone
      // A state written when endpoint VIP labels were accepted and ignored (no `vips`): the update,
      // instances kept, makes the proxies, as an app's.
      vipsPredateProxies(previous, next) || hostVipsPredateProxies(previous, next);
    const changed =
      podDefinitionOf(previous.pod) !== podDefinitionOf(next.pod!) ||
      onEngine(previous).canonical.instances !== next.canonical.instances ||
      previous.allocation !== allocationDigest(next) ||
      providerChanged(olds, news) ||
      hostPlacementChanged(previous, next); // a host-mode pod: another agent or port for an instance
    return { changes: replaces.length > 0 || drifted || changed, replaces, deleteBeforeReplace: replaces.length > 0 };
  },

  async create(inputs) {
    const pod = inputs as MarathonPodInputs;
    const app = resolvePod(pod);
    return { id: app.canonical.id, outs: outputs(pod, app, await backend().createApp(app)) };
  },

  async read(id, props) {
    const old = props as Outputs;
    const seen = await backend().observe(onEngine(old), old.instances ?? []);
    // Endpoint VIPs' proxies (a pod without VIPs has no `vips`, and read asks the engine nothing more).
    const vips = old.vips === undefined ? undefined : await backend().observeVips(onEngine(old));
    const { strays: _previous, vips: _vips, ...rest } = old;
    return { id, props: { ...rest, instances: seen.instances, ...(seen.strays.length > 0 ? { strays: seen.strays } : {}), ...(vips?.length ? { vips } : {}) } };
  },

  async update(_id, olds, news) {
    const previous = olds as Outputs;
    const pod = news as MarathonPodInputs;
    const next = resolvePod(pod);
    const state = await backend().updateApp(next, previous, podDefinitionOf(previous.pod) !== podDefinitionOf(pod.pod));
    return { outs: outputs(pod, next, state) };
  },

  async delete(_id, props) {
    const old = props as Outputs;
    await backend().deleteApp(onEngine(old), old);
  },
};
