// The reinstall guard of a `target: marathon` cluster (DcosOverlayConfig): declared before the
// cluster's networks, apps and pods, each of which depends on it (see cluster.ts).
import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "../config/stackConfig";
import type { AppDefinition } from "../core/marathon/types";
import { validateApp } from "../core/marathon/validateApp";
import { normalizeApp } from "../core/marathon/normalize";
import { absoluteAppId } from "../core/marathon/appId";
import type { InstalledOverlay } from "../core/overlay/reinstallChanges";
import { DcosOverlayConfig } from "./dcosOverlayConfig";
import { readAppFile } from "./marathonApp";

type ChildOptions = (extra?: pulumi.CustomResourceOptions) => pulumi.CustomResourceOptions;

/** Names of the overlays a definition joins (app: any form Marathon takes; pod: `networks[].name`). */
function joined(definition: Record<string, unknown>, kind: "app" | "pod"): string[] {
  if (kind === "pod") {
    const networks = Array.isArray(definition.networks) ? (definition.networks as { name?: unknown }[]) : [];
    return networks.flatMap((n) => (typeof n?.name === "string" ? [n.name] : []));
  }
  if (validateApp(definition).length > 0) return []; // refused by its own resource, with the reason
  return normalizeApp(definition as unknown as AppDefinition).networks.flatMap((n) => (n.mode === "container" ? [n.name] : []));
}

/** Overlay name → Marathon ids of the apps and pods on it. Unreadable files are left to declareApps to report. */
function membersByOverlay(config: StackConfig, baseDir: string): Map<string, string[]> {
  const members = new Map<string, string[]>();
  const entries = [
    ...config.apps.map((e) => ({ kind: "app" as const, inline: e.app, file: e.file })),
    ...(config.pods ?? []).map((e) => ({ kind: "pod" as const, inline: e.pod, file: e.file })),
  ];
  for (const entry of entries) {
    let definition: Record<string, unknown>;
    try {
      definition = entry.inline ?? readAppFile(entry.file!, baseDir);
    } catch {
      continue;
    }
    if (typeof definition.id !== "string") continue;
    for (const name of joined(definition, entry.kind)) members.set(name, [...(members.get(name) ?? []), absoluteAppId(definition.id)]);
  }
  return members;
}

export function declareOverlayConfig(
  config: StackConfig,
  how: { baseDir: string; prefix: string; child: ChildOptions; namespace: string },
): DcosOverlayConfig {
  const members = membersByOverlay(config, how.baseDir);
  const overlays: InstalledOverlay[] = config.networks.map((n) => ({
    name: n.name,
    ...(n.subnet !== undefined ? { subnet: n.subnet } : {}),
    ...(n.prefix !== undefined ? { prefix: n.prefix } : {}),
    ...(n.subnet6 !== undefined ? { subnet6: n.subnet6 } : {}),
    ...(n.prefix6 !== undefined ? { prefix6: n.prefix6 } : {}),
    agents: n.agents ?? config.cluster.agents,
    apps: members.get(n.name) ?? [],
  }));
  const v = config.vtep;
  const vtep = v ? { subnet: v.subnet, macOui: v.macOui, ...(v.subnet6 !== undefined ? { subnet6: v.subnet6 } : {}), ...(v.mtu !== undefined ? { mtu: v.mtu } : {}) } : {};
  // Named after config.yaml's section, which is what it records.
  return new DcosOverlayConfig(
    `${how.prefix}dcos_overlay_network`,
    {
      overlays,
      vtep,
      acknowledgeReinstall: config.cluster.acknowledgeReinstall === true,
      acknowledgeKey: `${how.namespace ? `${how.namespace}:` : ""}cluster.acknowledgeReinstall`,
    },
    how.child(),
  );
}

/** The cluster's child options, with a dependency on the guard added to whatever each child depends on. */
export function guardedBy(child: ChildOptions, guard: pulumi.Resource): ChildOptions {
  return (extra) => {
    const own = extra?.dependsOn;
    const dependsOn = own === undefined ? [guard] : Array.isArray(own) ? [...own, guard] : [own as pulumi.Input<pulumi.Resource>, guard];
    return child({ ...extra, dependsOn });
  };
}
