// Reads a running DC/OS cluster for `dcos-vnet adopt`, GETs only: the overlay master's state through
// Admin Router, and Marathon's apps, pods, groups and version. It never writes (adopt's promise is
// that nothing on the cluster changes), and shares the Marathon client's transport and login, so a
// CA bundle, insecureSkipVerify and a DC/OS token or uid/password work the same as for `pulumi up`.
import { stripTrailingSlashes } from "../../core/common/text";
import type { OverlayMasterState } from "../../core/overlay/masterState";
import { AUTH_HINT, login } from "./auth";
import { MarathonError } from "./errors";
import { HttpResponse, NetworkError, Transport } from "./http";
import { OverlayMasterConnection, readOverlayMasterState, redactor } from "./overlayMaster";

/** How to reach the cluster: a Marathon connection's credentials and TLS settings, at the cluster's URL. */
export type ClusterReadOptions = Omit<OverlayMasterConnection, "url"> & {
  /** The DC/OS cluster's URL (Admin Router), e.g. https://dcos.example.com. */
  clusterUrl: string;
  timeoutMs?: number;
};

/** What adopt reads, as the cluster answered it (parsed and cleaned by the core, core/adopt). */
export interface ClusterSnapshot {
  /**
   * `GET /mesos/overlay-master/state`: the `State` message of overlay.proto, checked; undefined when
   * Admin Router answers 404 (overlay networking off, or a Marathon outside DC/OS: no overlays).
   */
  overlayState: OverlayMasterState | undefined;
  /** The overlay master's URL (named in the report when it is not served). */
  overlayUrl: string;
  /** `GET /service/marathon/v2/apps` → `apps`. */
  apps: Record<string, unknown>[];
  /** `GET /service/marathon/v2/pods`; [] when this Marathon has no pods API (before 1.4). */
  pods: Record<string, unknown>[];
  /** `GET /service/marathon/v2/info` → `version` ("1.10.17"); undefined when it does not answer. */
  marathonVersion?: string;
  /** `GET /service/marathon/v2/groups`: the ids of the groups (adopt names files by app ids; kept for the report). */
  groups: string[];
}

const MARATHON = "/service/marathon";

export async function readCluster(opts: ClusterReadOptions): Promise<ClusterSnapshot> {
  const transport = new Transport({ caBundle: opts.caBundle, insecureSkipVerify: opts.insecureSkipVerify, timeoutMs: opts.timeoutMs ?? 30_000 });
  const base = stripTrailingSlashes(opts.clusterUrl);
  let token = opts.token;
  const redact = redactor(() => [opts.token, opts.password, token]);
  try {
    if (!token && opts.uid && opts.password) token = await login(transport, base, opts.uid, opts.password);
    const get = async (path: string): Promise<HttpResponse> => {
      const url = new URL(base + path);
      try {
        return await transport.request("GET", url, token ? { authorization: `token=${token}` } : {});
      } catch (err) {
        if (err instanceof NetworkError) throw new MarathonError(redact(`${url} is unreachable: ${err.detail}`), "unreachable");
        throw err;
      }
    };
    const must = async (path: string, what: string): Promise<unknown> => {
      const res = await get(path);
      if (res.status === 200 && res.body !== undefined) return res.body;
      throw answerError(base + path, what, res);
    };
    // The overlay master as VirtualNetwork reads it (same login, refusals and redaction); a 404 is no overlays.
    const overlay = await readOverlayMasterState(
      { url: base + MARATHON, token, uid: opts.uid, password: opts.password, caBundle: opts.caBundle, insecureSkipVerify: opts.insecureSkipVerify },
      opts.timeoutMs ?? 30_000,
    );
    const apps = (await must(`${MARATHON}/v2/apps`, "Marathon's apps")) as { apps?: unknown };
    if (!Array.isArray(apps.apps)) throw new MarathonError(`${base}${MARATHON}/v2/apps answered without an apps list; is ${base} a DC/OS cluster?`, "server");
    const podsRes = await get(`${MARATHON}/v2/pods`);
    if (podsRes.status !== 200 && podsRes.status !== 404) throw answerError(`${base}${MARATHON}/v2/pods`, "Marathon's pods", podsRes);
    const pods = podsRes.status === 200 && Array.isArray(podsRes.body) ? (podsRes.body as Record<string, unknown>[]) : [];
    // Version and groups only refine the result (defaults by version, the report): a Marathon
    // that does not answer them is still read.
    const info = await get(`${MARATHON}/v2/info`);
    const version = info.status === 200 ? (info.body as { version?: unknown } | undefined)?.version : undefined;
    const groupsRes = await get(`${MARATHON}/v2/groups`);
    return {
      overlayState: overlay.served ? overlay.state : undefined,
      overlayUrl: overlay.served ? `${base}/mesos/overlay-master/state` : overlay.url,
      apps: apps.apps as Record<string, unknown>[],
      pods,
      ...(typeof version === "string" ? { marathonVersion: version } : {}),
      groups: groupsRes.status === 200 ? groupIds(groupsRes.body) : [],
    };
  } finally {
    transport.close();
  }
}

function answerError(url: string, what: string, res: HttpResponse): MarathonError {
  if (res.status === 401 || res.status === 403) {
    return new MarathonError(`reading ${what} at ${url} was refused (${res.status}); ${AUTH_HINT}`, "unauthorized", res.status);
  }
  return new MarathonError(`reading ${what} at ${url} answered ${res.status}`, "server", res.status);
}

/** Every group id in a `/v2/groups` tree (the root included). */
function groupIds(tree: unknown): string[] {
  const out: string[] = [];
  const walk = (g: unknown) => {
    if (!g || typeof g !== "object") return;
    const group = g as { id?: unknown; groups?: unknown };
    if (typeof group.id === "string") out.push(group.id);
    if (Array.isArray(group.groups)) group.groups.forEach(walk);
  };
  walk(tree);
  return out;
}
