// A strict in-process stand-in for Marathon behind DC/OS Admin Router, for tests only.
// It plays Marathon's REST contract for /v2/apps, /v2/pods (fakeMarathonPods.ts) and /v2/deployments: token auth,
// schema validation of every app body with Marathon's published AppDefinition.json, 409 locks while
// a deployment holds an app, deployments that leave /v2/deployments when they finish.
import { randomUUID } from "crypto";
import * as fs from "fs";
import * as http from "http";
import * as https from "https";
import { AddressInfo } from "net";
import * as path from "path";
import Ajv, { ErrorObject, ValidateFunction } from "ajv";
import { ROOT } from "./paths";
import { podRoutes } from "./fakeMarathonPods";

/** Marathon's own app schema, kept in the repository (Apache-2.0, see the NOTICE.md beside it). */
export const APP_SCHEMA_PATH = path.join(ROOT, "test", "fixtures", "marathon", "AppDefinition.json");

const MARATHON = "/service/marathon";
const LOGIN = "/acs/api/v1/auth/login";
/** The overlay master's state through Admin Router (the leading Mesos master's /overlay-master/state). */
const OVERLAY_STATE = "/mesos/overlay-master/state";

export interface FakeMarathonOptions {
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

export type FakeApp = Record<string, unknown> & { id: string; instances: number; tasksRunning: number };

interface FakeDeployment {
  id: string;
  version: string;
  appId: string;
  actions: string[]; // one action per step
  startedAt: number;
  durationMs: number; // Infinity: held until overridden with force
  timer?: NodeJS.Timeout;
}

export interface FakeMarathon {
  /** Marathon's root, `http://127.0.0.1:PORT/service/marathon`. */
  url: string;
  /** The "DC/OS cluster", `http://127.0.0.1:PORT`. */
  clusterUrl: string;
  /** Apps by absolute id, as GET /v2/apps/{id} shows them (without `deployments`). */
  apps: Map<string, FakeApp>;
  /** Pods by absolute id, as GET /v2/pods/{id} shows them. */
  pods: Map<string, Record<string, unknown>>;
  requests: FakeRequest[];
  /** Deployment ids currently running. */
  runningDeployments(): string[];
  /** Simulates a scale done out of band (UI/CLI): instances and running tasks change at once. */
  setAppInstances(id: string, instances: number): void;
  /** Simulates a deployment that holds the app until a forced update/delete overrides it. */
  lockApp(id: string): string;
  /** Simulates token expiry: the current token stops working; login hands out the new one. */
  rotateToken(newToken?: string): string;
  /** Replaces the overlay master's state (an agent registering or leaving, say); undefined: 404. */
  setOverlayState(state: unknown): void;
  close(): Promise<void>;
}

export async function startFakeMarathon(options: FakeMarathonOptions = {}): Promise<FakeMarathon> {
  const validate = appSchemaValidator();
  const deploymentMs = options.deploymentMs ?? 300;
  let token = options.token ?? (options.uid ? `fake-jwt-${randomUUID()}` : undefined);
  const apps = new Map<string, FakeApp>();
  const deployments = new Map<string, FakeDeployment>();
  const requests: FakeRequest[] = [];
  let lastVersion = 0;
  let overlayState = options.overlayState === undefined ? undefined : structuredClone(options.overlayState);

  const newVersion = () => {
    lastVersion = Math.max(Date.now(), lastVersion + 1);
    return new Date(lastVersion).toISOString();
  };

  const holding = (appId: string) => [...deployments.values()].filter((d) => d.appId === appId);

  const startDeployment = (appId: string, actions: string[], durationMs: number, onDone?: () => void) => {
    const d: FakeDeployment = { id: randomUUID(), version: newVersion(), appId, actions, startedAt: Date.now(), durationMs };
    if (Number.isFinite(durationMs)) {
      d.timer = setTimeout(() => {
        deployments.delete(d.id);
        onDone?.();
      }, durationMs);
    }
    deployments.set(d.id, d);
    return d;
  };

  const cancel = (d: FakeDeployment) => {
    clearTimeout(d.timer);
    deployments.delete(d.id);
  };

  const converge = (appId: string) => () => {
    const app = apps.get(appId);
    if (app) app.tasksRunning = app.instances;
  };

  const appView = (app: FakeApp) => ({ ...app, deployments: holding(app.id).map((d) => ({ id: d.id })) });

  /** 409 while a deployment holds the app, unless forced (then the running deployments are cancelled). */
  const lockedAnswer = (appId: string, force: boolean): Answer | undefined => {
    const held = holding(appId);
    if (held.length === 0) return undefined;
    if (force) {
      held.forEach(cancel);
      return undefined;
    }
    return {
      status: 409,
      body: {
        message:
          "App is locked by one or more deployments. Override with the option '?force=true'. " +
          "If used, this will override the current deployment (and its undo).",
        deployments: held.map((d) => ({ id: d.id })),
      },
    };
  };

  const createApp = (body: Record<string, unknown>): Answer => {
    const id = absolute(String(body.id));
    if (apps.has(id)) return { status: 409, body: { message: `An app with id [${id}] already exists.` } };
    const app = withDefaults(body, id, newVersion());
    apps.set(id, app);
    const d = startDeployment(id, ["StartApplication", "ScaleApplication"], deploymentMs, converge(id));
    return {
      status: 201,
      headers: { "Marathon-Deployment-Id": d.id, Location: `${MARATHON}/v2/apps${id}` },
      body: appView(app),
    };
  };

  const putApp = (id: string, body: Record<string, unknown>, force: boolean): Answer => {
    const existing = apps.get(id);
    if (!existing) {
      const created = createApp({ ...body, id });
      const deploymentId = created.headers!["Marathon-Deployment-Id"];
      return { status: 201, body: { deploymentId, version: apps.get(id)!.version } };
    }
    const locked = lockedAnswer(id, force);
    if (locked) return locked;
    const app = withDefaults(body, id, newVersion());
    app.tasksRunning = existing.tasksRunning;
    const onlyScaled = sameExcept(existing, app, ["instances", "version", "tasksRunning"]);
    apps.set(id, app);
    const d = startDeployment(id, [onlyScaled ? "ScaleApplication" : "RestartApplication"], deploymentMs, converge(id));
    return { status: 200, body: { deploymentId: d.id, version: app.version } };
  };

  const deleteApp = (id: string, force: boolean): Answer => {
    if (!apps.has(id)) return notFound(id);
    const locked = lockedAnswer(id, force);
    if (locked) return locked;
    apps.delete(id); // Marathon drops the app from its groups at once; the stop runs as a deployment
    const d = startDeployment(id, ["StopApplication"], deploymentMs);
    return { status: 200, body: { deploymentId: d.id, version: d.version } };
  };

  const deploymentView = (d: FakeDeployment) => {
    const total = d.actions.length;
    const elapsed = Date.now() - d.startedAt;
    const current = Number.isFinite(d.durationMs) ? Math.min(total, 1 + Math.floor((elapsed * total) / d.durationMs)) : 1;
    return {
      id: d.id,
      version: d.version,
      affectedApps: [d.appId],
      affectedPods: [],
      steps: d.actions.map((action) => ({ actions: [{ action, app: d.appId }] })),
      currentActions: [{ action: d.actions[current - 1], app: d.appId, readinessCheckResults: [] }],
      currentStep: current,
      totalSteps: total,
    };
  };

  const podApi = podRoutes(
    {
      start: (id, actions, onDone) => startDeployment(id, actions, deploymentMs, onDone),
      locked: (id, force) => lockedAnswer(id, force),
    },
    absolute,
  );

  const route = (method: string, pathname: string, query: URLSearchParams, auth: string | undefined, body: unknown): Answer => {
    if (pathname === LOGIN) {
      if (method !== "POST") return { status: 405, body: { message: "Method not allowed" } };
      const b = body as { uid?: unknown; password?: unknown } | undefined;
      if (options.uid && b?.uid === options.uid && b?.password === options.password) return { status: 200, body: { token } };
      return {
        status: 401,
        body: { title: "Unauthorized", description: "Login credentials are invalid", code: "ERR_INVALID_CREDENTIALS" },
      };
    }
    const behindAdminRouter = pathname.startsWith(`${MARATHON}/`) || pathname === OVERLAY_STATE;
    if (!behindAdminRouter) return { status: 404, body: { message: `No route ${pathname}` } };
    if (token !== undefined && auth !== `token=${token}`) {
      return { status: 401, body: { message: auth ? "Invalid authentication token" : "Missing authentication token" } };
    }
    if (pathname === OVERLAY_STATE) {
      if (method !== "GET") return { status: 405, body: { message: "Method not allowed" } };
      return overlayState === undefined ? { status: 404, body: { message: `No route ${pathname}` } } : { status: 200, body: overlayState };
    }
    const sub = pathname.slice(MARATHON.length);
    const force = query.get("force") === "true";

    const podAnswer = podApi.route(method, sub, force, body);
    if (podAnswer) return podAnswer;
    if (sub === "/v2/deployments" && method === "GET") {
      return { status: 200, body: [...deployments.values()].map(deploymentView) };
    }
    if (sub === "/v2/apps" && method === "GET") {
      return { status: 200, body: { apps: [...apps.values()].map(appView) } };
    }
    if (sub === "/v2/apps" && method === "POST") {
      const invalid = validateApp(validate, body);
      return invalid ?? createApp(body as Record<string, unknown>);
    }
    if (sub.startsWith("/v2/apps/")) {
      const id = absolute(decodeURIComponent(sub.slice("/v2/apps".length)));
      if (method === "GET") {
        const app = apps.get(id);
        return app ? { status: 200, body: { app: appView(app) } } : notFound(id);
      }
      if (method === "PUT") {
        const invalid = validateApp(validate, body);
        return invalid ?? putApp(id, body as Record<string, unknown>, force);
      }
      if (method === "DELETE") return deleteApp(id, force);
    }
    return { status: 404, body: { message: `No route ${method} ${pathname}` } };
  };

  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://fake");
      const raw = Buffer.concat(chunks).toString("utf8");
      let body: unknown;
      let answer: Answer;
      try {
        body = raw ? JSON.parse(raw) : undefined;
        answer = route(req.method ?? "GET", url.pathname, url.searchParams, req.headers.authorization, body);
      } catch (err) {
        answer =
          err instanceof SyntaxError
            ? { status: 400, body: { message: "Invalid JSON", details: [{ path: "/", errors: [err.message] }] } }
            : { status: 500, body: { message: String(err) } };
      }
      requests.push({
        method: req.method ?? "",
        path: url.pathname,
        query: url.search,
        authorization: req.headers.authorization,
        body,
        status: answer.status,
      });
      const text = JSON.stringify(answer.body);
      res.writeHead(answer.status, {
        ...answer.headers,
        "Content-Type": "application/json",
        "Content-Length": Buffer.byteLength(text),
      });
      res.end(text);
    });
  };

  const server = options.tls ? https.createServer({ key: options.tls.key, cert: options.tls.cert }, handler) : http.createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const clusterUrl = `${options.tls ? "https" : "http"}://127.0.0.1:${port}`;

  return {
    url: clusterUrl + MARATHON,
    clusterUrl,
    apps,
    pods: podApi.pods,
    requests,
    runningDeployments: () => [...deployments.keys()],
    setAppInstances(id, instances) {
      const app = apps.get(absolute(id));
      if (!app) throw new Error(`fake Marathon: no app ${absolute(id)} to scale`);
      app.instances = instances;
      app.tasksRunning = instances;
      app.version = newVersion();
    },
    lockApp(id) {
      const appId = absolute(id);
      if (!apps.has(appId)) throw new Error(`fake Marathon: no app ${appId} to lock`);
      return startDeployment(appId, ["RestartApplication"], Infinity).id;
    },
    setOverlayState(state) {
      overlayState = state === undefined ? undefined : structuredClone(state);
    },
    rotateToken(newToken) {
      token = newToken ?? `fake-jwt-${randomUUID()}`;
      return token;
    },
    async close() {
      deployments.forEach(cancel);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

const notFound = (id: string): Answer => ({ status: 404, body: { message: `App '${id}' does not exist` } });

/**
 * The id as Marathon stores it: PathId drops empty segments and resolves a relative id against the
 * root, so "my-app" → "/my-app" and "/shop//web/" → "/shop/web". Written here on its own, not imported
 * from src/, so that the fake checks the client rather than agreeing with it.
 */
function absolute(id: string): string {
  return "/" + id.split("/").filter((segment) => segment !== "").join("/");
}

/** Marathon's defaults for the fields GET always shows, then Marathon's own fields. */
function withDefaults(def: Record<string, unknown>, id: string, version: string): FakeApp {
  return {
    cpus: 1,
    mem: 128,
    disk: 0,
    gpus: 0,
    instances: 1,
    backoffFactor: 1.15,
    backoffSeconds: 1,
    maxLaunchDelaySeconds: 300,
    ...structuredClone(def),
    id,
    version,
    tasksRunning: 0,
    tasksStaged: 0,
    tasksHealthy: 0,
    tasksUnhealthy: 0,
  } as FakeApp;
}

function sameExcept(a: Record<string, unknown>, b: Record<string, unknown>, ignored: string[]): boolean {
  const strip = (o: Record<string, unknown>) =>
    JSON.stringify(Object.fromEntries(Object.entries(o).filter(([k]) => !ignored.includes(k)).sort(([x], [y]) => x.localeCompare(y))));
  return strip(a) === strip(b);
}

// --- schema validation ---

let compiled: ValidateFunction | undefined;

/** Marathon's AppDefinition.json compiled with ajv (once per process). */
export function appSchemaValidator(): ValidateFunction {
  if (compiled) return compiled;
  const { $schema: _meta, ...schema } = JSON.parse(fs.readFileSync(APP_SCHEMA_PATH, "utf8"));
  // The schema is draft-04 style and names the meta schema "http://json-schema.org/schema#", which
  // ajv does not ship; only that reference is dropped. Its keywords (type, properties, required,
  // additionalProperties, pattern, enum, minimum/maximum, items/additionalItems, oneOf, not, $ref to
  // #/definitions) mean the same in ajv's default draft. "date-time" is its only format.
  const ajv = new Ajv({ strict: false, allErrors: true, formats: { "date-time": isDateTime } });
  compiled = ajv.compile(schema);
  return compiled;
}

function isDateTime(s: string): boolean {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(s) && !Number.isNaN(Date.parse(s));
}

/** 422 in Marathon's shape when the body does not satisfy the schema. */
function validateApp(validate: ValidateFunction, body: unknown): Answer | undefined {
  if (validate(body)) return undefined;
  const byPath = new Map<string, string[]>();
  for (const e of validate.errors ?? []) {
    const p = marathonPath(pointerOf(e), body);
    const reason = e.keyword === "enum" ? `${e.message}: ${JSON.stringify(e.params.allowedValues)}` : e.message ?? e.keyword;
    const list = byPath.get(p) ?? [];
    if (!list.includes(reason)) list.push(reason);
    byPath.set(p, list);
  }
  return {
    status: 422,
    body: { message: "Object is not valid", details: [...byPath].map(([p, errors]) => ({ path: p, errors })) },
  };
}

/** The JSON pointer of the offending value; an unknown or missing property is named in the path. */
function pointerOf(e: ErrorObject): string {
  const escape = (s: string) => s.replace(/~/g, "~0").replace(/\//g, "~1");
  if (e.keyword === "additionalProperties") return `${e.instancePath}/${escape(String(e.params.additionalProperty))}`;
  if (e.keyword === "required") return `${e.instancePath}/${escape(String(e.params.missingProperty))}`;
  return e.instancePath;
}

/** JSON pointer → Marathon's path style: `/container/portMappings/0/name` → `/container/portMappings(0)/name`. */
function marathonPath(pointer: string, data: unknown): string {
  let out = "";
  let node: unknown = data;
  for (const raw of pointer.split("/").slice(1)) {
    const segment = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (Array.isArray(node)) {
      out += `(${segment})`;
      node = node[Number(segment)];
    } else {
      out += `/${segment}`;
      node = node && typeof node === "object" ? (node as Record<string, unknown>)[segment] : undefined;
    }
  }
  return out || "/";
}
