// `dcos-vnet adopt --code`: the adopted cluster as a TypeScript program on the package's public API
// (DcosCluster), instead of stack config. It declares what the stack config would (agents, networks,
// VTEP, the Marathon target, one file per app and pod); secrets stay in the stack's config,
// encrypted, and `dcos-vnet:adopting` is read so that adopt's own run records instead of deploying.
import type { AdoptPlan } from "./adoptPlan";

const literal = (value: unknown, indent: string) => JSON.stringify(value, null, 2).split("\n").join(`\n${indent}`);

/** The SDK the generated program imports (this core module itself imports nothing of Pulumi). */
const PULUMI_SDK = "@pulumi/pulumi";

export function renderAdoptedProgram(plan: AdoptPlan, ctx: { url: string; marathonVersion?: string }): string {
  const { cluster, networks, vtep, marathon, apps, pods } = plan.config;
  return `// The DC/OS cluster at ${ctx.url}${ctx.marathonVersion ? ` (Marathon ${ctx.marathonVersion})` : ""}, as \`dcos-vnet adopt --code\` read it.
// Apps and pods are Marathon JSON files beside this program; edit them (or this) and \`pulumi preview\`.
// Secrets are in the stack's config, encrypted: dcos-vnet:marathonToken or marathonPassword, and
// dcos-vnet:secrets.<source> for the secret sources the apps reference (see adopt-report.md).
import * as pulumi from "${PULUMI_SDK}";
import { DcosCluster } from "pulumi-dcos-vnet";

const config = new pulumi.Config("dcos-vnet");

const cluster = new DcosCluster("cluster", {
  cluster: ${literal(cluster, "  ")},
  networks: ${literal(networks, "  ")},
${vtep ? `  vtep: ${literal(vtep, "  ")},\n` : ""}  marathon: ${literal(marathon, "  ")},
  apps: ${literal(apps, "  ")},
  pods: ${literal(pods, "  ")},
  marathonToken: config.getSecret("marathonToken"),
  marathonPassword: config.getSecret("marathonPassword"),
  secrets: config.getSecretObject<Record<string, string>>("secrets"),
  // Set only during \`dcos-vnet adopt\`'s own run: every app and pod is recorded as Marathon has it, with no write.
  adopting: config.getBoolean("adopting") ?? false,
});

export const networksAllocated = cluster.virtualNetworkOutputs();
export const appsDeployed = cluster.appOutputs();
`;
}
