// Implementation of the LocalDockerNetwork dynamic provider; loaded inside Pulumi's provider
// process through providerHandle, never serialised into state.
import * as pulumi from "@pulumi/pulumi";
import { DockerNetworkSpec, Owner, VXLAN_OVERHEAD, firstHostOf, isOwnerLabel } from "../../core/local/dockerNetworkSpec";
import { validateDockerNetworkSpec } from "../../core/local/validateDockerNetworkSpec";
import type { NetworkState } from "../../backends/docker/networks";
import type { SwarmTarget } from "../../backends/docker/swarm";
import { diffResult, enginesChanged } from "./diffKeys";
import { stableJson } from "../../core/common/stableJson";
import { isUnknown } from "./unknown";
import { engineTransportFailures } from "../../core/local/engineTransport";

interface Inputs extends DockerNetworkSpec {
  owner: Owner;
  /** Only on a cluster of several Docker hosts: the network is a swarm overlay over them (swarm.ts). */
  swarm?: SwarmTarget;
}

interface Outputs extends Inputs {
  gateway: string;
  networkId: string;
}

// Docker networks are immutable: any addressing change is a new network. A label change is an
// update kept in the state; the engine keeps the labels of creation (see relabelNetwork).
// `encrypted` is an option too; absent and false are one (normalise), so a state written before it
// compares equal, and only turning encryption on or off replaces a swarm overlay.
const REPLACE_ON = ["name", "subnet", "gateway", "bridgeName", "mtu", "ipMasquerade", "encrypted"];
const UPDATE_ON = ["labels"];

// The Docker backend (and dockerode with it) is loaded on the first call that needs the engine:
// a preview of networks that exist only checks and diffs, and never pays for it.
const backend = () => require("../../backends/docker/networks") as typeof import("../../backends/docker/networks");
const swarmBackend = () => require("../../backends/docker/swarm") as typeof import("../../backends/docker/swarm");

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
    ...(news.swarm !== undefined ? { swarm: news.swarm } : {}),
    ...(news.encrypted !== undefined && news.encrypted !== false ? { encrypted: news.encrypted } : {}),
  };
}

function outputsOf(inputs: Inputs, state: NetworkState): Outputs {
  return { ...inputs, gateway: state.gateway ?? inputs.gateway ?? "", networkId: state.id };
}

export const provider: pulumi.dynamic.ResourceProvider = {
  async check(olds, news) {
    const inputs = normalise(news);
    // Values not known during preview are checked at `up`, when they are.
    const known = Object.fromEntries(Object.entries(inputs).filter(([, v]) => !isUnknown(v)));
    // Whether it is a swarm overlay is known even while the swarm target is not (encrypted needs one).
    const failures = validateDockerNetworkSpec({ ...known, ...(inputs.swarm !== undefined ? { swarm: inputs.swarm } : {}) });
    // The swarm's engines are reached over TLS, or over plain HTTP only where a host says insecure.
    if (inputs.swarm !== undefined && !isUnknown(inputs.swarm)) failures.push(...engineTransportFailures(inputs.swarm.hosts, "swarm.hosts", isUnknown));
    // check's olds are the old INPUTS ({} for a resource not yet in the state), never outputs.
    const creating = olds.name === undefined || olds.subnet !== inputs.subnet || olds.name !== inputs.name;
    if (creating && failures.length === 0 && typeof known.subnet === "string" && inputs.swarm === undefined) {
      // The one place a preview asks the engine, and only for a network about to be created:
      // another network there on the same address space would make the create fail, so say so at
      // preview. No engine answering (a CI runner, say) is not a failure; `up` reports it then.
      const { overlappingNetworks, overlapMessage } = backend();
      const others = await overlappingNetworks(inputs.name, inputs.subnet).catch(() => []);
      if (others.length > 0) failures.push({ property: "subnet", reason: overlapMessage(inputs.name, inputs.subnet, others) });
    }
    return { inputs, failures };
  },

  // From the state and the inputs alone, so a preview is the same on every machine. A network
  // removed behind our back is found by read (refresh), which drops it from the state.
  async diff(_id, olds, news) {
    const result = diffResult(olds, news, UPDATE_ON, REPLACE_ON);
    // The swarm's engines reached otherwise: an update that rewrites the state, nothing on the engine.
    return enginesChanged(olds, news, "swarm") ? { ...result, changes: true } : result;
  },

  async create(inputs) {
    const spec = inputs as Inputs;
    const state = spec.swarm
      ? await swarmBackend().createOverlayNetwork(spec, spec.owner, spec.swarm)
      : await backend().createNetwork(spec, spec.owner);
    return { id: spec.name, outs: outputsOf(spec, state) };
  },

  async read(id, props) {
    const old = props as Outputs;
    const inspectNetwork = old.swarm
      ? (n: string) => swarmBackend().inspectOverlay(old.swarm!, n)
      : backend().inspectNetwork;
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
      // The engine keeps the labels of creation (Docker's are immutable); the state keeps the declared ones.
      labels: old.labels ?? userLabels,
      networkId: state.id,
      ...(state.bridgeName !== undefined ? { bridgeName: state.bridgeName } : {}),
      ...(state.mtu !== undefined ? { mtu: state.mtu } : {}),
    };
    // An overlay has no bridge and no masquerade option, and its MTU option is the underlay's (swarm.ts).
    if (old.swarm) Object.assign(seen, { ipMasquerade: old.ipMasquerade, bridgeName: old.bridgeName, mtu: state.mtu === undefined ? old.mtu : state.mtu - VXLAN_OVERHEAD });
    // Whether the engine's overlay is encrypted (a network re-created behind our back may not be).
    if (old.swarm && state.encrypted) seen.encrypted = true;
    else delete seen.encrypted;
    return { id, props: seen };
  },

  async update(_id, olds, news) {
    const spec = news as Inputs;
    const old = olds as Outputs;
    // Only the provider moved (a state from an earlier version), or how the swarm's engines are
    // reached: nothing to do on the engine.
    if (stableJson(old.labels ?? {}) === stableJson(spec.labels)) return { outs: { ...spec, gateway: old.gateway, networkId: old.networkId } };
    const state = spec.swarm
      ? (await swarmBackend().inspectOverlay(spec.swarm, old.networkId)) ?? (await swarmBackend().createOverlayNetwork(spec, spec.owner, spec.swarm))
      : await backend().relabelNetwork(old.networkId, spec, spec.owner);
    return { outs: outputsOf(spec, state) };
  },

  async delete(_id, props) {
    const old = props as Outputs;
    if (old.swarm) await swarmBackend().removeOverlay(old.swarm, old.networkId || old.name, old.name, old.owner);
    else await backend().removeNetwork(old.networkId || old.name, old.name, old.owner);
  },
};
