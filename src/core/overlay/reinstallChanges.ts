// Changes to a running DC/OS cluster's overlay configuration (`dcos_overlay_network`) that DC/OS
// cannot apply in place, and the procedure DC/OS documents for them. The stack cannot read the
// cluster at preview, so this compares the set a stack recorded at its last `up` with the set it
// declares now. Pure: no Pulumi, no network.
//
// The rules, from DC/OS's own documentation, "DC/OS Overlay" (networking/SDN/dcos-overlay), the same
// text in every version from 1.10 to 2.2; cited here from DC/OS 2.2:
// https://docs.d2iq.com/mesosphere/dcos/2.2/networking/SDN/dcos-overlay/
// (source: github.com/mesosphere/dcos-docs-site pages/mesosphere/dcos/2.2/networking/SDN/dcos-overlay/index.md)
//   - "Currently, you can only add or delete a virtual network at install time." / "DC/OS virtual
//     networks can only be added and configured at install time. To replace or add another virtual
//     network, reinstall DC/OS" (section "Adding virtual networks during installation").
//   - "Deleting Virtual Networks" and "Replacing or Adding New Virtual Networks": uninstall DC/OS,
//     delete the overlay replicated log on the masters and the iptables rules on the agents, reinstall
//     with the desired networks in config.yaml.
import type { OverlaySpec } from "./types";

/** The overlay fields DC/OS fixes at install: a change to any of them is a different network. */
export const INSTALL_TIME_OVERLAY_FIELDS = ["subnet", "prefix", "subnet6", "prefix6"] as const;

/** The VTEP fields of `dcos_overlay_network`, as a stack names them (`dcos-vnet:vtep`). */
export const VTEP_FIELDS = ["subnet", "subnet6", "macOui", "mtu"] as const;

/** One overlay as installed: its DC/OS fields, the agents it spans and the apps and pods on it. */
export interface InstalledOverlay extends Pick<OverlaySpec, "name" | "subnet" | "prefix" | "subnet6" | "prefix6"> {
  agents: string[];
  /** Marathon ids of the apps and pods that join this overlay. */
  apps: string[];
}

export interface InstalledVtep {
  subnet?: string;
  subnet6?: string;
  macOui?: string;
  mtu?: number;
}

/** What a cluster's overlay master holds from config.yaml: the overlays and the VTEP settings. */
export interface InstalledOverlayConfig {
  overlays: InstalledOverlay[];
  vtep: InstalledVtep;
}

export interface FieldChange {
  field: string;
  from?: string | number;
  to?: string | number;
}

export interface ReinstallChange {
  kind: "overlay changed" | "overlay removed" | "overlay added" | "vtep changed";
  /** The overlay, for the overlay kinds. */
  overlay?: string;
  fields: FieldChange[];
  agents: string[];
  apps: string[];
  /** Overlay subnets (IPv4 and IPv6) no longer in the set: their IPMASQ rules stay on the agents. */
  subnetsGone: string[];
}

const show = (v: unknown) => (v === undefined || v === null ? "unset" : String(v));
const union = (...lists: string[][]) => [...new Set(lists.flat())].sort();

function fieldChanges<T extends object>(olds: T, news: T, fields: readonly (keyof T & string)[]): FieldChange[] {
  return fields
    .filter((f) => show(olds[f]) !== show(news[f]))
    .map((f) => ({ field: f, ...(olds[f] !== undefined ? { from: olds[f] as never } : {}), ...(news[f] !== undefined ? { to: news[f] as never } : {}) }));
}

/**
 * The changes between the set recorded at the last `up` (`olds`) and the declared one (`news`) that
 * DC/OS applies only by reinstalling. An overlay is the same overlay when it keeps its name.
 */
export function reinstallChanges(olds: InstalledOverlayConfig, news: InstalledOverlayConfig): ReinstallChange[] {
  const changes: ReinstallChange[] = [];
  const before = new Map(olds.overlays.map((o) => [o.name, o]));
  const after = new Map(news.overlays.map((o) => [o.name, o]));
  const kept = new Set(news.overlays.flatMap((o) => [o.subnet, o.subnet6]));
  const gone = (o: InstalledOverlay) => [o.subnet, o.subnet6].filter((x): x is string => x !== undefined && !kept.has(x));
  for (const [name, old] of before) {
    const now = after.get(name);
    if (!now) {
      // The overlay master CHECKs at recovery that each overlay in its replicated log is configured
      // (dcos-mesos-modules overlay/master.cpp, _recover): a removed overlay stops it from starting,
      // as the docs say ("will fail if it finds a virtual network that was not configured").
      changes.push({ kind: "overlay removed", overlay: name, fields: [], agents: [...old.agents].sort(), apps: [...old.apps].sort(), subnetsGone: gone(old) });
      continue;
    }
    // Agents keep the blocks the replicated log records; a block outside a new subnet or of another
    // size cannot be reserved again at recovery (master.cpp, _recover: reserve fails, the master demotes).
    const fields = fieldChanges(old, now, INSTALL_TIME_OVERLAY_FIELDS);
    if (fields.length > 0) changes.push({ kind: "overlay changed", overlay: name, fields, agents: union(old.agents, now.agents), apps: union(old.apps, now.apps), subnetsGone: gone(old) });
  }
  for (const [name, now] of after) {
    // DC/OS 2.2 docs: virtual networks "can only be added and configured at install time".
    if (!before.has(name)) changes.push({ kind: "overlay added", overlay: name, fields: [], agents: [...now.agents].sort(), apps: [...now.apps].sort(), subnetsGone: [] });
  }
  // The VTEP settings are part of the same install-time `dcos_overlay_network` section. Each agent's
  // VTEP IP is reserved again from the recorded state at recovery (master.cpp, _recover), its MAC is
  // derived from that IP with the OUI, and vtep_mtu is written only into a newly registered agent's
  // backend: a changed VTEP subnet stops recovery, a changed OUI or MTU reaches new agents only.
  const vtep = fieldChanges(olds.vtep, news.vtep, VTEP_FIELDS);
  if (vtep.length > 0) {
    const all = [...olds.overlays, ...news.overlays];
    changes.push({ kind: "vtep changed", fields: vtep, agents: union(...all.map((o) => o.agents)), apps: union(...all.map((o) => o.apps)), subnetsGone: [] });
  }
  return changes;
}

/** The procedure, after DC/OS's docs (page above); `agents` are the agents whose iptables rules go. */
export function reinstallProcedure(changes: ReinstallChange[], acknowledgeKey: string): string[] {
  const gone = changes.filter((c) => c.subnetsGone.length > 0);
  const agents = union(...gone.map((c) => c.agents));
  const subnets = union(...gone.map((c) => c.subnetsGone));
  return [
    "Put the new `dcos_overlay_network` in the cluster's config.yaml (`dcos-vnet config export` prints it from this stack).",
    "Uninstall DC/OS from every node.",
    "On every master, delete the overlay replicated log, /var/lib/dcos/mesos/master/overlay_replicated_log (uninstalling keeps it, and a master that finds a network there that config.yaml does not configure fails to start). Leave the master's own replicated log (/var/lib/dcos/mesos/master/replicated_log) alone.",
    subnets.length > 0
      ? `On every agent (${agents.join(", ")}), remove the IPMASQ rules of the overlay subnets that go (${subnets.join(", ")}) from the POSTROUTING chain of the nat table.`
      : "No overlay subnet goes away, so the agents' IPMASQ rules (nat table, POSTROUTING) can stay.",
    "Reinstall DC/OS with the new config.yaml.",
    `Then record the change in the stack: set ${acknowledgeKey} to true, run \`pulumi up --refresh\` (refresh finds what the reinstall removed; up deploys the apps again), and unset ${acknowledgeKey}.`,
  ];
}

export const DCOS_OVERLAY_DOCS = "https://docs.d2iq.com/mesosphere/dcos/2.2/networking/SDN/dcos-overlay/";

function describe(change: ReinstallChange): string {
  const fields = change.fields.map((f) => `${f.field} ${show(f.from)} → ${show(f.to)}`).join(", ");
  const what = change.kind === "vtep changed" ? `VTEP ${fields}` : `overlay ${change.overlay} ${change.kind.replace("overlay ", "")}${fields ? `: ${fields}` : ""}`;
  const apps = change.apps.length > 0 ? change.apps.join(", ") : "none";
  return `- ${what} (agents: ${change.agents.join(", ") || "none"}; apps and pods: ${apps})`;
}

/**
 * What preview says, and what a refused `up` says: the changes, whom they touch, and the steps.
 * `acknowledged`: the stack's acknowledgement is set, so `up` will record the change.
 */
export function reinstallMessage(changes: ReinstallChange[], acknowledgeKey: string, acknowledged: boolean): string {
  const steps = reinstallProcedure(changes, acknowledgeKey).map((s, i) => `${i + 1}. ${s}`);
  return [
    "DC/OS cannot apply these overlay changes to a running cluster (virtual networks are set at install time):",
    ...changes.map(describe),
    `DC/OS's procedure (DC/OS 2.2 docs, "Replacing or Adding New Virtual Networks", ${DCOS_OVERLAY_DOCS}):`,
    ...steps,
    acknowledged
      ? `${acknowledgeKey} is true: \`pulumi up\` records the new overlay set; it does not reinstall DC/OS for you.`
      : `\`pulumi up\` refuses this until ${acknowledgeKey} is true; nothing is changed before then.`,
  ].join("\n");
}

/**
 * The acknowledgement is set while nothing is pending: it would let the next change DC/OS cannot
 * apply in place through unchallenged, so it is meant to be unset once the procedure is done.
 */
export function lingeringAcknowledgement(acknowledgeKey: string): string {
  return `${acknowledgeKey} is true and no change DC/OS cannot apply in place is pending: set it back to false, ` +
    "or the next such change goes through `pulumi up` without being refused";
}
