// The LocalAgents provider handle as a module of its own, exported as `pulumi-dcos-vnet/handles/LocalAgents`
// (see providerHandle and handles/virtualNetwork).
import { providerHandle } from "../providerHandle";

export = providerHandle("LocalAgents");
