import * as pulumi from "@pulumi/pulumi";
import { InstalledOverlay, InstalledVtep, ReinstallChange, lingeringAcknowledgement, reinstallMessage } from "../core/overlay/reinstallChanges";
// The provider: one module-level object (see providerHandle).
import provider = require("./handles/dcosOverlayConfig");

export interface DcosOverlayConfigArgs {
  overlays: InstalledOverlay[];
  vtep: InstalledVtep;
  /** The change of overlays or VTEP since the last `up` was made by DC/OS's procedure: `up` records it. */
  acknowledgeReinstall: boolean;
  /** How messages name the acknowledgement (`dcos-vnet:cluster.acknowledgeReinstall`). */
  acknowledgeKey: string;
}

/**
 * A `target: marathon` cluster's `dcos_overlay_network` as the stack last recorded it. Preview warns
 * of a change DC/OS cannot apply in place, naming the agents and apps it touches and DC/OS's
 * procedure; `up` refuses it until it is acknowledged. Every network, app and pod of the cluster
 * depends on this resource, so a refusal stops the `up` before any of them changes.
 */
export class DcosOverlayConfig extends pulumi.dynamic.Resource {
  /** The changes since the recorded set, known at preview (check computes them); none once recorded. */
  declare public readonly pendingChanges: pulumi.Output<ReinstallChange[]>;

  constructor(name: string, args: DcosOverlayConfigArgs, opts?: pulumi.CustomResourceOptions) {
    super(provider, name, { ...args, pendingChanges: undefined }, opts, "dcos", "DcosOverlayConfig");
    // Said by the program, where a warning reaches the engine as a diagnostic of this resource
    // (preview's output and its --json, which preview-md reads); a dynamic provider's own logging
    // reaches the engine only as plugin stderr.
    this.pendingChanges.apply((changes) => {
      if (changes && changes.length > 0) void pulumi.log.warn(reinstallMessage(changes, args.acknowledgeKey, args.acknowledgeReinstall), this);
      else if (changes && args.acknowledgeReinstall) void pulumi.log.warn(lingeringAcknowledgement(args.acknowledgeKey), this);
    });
  }
}
