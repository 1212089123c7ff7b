// The Marathon double's public shapes and small helpers (fakeMarathon.ts builds the double).
import type { MarathonVersion } from "./fakeMarathonNormalize";

export interface FakeMarathonOptions {
  /** Which Marathon to play: 1.5 (DC/OS 1.10-1.11) or 1.10 (DC/OS 2.x, the default). */
  version?: MarathonVersion;
  /** When set (or when uid/password are set), every Marathon call needs `Authorization: token=<token>`. */
  token?: string;
  uid?: string;
  password?: string;
  /** How long each deployment stays in /v2/deployments (default 300 ms). */
  deploymentMs?: number;
  /** Serve HTTPS with this PEM key/cert instead of HTTP. */
  tls?: { key: string; cert: string };
  /**
   * The overlay master's `State` message (dcos-mesos-modules overlay/overlay.proto, as JSON), served
   * at Admin Router's `/mesos/overlay-master/state` with the same token auth; absent: 404 there.
   */
  overlayState?: unknown;
  /**
   * What the token's user may not read. An entry starting with `/service/marathon` or `/mesos` is an
   * Admin Router path (its nginx 403 page for any request under it); any other entry is a Marathon
   * id or group (left out of lists, 403 "Not Authorized to perform this action!" when asked for).
   */
  forbidden?: string[];
  /**
   * Answer unset optional app fields as null, as Marathon's examples show (default true). Off only
   * to let a release that could not read them (0.3.0: "app.args is not iterable") bring a stack up.
   */
  nullsForUnset?: boolean;
}

export interface FakeRequest {
  method: string;
  /** Path without the query, e.g. `/service/marathon/v2/apps/my-app`. */
  path: string;
  /** `?force=true` or "". */
  query: string;
  authorization?: string;
  body?: unknown;
  status: number;
}

export type FakeApp = Record<string, any> & { id: string; instances: number; tasksRunning: number };

export interface FakeDeployment {
  id: string;
  version: string;
  runSpecId: string;
  kind: "app" | "pod";
  actions: string[]; // one action per step
  startedAt: number;
  durationMs: number; // Infinity: held until overridden with force or finished by the test
  timer?: NodeJS.Timeout;
}

export interface Answer {
  status: number;
  body: unknown;
  /** A non-JSON body (Admin Router's HTML), sent instead of `body`. */
  text?: string;
  headers?: Record<string, string>;
}

export interface FakeMarathon {
  /** Marathon's root, `http://127.0.0.1:PORT/service/marathon`. */
  url: string;
  /** The "DC/OS cluster", `http://127.0.0.1:PORT`. */
  clusterUrl: string;
  version: MarathonVersion;
  /** Apps by absolute id, as Marathon stores them (normalised, with its own fields; without `deployments`). */
  apps: Map<string, FakeApp>;
  /** Pods by absolute id, as GET /v2/pods/{id} shows them. */
  pods: Map<string, Record<string, unknown>>;
  requests: FakeRequest[];
  /** POST/PUT/DELETE requests to Marathon so far (login and reads not counted). */
  writes(): number;
  /** Deployment ids currently running. */
  runningDeployments(): string[];
  /** Stores a definition as if a user had POSTed it long ago: normalised, no request recorded, no deployment. */
  seed(app: Record<string, unknown>): FakeApp;
  seedPod(pod: Record<string, unknown>): Record<string, unknown>;
  /** Simulates a scale done out of band (UI/CLI): instances and running tasks change at once. */
  setAppInstances(id: string, instances: number): void;
  /** Simulates somebody else's deployment holding the app or pod until forced over or finished. */
  lockApp(id: string): string;
  /** Ends a deployment (one that lockApp started, say) as if it had finished. */
  finishDeployment(id: string): void;
  /** Simulates token expiry: the current token stops working; login hands out the new one. */
  rotateToken(newToken?: string): string;
  /** Replaces the overlay master's state (an agent registering or leaving, say); undefined: 404. */
  setOverlayState(state: unknown): void;
  /** Turns the null rendering of unset fields on or off from now on (see FakeMarathonOptions.nullsForUnset). */
  setNullsForUnset(on: boolean): void;
  close(): Promise<void>;
}

export function fakeTask(app: Record<string, any>, i: number) {
  const slug = app.id.split("/").filter(Boolean).join("_");
  return { id: `${slug}.${i}`, appId: app.id, host: `10.0.1.${10 + (i % 12)}`, state: "TASK_RUNNING", version: app.version, startedAt: app.version, ports: [] };
}

export function sameExcept(a: Record<string, unknown>, b: Record<string, unknown>, ignored: string[]): boolean {
  const strip = (o: Record<string, unknown>) =>
    JSON.stringify(Object.fromEntries(Object.entries(o).filter(([k]) => !ignored.includes(k)).sort(([x], [y]) => x.localeCompare(y))));
  return strip(a) === strip(b);
}
