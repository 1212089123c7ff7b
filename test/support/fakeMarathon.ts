// A strict in-process stand-in for Marathon behind DC/OS Admin Router, for tests only.
// It plays Marathon's REST contract (1.5 or 1.10) for /v2/apps, /v2/pods (fakeMarathonPods.ts),
// /v2/deployments and the reads adoption needs (fakeMarathonReads.ts): token auth, the declared fields
// of every app body checked against Marathon's AppDefinition.json (fakeMarathonSchema.ts), apps stored
// normalised as Marathon stores them (fakeMarathonNormalize.ts), PUT merging unless partialUpdate=false,
// DELETE forcing unless force=false, deployments that leave /v2/deployments when they finish.
import { randomUUID } from "crypto";
import { podRoutes } from "./fakeMarathonPods";
import { MarathonVersion, NormalizationError, ServicePorts, mergeUpdate, normalizeApp, stripReadOnly } from "./fakeMarathonNormalize";
import { appSchemaValidator, validateAppBody } from "./fakeMarathonSchema";
import { readRoutes } from "./fakeMarathonReads";
import { Answer, FakeApp, FakeDeployment, FakeMarathon, FakeMarathonOptions, FakeRequest, fakeTask, sameExcept } from "./fakeMarathonTypes";
import { serve } from "./fakeMarathonServer";

export { APP_SCHEMA_PATH, appSchemaValidator } from "./fakeMarathonSchema";
export type { FakeApp, FakeMarathon, FakeMarathonOptions, FakeRequest } from "./fakeMarathonTypes";

const MARATHON = "/service/marathon";
const LOGIN = "/acs/api/v1/auth/login";
/** The overlay master's state through Admin Router (the leading Mesos master's /overlay-master/state). */
/** Optional app fields Marathon's answers show as null when unset. */
const RENDERED_AS_NULL = ["cmd", "args", "user", "container", "acceptedResourceRoles"];
const OVERLAY_STATE = "/mesos/overlay-master/state";

export async function startFakeMarathon(options: FakeMarathonOptions = {}): Promise<FakeMarathon> {
  const version: MarathonVersion = options.version ?? "1.10";
  const validate = appSchemaValidator();
  const deploymentMs = options.deploymentMs ?? 300;
  let token = options.token ?? (options.uid ? `fake-jwt-${randomUUID()}` : undefined);
  const apps = new Map<string, FakeApp>();
  const deployments = new Map<string, FakeDeployment>();
  const requests: FakeRequest[] = [];
  const servicePorts = new ServicePorts();
  const forbidden = options.forbidden ?? [];
  let lastVersion = 0;
  let overlayState = options.overlayState === undefined ? undefined : structuredClone(options.overlayState);
  let nullsForUnset = options.nullsForUnset ?? true;

  const newVersion = () => {
    lastVersion = Math.max(Date.now(), lastVersion + 1);
    return new Date(lastVersion).toISOString();
  };
  const holding = (id: string) => [...deployments.values()].filter((d) => d.runSpecId === id);
  /** A Marathon id the token may not view (Marathon's own authoriser; Admin Router paths are separate). */
  const hidden = (id: string) => forbidden.some((f) => !f.startsWith(MARATHON) && !f.startsWith("/mesos") && (id === f || id.startsWith(f.endsWith("/") ? f : f + "/")));

  const startDeployment = (runSpecId: string, kind: "app" | "pod", actions: string[], durationMs: number, onDone?: () => void) => {
    const d: FakeDeployment = { id: randomUUID(), version: newVersion(), runSpecId, kind, actions, startedAt: Date.now(), durationMs };
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
    if (app) app.tasksRunning = app.tasksHealthy = app.instances;
  };

  const appView = (app: Record<string, any>, withTasks = false) => ({
    // Unset optional fields are rendered as null (docs/docs/rest-api/public/api/v2/examples/app_list.json
    // on releases/1.5 and releases/1.10: "args": null, "user": null, "container": null, "acceptedResourceRoles": null).
    ...(nullsForUnset ? Object.fromEntries(RENDERED_AS_NULL.map((k) => [k, null])) : {}),
    ...app,
    deployments: holding(app.id).map((d) => ({ id: d.id })),
    ...(withTasks ? { tasks: Array.from({ length: app.tasksRunning }, (_, i) => fakeTask(app, i)) } : {}),
  });

  /** 409 while a deployment holds the run spec, unless forced (then the running deployments are cancelled). */
  const lockedAnswer = (id: string, force: boolean): Answer | undefined => {
    const held = holding(id);
    if (held.length === 0) return undefined;
    if (force) {
      held.forEach(cancel);
      return undefined;
    }
    // AppLockedException, Exception.scala@releases/1.10; mapped to 409 with `deployments` by MarathonExceptionMapper.
    return {
      status: 409,
      body: {
        message: "App is locked by one or more deployments. Override with the option '?force=true'. View details at '/v2/deployments/<DEPLOYMENT_ID>'.",
        deployments: held.map((d) => ({ id: d.id })),
      },
    };
  };

  /** The normalised definition with Marathon's own fields; tasks carried over from `previous`. */
  const store = (def: Record<string, unknown>, id: string, at: string, previous?: Record<string, any>): FakeApp => {
    const app = { ...normalizeApp({ ...def, id }, version, servicePorts), id, version: at } as unknown as FakeApp;
    app.versionInfo = { lastScalingAt: at, lastConfigChangeAt: at };
    app.tasksStaged = 0;
    app.tasksRunning = previous?.tasksRunning ?? 0;
    app.tasksHealthy = previous?.tasksHealthy ?? 0;
    app.tasksUnhealthy = 0;
    return app;
  };

  const createApp = (body: Record<string, unknown>): Answer => {
    const id = absolute(String(body.id));
    if (apps.has(id)) return { status: 409, body: { message: `An app with id [${id}] already exists.` } };
    const app = store(body, id, newVersion());
    apps.set(id, app);
    const d = startDeployment(id, "app", ["StartApplication", "ScaleApplication"], deploymentMs, converge(id));
    return { status: 201, headers: { "Marathon-Deployment-Id": d.id, Location: `${MARATHON}/v2/apps${id}` }, body: appView(app) };
  };

  // AppsResource.scala@releases/1.5 and @releases/1.10 `replace`: partialUpdate defaults to true (the
  // body is merged into the stored app); 200 {version, deploymentId} for an update, 201 when it created.
  const putApp = (id: string, body: Record<string, unknown>, force: boolean, partial: boolean): Answer => {
    const existing = apps.get(id);
    if (!existing) {
      const created = createApp({ ...body, id });
      if (created.status !== 201) return created;
      const deploymentId = created.headers!["Marathon-Deployment-Id"];
      return { status: 201, headers: { "Marathon-Deployment-Id": deploymentId }, body: { deploymentId, version: apps.get(id)!.version } };
    }
    const locked = lockedAnswer(id, force);
    if (locked) return locked;
    const def = partial ? mergeUpdate(existing, body) : body;
    const app = store(def, id, newVersion(), existing);
    const onlyScaled = sameExcept(stripReadOnly(existing), stripReadOnly(app), ["instances"]);
    if (onlyScaled) app.versionInfo.lastConfigChangeAt = existing.versionInfo?.lastConfigChangeAt ?? app.version;
    apps.set(id, app);
    const d = startDeployment(id, "app", [onlyScaled ? "ScaleApplication" : "RestartApplication"], deploymentMs, converge(id));
    return { status: 200, headers: { "Marathon-Deployment-Id": d.id }, body: { deploymentId: d.id, version: app.version } };
  };

  // AppsResource.scala@releases/1.5 and @releases/1.10 `delete`: `@DefaultValue("true") force`.
  const deleteApp = (id: string, force: boolean): Answer => {
    if (!apps.has(id)) return notFound(id);
    const locked = lockedAnswer(id, force);
    if (locked) return locked;
    apps.delete(id); // Marathon drops the app from its groups at once; the stop runs as a deployment
    const d = startDeployment(id, "app", ["StopApplication"], deploymentMs);
    return { status: 200, headers: { "Marathon-Deployment-Id": d.id }, body: { deploymentId: d.id, version: d.version } };
  };

  const deploymentView = (d: FakeDeployment) => {
    const total = d.actions.length;
    const elapsed = Date.now() - d.startedAt;
    const current = Number.isFinite(d.durationMs) ? Math.min(total, 1 + Math.floor((elapsed * total) / d.durationMs)) : 1;
    const key = d.kind === "pod" ? "pod" : "app";
    return {
      id: d.id,
      version: d.version,
      affectedApps: d.kind === "app" ? [d.runSpecId] : [],
      affectedPods: d.kind === "pod" ? [d.runSpecId] : [],
      steps: d.actions.map((action) => ({ actions: [{ action, [key]: d.runSpecId }] })),
      currentActions: [{ action: d.actions[current - 1], [key]: d.runSpecId, readinessCheckResults: [] }],
      currentStep: current,
      totalSteps: total,
    };
  };

  const podApi = podRoutes(
    {
      start: (id, actions, onDone) => startDeployment(id, "pod", actions, deploymentMs, onDone),
      locked: (id, force) => lockedAnswer(id, force),
    },
    absolute,
  );
  const reads = readRoutes({ version, apps, pods: podApi.pods, appView, hidden });

  const route = (method: string, pathname: string, query: URLSearchParams, auth: string | undefined, body: unknown): Answer => {
    if (pathname === LOGIN) {
      if (method !== "POST") return { status: 405, body: { message: "Method not allowed" } };
      const b = body as { uid?: unknown; password?: unknown } | undefined;
      if (options.uid && b?.uid === options.uid && b?.password === options.password) return { status: 200, body: { token } };
      return { status: 401, body: { title: "Unauthorized", description: "Login credentials are invalid", code: "ERR_INVALID_CREDENTIALS" } };
    }
    const behindAdminRouter = pathname.startsWith(`${MARATHON}/`) || pathname === OVERLAY_STATE;
    if (!behindAdminRouter) return { status: 404, body: { message: `No route ${pathname}` } };
    if (token !== undefined && auth !== `token=${token}`) {
      return { status: 401, body: { message: auth ? "Invalid authentication token" : "Missing authentication token" } };
    }
    // Admin Router (nginx, DC/OS IAM) refuses a path the token's user may not reach before Marathon sees it.
    if (forbidden.some((f) => (f.startsWith(MARATHON) || f.startsWith("/mesos")) && pathname.startsWith(f))) return ADMIN_ROUTER_403;
    if (pathname === OVERLAY_STATE) {
      if (method !== "GET") return { status: 405, body: { message: "Method not allowed" } };
      return overlayState === undefined ? { status: 404, body: { message: `No route ${pathname}` } } : { status: 200, body: overlayState };
    }
    if (body instanceof SyntaxError) {
      // MarathonExceptionMapper.scala@releases/1.10: JsonParseException → 400 {"message": "Invalid JSON", "details": <parser message>}.
      return { status: 400, body: { message: "Invalid JSON", details: body.message } };
    }
    const sub = pathname.slice(MARATHON.length);
    const idOf = (prefix: string) => absolute(decodeURIComponent(sub.slice(prefix.length)));
    if ((sub.startsWith("/v2/apps/") && hidden(idOf("/v2/apps"))) || (sub.startsWith("/v2/pods/") && hidden(idOf("/v2/pods").replace(/::.*$/, "")))) {
      return { status: 403, body: { message: "Not Authorized to perform this action!" } };
    }
    const read = reads.route(method, sub, query);
    if (read) return read;
    const force = query.get("force") === "true";
    const podAnswer = podApi.route(method, sub, force, body);
    if (podAnswer) return podAnswer;
    if (sub === "/v2/deployments" && method === "GET") return { status: 200, body: [...deployments.values()].map(deploymentView) };
    if (sub === "/v2/apps" && method === "POST") {
      return validateAppBody(validate, body) ?? normalized(() => createApp(body as Record<string, unknown>));
    }
    if (sub.startsWith("/v2/apps/")) {
      const id = idOf("/v2/apps");
      if (method === "GET") {
        // AppsResource.scala@releases/1.10 `show`: counts, tasks, lastTaskFailure and deployments are always embedded.
        const app = apps.get(id);
        return app ? { status: 200, body: { app: appView(app, true) } } : notFound(id);
      }
      if (method === "PUT") {
        const partial = query.get("partialUpdate") !== "false";
        return validateAppBody(validate, body) ?? normalized(() => putApp(id, body as Record<string, unknown>, force, partial));
      }
      if (method === "DELETE") return deleteApp(id, query.get("force") !== "false");
    }
    return { status: 404, body: { message: `No route ${method} ${pathname}` } };
  };

  const { server, port } = await serve(options.tls, route, requests);
  const clusterUrl = `${options.tls ? "https" : "http"}://127.0.0.1:${port}`;

  return {
    url: clusterUrl + MARATHON,
    clusterUrl,
    version,
    apps,
    pods: podApi.pods,
    requests,
    writes: () => requests.filter((r) => r.path.startsWith(`${MARATHON}/`) && ["POST", "PUT", "DELETE", "PATCH"].includes(r.method)).length,
    runningDeployments: () => [...deployments.keys()],
    seed(def) {
      const id = absolute(String(def.id));
      const at = new Date(Date.UTC(2019, 0, 1) + apps.size * 60_000).toISOString();
      const app = store(def, id, at);
      app.tasksRunning = app.tasksHealthy = app.instances;
      apps.set(id, app);
      return app;
    },
    seedPod: (pod) => podApi.seed(pod),
    setAppInstances(id, instances) {
      const app = apps.get(absolute(id));
      if (!app) throw new Error(`fake Marathon: no app ${absolute(id)} to scale`);
      app.instances = instances;
      app.tasksRunning = instances;
      app.version = newVersion();
    },
    lockApp(id) {
      const appId = absolute(id);
      if (!apps.has(appId) && !podApi.pods.has(appId)) throw new Error(`fake Marathon: no app or pod ${appId} to lock`);
      return startDeployment(appId, apps.has(appId) ? "app" : "pod", ["RestartApplication"], Infinity).id;
    },
    finishDeployment(id) {
      const d = deployments.get(id);
      if (d) cancel(d);
    },
    setNullsForUnset(on) {
      nullsForUnset = on;
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

/** Admin Router's own 403 (nginx; an HTML page, not Marathon's JSON). */
const ADMIN_ROUTER_403: Answer = {
  status: 403,
  text: "<html>\r\n<head><title>403 Forbidden</title></head>\r\n<body>\r\n<center><h1>403 Forbidden</h1></center>\r\n<hr><center>openresty</center>\r\n</body>\r\n</html>\r\n",
  body: undefined,
  headers: { "Content-Type": "text/html" },
};

const notFound = (id: string): Answer => ({ status: 404, body: { message: `App '${id}' does not exist` } });

/** What Marathon's normaliser refuses is a 422 (NormalizationException → ValidationFailed). */
function normalized(fn: () => Answer): Answer {
  try {
    return fn();
  } catch (err) {
    if (err instanceof NormalizationError) return { status: 422, body: { message: "Object is not valid", details: [{ path: "/", errors: [err.message] }] } };
    throw err;
  }
}

/**
 * The id as Marathon stores it: PathId drops empty segments and resolves a relative id against the
 * root, so "my-app" → "/my-app" and "/shop//web/" → "/shop/web". Written here on its own, not imported
 * from src/, so that the fake checks the client rather than agreeing with it.
 */
function absolute(id: string): string {
  return "/" + id.split("/").filter((segment) => segment !== "").join("/");
}
