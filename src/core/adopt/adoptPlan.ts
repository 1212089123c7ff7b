// What `dcos-vnet adopt` writes for a running cluster, decided from what the cluster answered
// (pure: the CLI reads the cluster and writes the result). The overlay master gives the agents,
// the networks and the VTEP; Marathon gives one definition per app and pod. An app or pod that
// this project cannot express whole is not taken into the stack: it is named in the report, item
// by item, and Marathon keeps running it untouched (see README "Adopt a running cluster").
import { Failure } from "../common/failure";
import { parseOverlayMasterState, OverlayMasterState } from "../overlay/masterState";
import { absoluteAppId } from "../marathon/appId";
import { checkMarathonApp, secretSources } from "../marathon/appInputs";
import { checkMarathonPod } from "../marathon/podInputs";
import type { AppDefinition } from "../marathon/types";
import { cleanApp, cleanPod } from "./cleanDefinition";
import { stackNetworksOf, stackVtepOf } from "./stackNetworks";

export interface AdoptSource {
  /** The overlay master's `State`; undefined when the cluster serves none (404: no overlays). */
  overlayState: unknown;
  apps: Record<string, unknown>[];
  pods: Record<string, unknown>[];
  marathonVersion?: string;
}

export interface AdoptOptions {
  /** The cluster's URL as the stack will reach it. */
  url: string;
  uid?: string;
  caBundleFile?: string;
  insecureSkipVerify?: boolean;
  allowInsecureHttp?: boolean;
  /** Folder of the written files, as the stack config names them (relative to the project). */
  outDir: string;
  /**
   * Fields of the written definition that would compare differently from Marathon's copy (the
   * provider's diff, given by the caller: the core does not reach the Marathon backend).
   */
  roundTrip?: (kind: "app" | "pod", answer: Record<string, unknown>, written: Record<string, unknown>) => string[];
}

/** An item this project cannot express yet: what, where (JSON path in the app or pod), why. */
export interface UnsupportedItem {
  kind: "app" | "pod" | "network";
  id: string;
  path: string;
  reason: string;
}

export interface AdoptedFile {
  /** Path relative to the out folder. */
  path: string;
  kind: "app" | "pod";
  id: string;
  definition: Record<string, unknown>;
  /** False: written for reference under not-adopted/, not in the stack. */
  adopted: boolean;
}

export interface AdoptPlan {
  config: {
    cluster: { target: "marathon"; agents: string[] };
    networks: Record<string, unknown>[];
    /** Absent when the cluster has no overlay master (DC/OS's default VTEP then applies). */
    vtep?: Record<string, unknown>;
    marathon: Record<string, unknown>;
    apps: { file: string }[];
    pods: { file: string }[];
  };
  files: AdoptedFile[];
  unsupported: UnsupportedItem[];
  /** Secret sources the adopted apps and pods reference (values live in DC/OS's secret store). */
  secretSources: string[];
  /** Undefined when the cluster has no overlay master: no agents, networks or VTEP are written. */
  master?: OverlayMasterState;
}

export class AdoptError extends Error {
  constructor(message: string, readonly failures: Failure[] = []) {
    super(failures.length > 0 ? `${message}\n${failures.map((f) => `${f.property}: ${f.reason}`).join("\n")}` : message);
  }
}

/** A file name for an id: `/shop/web` → `shop.web.json` (as DcosCluster names the app's resource). */
export function fileNameOf(id: string): string {
  return `${absoluteAppId(id).slice(1).split("/").join(".") || "root"}.json`;
}

const never = () => false;

export function planAdoption(source: AdoptSource, opts: AdoptOptions): AdoptPlan {
  const master = source.overlayState === undefined ? undefined : masterOf(source.overlayState);
  const agents = master?.agents.map((a) => a.ip) ?? [];
  const networks = master ? stackNetworksOf(master) : [];
  const known = Object.fromEntries(networks.map((n) => [String(n.name), { agentSubnets: {} }]));
  const unsupported: UnsupportedItem[] = [];
  const files: AdoptedFile[] = [];
  const sources = new Set<string>();
  const place = (kind: "app" | "pod", id: string, definition: Record<string, unknown>, items: UnsupportedItem[]) => {
    const adopted = items.length === 0;
    unsupported.push(...items);
    const folder = adopted ? `${kind}s` : `not-adopted/${kind}s`;
    files.push({ path: `${folder}/${fileNameOf(id)}`, kind, id, definition, adopted });
  };

  for (const answer of sortById(source.apps)) {
    const id = absoluteAppId(String(answer.id));
    const app = cleanApp(answer, source.marathonVersion);
    const checked = checkMarathonApp({ app, target: "marathon", networks: known, secretEnv: {}, servicePorts: [] }, never);
    const items = checked.failures.map((f) => item("app", id, f.property.replace(/^app\.?/, ""), f.reason));
    if (items.length === 0) items.push(...roundTripItems("app", id, answer, app, opts));
    if (items.length === 0) secretSources(app as unknown as AppDefinition).forEach((s) => sources.add(s));
    place("app", id, app, items);
  }
  for (const answer of sortById(source.pods.map(cleanPod))) {
    const id = absoluteAppId(String(answer.id));
    const pod = answer;
    const checked = checkMarathonPod({ pod, target: "marathon", networks: known }, never);
    const items = checked.failures.map((f) => item("pod", id, f.property.replace(/^pod\.?/, ""), f.reason));
    if (items.length === 0) items.push(...roundTripItems("pod", id, source.pods.find((p) => sameId(p, id)) ?? pod, pod, opts));
    if (items.length === 0) podSecretSources(pod).forEach((s) => sources.add(s));
    place("pod", id, pod, items);
  }

  const entries = (kind: "app" | "pod") => files.filter((f) => f.kind === kind && f.adopted).map((f) => ({ file: `${opts.outDir}/${f.path}` }));
  return {
    config: {
      cluster: { target: "marathon", agents },
      networks,
      ...(master?.network ? { vtep: stackVtepOf(master.network) } : {}),
      marathon: {
        url: opts.url,
        ...(opts.uid ? { uid: opts.uid } : {}),
        ...(opts.caBundleFile ? { caBundleFile: opts.caBundleFile } : {}),
        ...(opts.insecureSkipVerify ? { insecureSkipVerify: true } : {}),
        ...(opts.allowInsecureHttp ? { allowInsecureHttp: true } : {}),
      },
      apps: entries("app"),
      pods: entries("pod"),
    },
    files,
    unsupported,
    secretSources: [...sources].sort(),
    master,
  };
}

function masterOf(state: unknown): OverlayMasterState {
  const parsed = parseOverlayMasterState(state);
  if (!parsed.ok) throw new AdoptError("the overlay master's state is not a State message (overlay.proto):", parsed.failures);
  if (!parsed.value.network) throw new AdoptError("the overlay master's state has no network (NetworkConfig): is the overlay module enabled on this cluster?");
  return parsed.value;
}

function item(kind: "app" | "pod", id: string, path: string, reason: string): UnsupportedItem {
  return { kind, id, path: path || "(the whole definition)", reason };
}

function roundTripItems(kind: "app" | "pod", id: string, answer: Record<string, unknown>, written: Record<string, unknown>, opts: AdoptOptions): UnsupportedItem[] {
  const differing = opts.roundTrip?.(kind, answer, written) ?? [];
  return differing.map((path) => item(kind, id, path, "would not compare equal to Marathon's copy once written (this project cannot round-trip it)"));
}

/** A pod's secret sources: `secrets.<name>.source` referenced from its or its containers' environment. */
function podSecretSources(pod: Record<string, unknown>): string[] {
  const secrets = (pod.secrets ?? {}) as Record<string, { source?: unknown }>;
  return Object.values(secrets).flatMap((s) => (typeof s?.source === "string" ? [s.source] : []));
}

function sameId(answer: Record<string, unknown>, id: string): boolean {
  const own = (answer.spec as Record<string, unknown> | undefined)?.id ?? answer.id;
  return absoluteAppId(String(own)) === id;
}

function sortById<T extends Record<string, unknown>>(list: T[]): T[] {
  return [...list].sort((a, b) => String(a.id).localeCompare(String(b.id)));
}
