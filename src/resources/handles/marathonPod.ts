// The MarathonPod provider handle as a module of its own, exported as `pulumi-dcos-vnet/handles/MarathonPod`
// (see providerHandle and handles/marathonApp).
import { providerHandle } from "../providerHandle";

export = providerHandle("MarathonPod");
