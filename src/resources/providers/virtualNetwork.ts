// Implementation of the VirtualNetwork dynamic provider (loaded through its handle in Pulumi's
// provider process). A virtual network is logical state: its agent allocation. The Docker network
// that plays it on a local cluster is a separate LocalDockerNetwork (or docker.Network). On a real
// DC/OS cluster (a `connection` in the inputs) the overlay master's allocation is the truth: see
// virtualNetworkDcos.
import * as pulumi from "@pulumi/pulumi";
import {
  REPLACE_ON,
  UPDATE_ON,
  VirtualNetworkInputs,
  checkVirtualNetwork,
  virtualNetworkOutputs,
} from "../../core/overlay/virtualNetwork";
import { diffResult } from "./diffKeys";
import { isUnknown } from "./unknown";
import { dcosNetwork, onMaster } from "./virtualNetworkDcos";

export const provider: pulumi.dynamic.ResourceProvider = {
  async check(olds, news) {
    return checkVirtualNetwork(olds, news, isUnknown);
  },

  async diff(_id, olds, news) {
    if (onMaster(olds, news)) return dcosNetwork.diff(olds, news);
    return diffResult(olds, news, UPDATE_ON, REPLACE_ON);
  },

  async create(inputs) {
    const vn = inputs as VirtualNetworkInputs;
    return { id: vn.name, outs: onMaster(inputs) ? await dcosNetwork.create(inputs) : virtualNetworkOutputs(vn) };
  },

  // On a local cluster nothing outside the state holds a virtual network's allocation; the stored
  // allocation is the truth. (The Docker network's drift is LocalDockerNetwork's read.)
  async read(id, props) {
    if (onMaster(props)) return dcosNetwork.read(id, props);
    return { id, props };
  },

  async update(_id, _olds, news) {
    return { outs: onMaster(news) ? await dcosNetwork.update(news) : virtualNetworkOutputs(news as VirtualNetworkInputs) };
  },

  async delete() {
    // Logical resource: deleting it frees its blocks with it. (On DC/OS the blocks are the
    // master's: removing the network from the code does not take them from the agents.)
  },
};
