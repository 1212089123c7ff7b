// Implementation of the DcosOverlayConfig dynamic provider: the overlay set and VTEP settings a
// `target: marathon` stack recorded at its last `up`, as DC/OS's `dcos_overlay_network` holds them.
// It is the stack's only memory of what the cluster was installed with, so check() can name the
// changes DC/OS applies only by reinstalling (core/overlay/reinstallChanges) without asking the
// cluster, and update() (which runs on `up` only) refuses them until they are acknowledged.
import * as pulumi from "@pulumi/pulumi";
import { InstalledOverlayConfig, ReinstallChange, reinstallChanges, reinstallMessage } from "../../core/overlay/reinstallChanges";
import { stableJson } from "../../core/common/stableJson";
import { providerChanged } from "./diffKeys";
import { isUnknown } from "./unknown";

export interface DcosOverlayConfigInputs extends InstalledOverlayConfig {
  /** The stack's acknowledgement that the changes below were (or will be) made by DC/OS's procedure. */
  acknowledgeReinstall: boolean;
  /** The config key of that acknowledgement, as messages name it. */
  acknowledgeKey: string;
  /** Set by check: the changes since the recorded set (none on create). */
  pendingChanges: ReinstallChange[];
}

/** What DC/OS holds of the set: the overlays' install-time fields and the VTEP, not agents or apps. */
function installedFields(config: Partial<InstalledOverlayConfig>): string {
  const overlays = (config.overlays ?? []).map(({ name, subnet, prefix, subnet6, prefix6 }) => ({ name, subnet, prefix, subnet6, prefix6 }));
  return stableJson({ overlays, vtep: config.vtep ?? {} });
}

/** What the state keeps: the set as declared, with nothing pending (it is recorded now). */
const recorded = (inputs: DcosOverlayConfigInputs) => ({ ...inputs, pendingChanges: [] });

export const provider: pulumi.dynamic.ResourceProvider = {
  async check(olds, news) {
    // First creation (a new stack, or one made before this resource existed): nothing to compare.
    const known = Array.isArray(olds?.overlays) && !isUnknown(news);
    const pendingChanges = known ? reinstallChanges(olds as InstalledOverlayConfig, news as InstalledOverlayConfig) : [];
    return { inputs: { ...news, pendingChanges } };
  },

  async diff(_id, olds, news) {
    // Agents and apps are recorded for the messages; only what DC/OS holds is a change.
    return { changes: installedFields(olds) !== installedFields(news) || providerChanged(olds, news) };
  },

  async create(inputs) {
    return { id: "dcos_overlay_network", outs: recorded(inputs as DcosOverlayConfigInputs) };
  },

  // The overlay master's own state is read by VirtualNetwork; this resource is the stack's record.
  async read(id, props) {
    return { id, props };
  },

  async update(_id, _olds, news) {
    const inputs = news as DcosOverlayConfigInputs;
    const changes = inputs.pendingChanges ?? [];
    // Thrown before anything is recorded: the state keeps the old set, and every resource of the
    // cluster depends on this one, so the up stops here with nothing written to Marathon.
    if (changes.length > 0 && inputs.acknowledgeReinstall !== true) {
      throw new Error(reinstallMessage(changes, inputs.acknowledgeKey, false));
    }
    return { outs: recorded(inputs) };
  },

  async delete() {
    // A record only: DC/OS's configuration is not changed by removing it.
  },
};
