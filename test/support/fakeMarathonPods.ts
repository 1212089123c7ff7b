// The contract double's /v2/pods: Marathon's pod endpoints and status codes, from
// PodsResource.scala@releases/1.5 and @releases/1.10: POST → 201 with the pod; PUT → 200 with the pod
// even when it creates (`Response.ok`, a full replacement: pods have no partialUpdate); DELETE → 202
// with no body (`Status.ACCEPTED`, the deployment only in headers; `force` defaults to false, so a
// held pod answers 409); each with a Marathon-Deployment-Id header; GET → 200 or 404; 409 on a
// duplicate create ("A pod with id [..] already exists.", PodManagerImpl.scala@both); 422
// "Object is not valid" with Marathon-style paths when the pod's shape is wrong. The shape rules are written here on their
// own (Marathon's RAML Pod type and PodsValidation), not imported from src/, so that the double
// checks the client rather than agreeing with it.

export interface PodAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface PodDeployments {
  /** Starts a deployment of `id` (an app or pod path); returns its id and version. */
  start(id: string, actions: string[], onDone?: () => void): { id: string; version: string };
  /** 409 while a deployment holds `id`, unless forced. */
  locked(id: string, force: boolean): PodAnswer | undefined;
}

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Marathon-style paths (`/containers(0)/name`) and their errors, for a 422. */
export function podShapeErrors(pod: unknown): { path: string; errors: string[] }[] {
  const out = new Map<string, string[]>();
  const err = (path: string, message: string) => out.set(path, [...(out.get(path) ?? []), message]);
  if (!pod || typeof pod !== "object" || Array.isArray(pod)) return [{ path: "/", errors: ["error.expected.jsobject"] }];
  const p = pod as Record<string, any>;
  if (typeof p.id !== "string" || p.id.split("/").filter(Boolean).length === 0) err("/id", "Path must contain at least one path element");
  if (!Array.isArray(p.containers)) err("/containers", "error.path.missing");
  else if (p.containers.length === 0) err("/containers", "must not be empty");
  else {
    const names: string[] = [];
    const endpoints: string[] = [];
    p.containers.forEach((c: any, i: number) => {
      const at = `/containers(${i})`;
      if (!c || typeof c !== "object") return err(at, "error.expected.jsobject");
      if (typeof c.name !== "string" || !NAME.test(c.name)) err(`${at}/name`, `must fully match regular expression '${NAME.source}'`);
      else names.push(c.name);
      if (!c.resources || typeof c.resources.cpus !== "number" || typeof c.resources.mem !== "number") err(`${at}/resources`, "error.path.missing");
      else if (c.resources.cpus < 0 || c.resources.mem < 0) err(`${at}/resources`, "got negative, expected 0.0 or more");
      for (const [j, ep] of (Array.isArray(c.endpoints) ? c.endpoints : []).entries()) {
        if (typeof ep?.name !== "string") err(`${at}/endpoints(${j})/name`, "error.path.missing");
        else endpoints.push(ep.name);
      }
      return undefined;
    });
    if (new Set(names).size !== names.length) err("/containers", "container names are unique");
    if (new Set(endpoints).size !== endpoints.length) err("/", "Endpoint names are unique");
  }
  if (p.scaling !== undefined && (p.scaling?.kind !== "fixed" || !(Number.isInteger(p.scaling?.instances ?? 1) && (p.scaling?.instances ?? 1) >= 0))) {
    err("/scaling", "Not a fixed scaling policy");
  }
  for (const [i, n] of (Array.isArray(p.networks) ? p.networks : []).entries()) {
    if (n?.mode !== "container" && n?.mode !== "host") err(`/networks(${i})/mode`, "error.expected.validenumvalue");
    if (n?.mode === "container" && typeof n?.name !== "string") err(`/networks(${i})/name`, "Network name must be specified when container network is selected.");
  }
  return [...out].map(([path, errors]) => ({ path, errors }));
}

export function podRoutes(deployments: PodDeployments, absolute: (id: string) => string) {
  const pods = new Map<string, Record<string, unknown>>();
  const withDefaults = (pod: Record<string, unknown>, id: string, version: string) => ({
    networks: [{ mode: "host" }],
    scaling: { kind: "fixed", instances: 1 },
    ...structuredClone(pod),
    id,
    version,
  });
  const invalid = (pod: unknown): PodAnswer | undefined => {
    const details = podShapeErrors(pod);
    return details.length > 0 ? { status: 422, body: { message: "Object is not valid", details } } : undefined;
  };
  // RestResource.unknownPod@both (DELETE, PUT); GET wraps its own JSON text in the message
  // (PodsResource.scala@releases/1.10 `find`: notFound(s"""{"message": "pod with $id does not exist"}""")).
  const notFound = (id: string): PodAnswer => ({ status: 404, body: { message: `Pod '${id}' does not exist` } });
  const notFoundOnGet = (id: string): PodAnswer => ({ status: 404, body: { message: `{"message": "pod with ${id} does not exist"}` } });
  const create = (pod: Record<string, unknown>, id: string, status: number): PodAnswer => {
    const d = deployments.start(id, ["StartPod"]);
    const stored = withDefaults(pod, id, d.version);
    pods.set(id, stored);
    return { status, headers: { "Marathon-Deployment-Id": d.id, Location: `/v2/pods${id}` }, body: stored };
  };

  /** Answers a /v2/pods request, or undefined when the path is not a pods path. */
  function route(method: string, sub: string, force: boolean, body: unknown): PodAnswer | undefined {
    if (sub === "/v2/pods" && method === "POST") {
      const bad = invalid(body);
      if (bad) return bad;
      const id = absolute(String((body as any).id));
      if (pods.has(id)) return { status: 409, body: { message: `A pod with id [${id}] already exists.` } };
      return create(body as Record<string, unknown>, id, 201);
    }
    if (sub === "/v2/pods" && method === "GET") return { status: 200, body: [...pods.values()] };
    if (!sub.startsWith("/v2/pods/")) return undefined;
    const id = absolute(decodeURIComponent(sub.slice("/v2/pods".length)));
    if (method === "GET") {
      const pod = pods.get(id);
      return pod ? { status: 200, body: pod } : notFoundOnGet(id);
    }
    if (method === "PUT") {
      const bad = invalid(body);
      if (bad) return bad;
      if (absolute(String((body as any).id)) !== id) {
        return { status: 400, body: { message: `'${id}' does not match definition's id ('${(body as any).id}')` } };
      }
      if (!pods.has(id)) return create({ ...(body as Record<string, unknown>), id }, id, 200);
      const held = deployments.locked(id, force);
      if (held) return held;
      const d = deployments.start(id, ["RestartPod"]);
      const stored = withDefaults({ ...(body as Record<string, unknown>) }, id, d.version);
      pods.set(id, stored);
      return { status: 200, headers: { "Marathon-Deployment-Id": d.id }, body: stored };
    }
    if (method === "DELETE") {
      if (!pods.has(id)) return notFound(id);
      const held = deployments.locked(id, force);
      if (held) return held;
      pods.delete(id);
      const d = deployments.start(id, ["StopPod"]);
      return { status: 202, headers: { "Marathon-Deployment-Id": d.id, Location: d.id }, body: undefined };
    }
    return { status: 405, body: { message: "Method not allowed" } };
  }

  /** A pod as if POSTed long ago: stored with defaults, no deployment. */
  const seed = (pod: Record<string, unknown>) => {
    const id = absolute(String(pod.id));
    const stored = withDefaults(pod, id, new Date(Date.UTC(2019, 0, 1) + pods.size * 60_000).toISOString());
    pods.set(id, stored);
    return stored;
  };

  return { pods, route, seed };
}
