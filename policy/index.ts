// pulumi-dcos-vnet's policy pack: `pulumi preview --policy-pack policy`. The rules, their config
// and what "prod" means are in README.md, section "Policies". The rules read the resources with
// the package's own pure core (`pulumi-dcos-vnet/core`), found in the project's node_modules.
import * as pulumi from "@pulumi/pulumi";
import { PolicyPack } from "@pulumi/policy";
import { StackIdentity } from "./prod";
import { appHealthCheck } from "./rules/appHealthCheck";
import { networkHeadroom } from "./rules/networkHeadroom";
import { noCrossStackOverlap } from "./rules/noCrossStackOverlap";
import { prodAppsOnProdNetworks } from "./rules/prodAppsOnProdNetworks";
import { prodMinInstances } from "./rules/prodMinInstances";
import { privilegedContainers, prodNoPrivilegedContainers } from "./rules/privilegedContainers";

// The stack being checked, as the engine told the language host (PULUMI_NODEJS_STACK/PROJECT).
const stack = (): StackIdentity => ({ name: pulumi.getStack(), project: pulumi.getProject() });

new PolicyPack("dcos-vnet", {
  description: "DC/OS virtual networks and Marathon apps of pulumi-dcos-vnet stacks",
  policies: [
    prodAppsOnProdNetworks(stack),
    noCrossStackOverlap(stack),
    prodMinInstances(stack),
    prodNoPrivilegedContainers(stack),
    privilegedContainers(stack),
    appHealthCheck,
    networkHeadroom,
  ],
});
