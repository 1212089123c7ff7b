// The package's `pulumi-dcos-vnet/provider` entry: what providerHandle loads inside Pulumi's
// provider process. Names are part of the state's contract (see providerHandle): keep them.
import { provider as VirtualNetwork } from "./virtualNetwork";
import { provider as MarathonApp } from "./marathonApp";
import { provider as LocalDockerNetwork } from "./localDockerNetwork";
import { provider as MarathonPod } from "./marathonPod";
import { provider as LocalAgents } from "./localAgents";
import { provider as DcosOverlayConfig } from "./dcosOverlayConfig";

export const providers = { VirtualNetwork, MarathonApp, LocalDockerNetwork, MarathonPod, LocalAgents, DcosOverlayConfig };
