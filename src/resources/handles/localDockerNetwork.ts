// The LocalDockerNetwork provider handle as a module of its own, exported as `pulumi-dcos-vnet/handles/LocalDockerNetwork`:
// when this package is installed, Pulumi serialises the handle as that one require (a few bytes in
// each resource's state) instead of the handle's code. See providerHandle.
import { providerHandle } from "../providerHandle";

export = providerHandle("LocalDockerNetwork");
