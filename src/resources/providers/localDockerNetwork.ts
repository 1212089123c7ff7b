// Implementation of the LocalDockerNetwork dynamic provider; loaded inside Pulumi's provider
// process by lazyProvider, never serialised into state.
import * as pulumi from "@pulumi/pulumi";
import { DockerNetworkSpec, Owner, firstHostOf, isOwnerLabel } from "../../core/local/dockerNetworkSpec";
import { validateDockerNetworkSpec } from "../../core/local/validateDockerNetworkSpec";
import {
  NetworkState,
  createNetwork,
  inspectNetwork,
  overlapMessage,
  overlappingNetworks,
  relabelNetwork,
  removeNetwork,
} from "../../backends/docker/networks";
import { diffResult } from "./diffKeys";
import { isUnknown } from "./unknown";

interface Inputs extends DockerNetworkSpec {
  owner: Owner;
}

interface Outputs extends Inputs {
  gateway: string;
  networkId: string;
}

// Docker networks are immutable: only labels can change without a new network (and even that is
// a re-create under the hood, see relabelNetwork).
const REPLACE_ON = ["name", "subnet", "gateway", "bridgeName", "mtu", "ipMasquerade"];
const UPDATE_ON = ["labels"];

function normalise(news: any): Inputs {
  // Docker's default gateway, made explicit so the state and the preview show it.
  const gateway = news.gateway ?? firstHostOf(news.subnet);
  return {
    name: news.name,
    subnet: news.subnet,
    ...(gateway !== undefined ? { gateway } : {}),
    ...(news.bridgeName !== undefined ? { bridgeName: news.bridgeName } : {}),
    ...(news.mtu !== undefined ? { mtu: news.mtu } : {}),
    ipMasquerade: news.ipMasquerade ?? false,
    labels: news.labels ?? {},
    owner: news.owner,
  };
}

function outputsOf(inputs: Inputs, state: NetworkState): Outputs {
  return { ...inputs, gateway: state.gateway ?? inputs.gateway ?? "", networkId: state.id };
}

export const provider: pulumi.dynamic.ResourceProvider = {
  async check(_olds, news) {
    const inputs = normalise(news);
    // Values not known during preview are checked at `up`, when they are.
    const known = Object.fromEntries(Object.entries(inputs).filter(([, v]) => !isUnknown(v)));
    const failures = validateDockerNetworkSpec(known);
    if (failures.length === 0 && typeof known.subnet === "string") {
      // Another network on this engine on the same address space would make the create fail:
      // say so at preview. (No engine answering is not a preview failure; up will report it.)
      const others = await overlappingNetworks(inputs.name, inputs.subnet).catch(() => []);
      if (others.length > 0) failures.push({ property: "subnet", reason: overlapMessage(inputs.name, inputs.subnet, others) });
    }
    return { inputs, failures };
  },

  async diff(_id, olds, news) {
    const result = diffResult(olds, news, UPDATE_ON, REPLACE_ON);
    if (result.changes) return result;
    // A network removed behind our back is a change even without a refresh: update re-creates it.
    // (No engine answering: the state's view stands.)
    const gone = olds.networkId ? (await inspectNetwork(olds.networkId).catch(() => "unknown")) === undefined : false;
    return gone ? { ...result, changes: true } : result;
  },

  async create(inputs) {
    const spec = inputs as Inputs;
    const state = await createNetwork(spec, spec.owner);
    return { id: spec.name, outs: outputsOf(spec, state) };
  },

  async read(id, props) {
    const old = props as Outputs;
    const state = (old.networkId && (await inspectNetwork(old.networkId))) || (await inspectNetwork(id));
    if (!state) return { id: "", props: {} }; // gone: refresh drops it, the next up re-creates it
    const userLabels = Object.fromEntries(
      Object.entries(state.labels).filter(([k]) => !isOwnerLabel(k)),
    );
    const seen: Outputs = {
      ...old,
      name: state.name,
      subnet: state.subnet ?? old.subnet,
      gateway: state.gateway ?? old.gateway,
      ipMasquerade: state.ipMasquerade,
      labels: userLabels,
      networkId: state.id,
      ...(state.bridgeName !== undefined ? { bridgeName: state.bridgeName } : {}),
      ...(state.mtu !== undefined ? { mtu: state.mtu } : {}),
    };
    return { id, props: seen };
  },

  async update(_id, olds, news) {
    const spec = news as Inputs;
    const state = await relabelNetwork((olds as Outputs).networkId, spec, spec.owner);
    return { outs: outputsOf(spec, state) };
  },

  async delete(_id, props) {
    const old = props as Outputs;
    await removeNetwork(old.networkId || old.name, old.name, old.owner);
  },
};
