// The DcosOverlayConfig provider handle as a module of its own, exported as `pulumi-dcos-vnet/handles/DcosOverlayConfig`
// (see providerHandle and handles/virtualNetwork).
import { providerHandle } from "../providerHandle";

export = providerHandle("DcosOverlayConfig");
