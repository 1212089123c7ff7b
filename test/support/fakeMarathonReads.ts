// The Marathon double's read endpoints that adoption needs, as Marathon answers them:
// - GET /v2/apps (AppsResource.scala@releases/1.10 `index`): `id` (case-insensitive substring of the
//   app id), `label` (LabelSelector.scala@releases/1.10: `k`, `k==v`, `k!=v`, `k in (a,b)`,
//   `k notin (a,b)`, comma-separated, all must hold) and `embed`; counts and deployments are always
//   embedded there, `tasks` only with embed=apps.tasks.
// - GET /v2/groups (GroupsResource.scala@releases/1.10: default embeds group.apps, group.pods,
//   group.groups): the tree of groups with their apps and pods.
// - GET /v2/info (InfoResource.scala, examples/info.json@both): name, version, leader, marathon_config.
// - GET /v2/pods/::status and /v2/pods/{id}::status (PodsResource.scala@releases/1.10, podStatus.raml).
import type { MarathonVersion } from "./fakeMarathonNormalize";

type Json = Record<string, any>;

export interface ReadsState {
  version: MarathonVersion;
  apps: Map<string, Json>;
  pods: Map<string, Json>;
  /** The app as GET shows it (read-only fields, deployments), with `tasks` when asked. */
  appView(app: Json, withTasks: boolean): Json;
  /** Marathon ids the token may not view: left out of lists (Marathon's authorisation selector). */
  hidden(id: string): boolean;
}

/** Marathon's label selector (LabelSelector.scala@releases/1.10); undefined when it does not parse. */
export function labelSelector(text: string): ((labels: Record<string, string>) => boolean) | undefined {
  const term = String.raw`((?:\\.|[-A-Za-z0-9_.])+)`;
  const one = new RegExp(String.raw`^\s*${term}\s*(?:(==|!=)\s*${term}|\s(in|notin)\s*\(([^)]*)\))?\s*`);
  const unescape = (s: string) => s.replace(/\\(.)/g, "$1");
  const tests: ((l: Record<string, string>) => boolean)[] = [];
  let rest = text;
  for (;;) {
    const m = one.exec(rest);
    if (!m) return undefined;
    const key = unescape(m[1]);
    if (m[2]) {
      const value = unescape(m[3]);
      tests.push(m[2] === "==" ? (l) => key in l && l[key] === value : (l) => key in l && l[key] !== value);
    } else if (m[4]) {
      const set = m[5].split(",").map((s) => unescape(s.trim()));
      tests.push(m[4] === "in" ? (l) => key in l && set.includes(l[key]) : (l) => key in l && !set.includes(l[key]));
    } else tests.push((l) => key in l);
    rest = rest.slice(m[0].length);
    if (rest === "") break;
    if (!rest.startsWith(",")) return undefined;
    rest = rest.slice(1);
  }
  return (labels) => tests.every((t) => t(labels ?? {}));
}

export function readRoutes(s: ReadsState) {
  const embedOf = (query: URLSearchParams) => new Set(query.getAll("embed").flatMap((e) => e.split(",")));

  const listApps = (query: URLSearchParams) => {
    const id = query.get("id");
    const label = query.get("label");
    const select = label === null ? () => true : labelSelector(label);
    if (!select) return { status: 422, body: { message: `Can not parse label selector ${label}.` } };
    const embed = embedOf(query);
    const withTasks = embed.has("apps.tasks") || embed.has("app.tasks");
    const apps = [...s.apps.values()]
      .filter((a) => !s.hidden(a.id))
      .filter((a) => id === null || a.id.toLowerCase().includes(id.toLowerCase()))
      .filter((a) => select(a.labels ?? {}))
      .map((a) => s.appView(a, withTasks));
    return { status: 200, body: { apps } };
  };

  const groupTree = (root: string, query: URLSearchParams) => {
    const given = embedOf(query);
    const embed = given.size ? given : new Set(["group.apps", "group.pods", "group.groups"]);
    const groupIds = new Set<string>(["/"]);
    const parentOf = (id: string) => id.slice(0, id.lastIndexOf("/")) || "/";
    for (const id of [...s.apps.keys(), ...s.pods.keys()]) {
      for (let g = parentOf(id); ; g = parentOf(g)) {
        groupIds.add(g);
        if (g === "/") break;
      }
    }
    if (!groupIds.has(root)) return undefined;
    const build = (gid: string): Json => {
      const group: Json = { id: gid, dependencies: [], version: new Date(0).toISOString() };
      if (embed.has("group.apps")) group.apps = [...s.apps.values()].filter((a) => parentOf(a.id) === gid && !s.hidden(a.id)).map((a) => s.appView(a, embed.has("group.apps.tasks")));
      if (embed.has("group.pods")) group.pods = [...s.pods.values()].filter((p) => parentOf(p.id) === gid && !s.hidden(p.id));
      if (embed.has("group.groups")) group.groups = [...groupIds].filter((g) => g !== "/" && parentOf(g) === gid).sort().map(build);
      return group;
    };
    return build(root);
  };

  const info = () => ({
    name: "marathon",
    version: s.version === "1.5" ? "1.5.12" : "1.10.17",
    buildref: "unknown",
    elected: true,
    leader: "10.0.0.1:8080",
    frameworkId: "96d7da70-b731-4cfb-96a7-0ee877af615d-0000",
    marathon_config: { framework_name: "marathon", local_port_min: 10000, local_port_max: 20000, mesos_bridge_name: "mesos-bridge", ...(s.version === "1.10" ? { mesos_role: "*" } : {}) },
    http_config: { http_port: 8080, https_port: 8443 },
  });

  const podStatus = (pod: Json) => ({
    id: pod.id,
    spec: pod,
    status: "STABLE",
    statusSince: pod.version,
    instances: [],
    terminationHistory: [],
    lastUpdated: pod.version,
    lastChanged: pod.version,
  });

  /** Answers a read this module serves, or undefined. */
  function route(method: string, sub: string, query: URLSearchParams): { status: number; body: unknown } | undefined {
    if (method !== "GET") return undefined;
    if (sub === "/v2/apps") return listApps(query);
    if (sub === "/v2/info") return { status: 200, body: info() };
    if (sub === "/v2/groups" || sub.startsWith("/v2/groups/")) {
      const id = "/" + decodeURIComponent(sub.slice("/v2/groups".length)).split("/").filter(Boolean).join("/");
      const tree = groupTree(id, query);
      return tree ? { status: 200, body: tree } : { status: 404, body: { message: `Group '${id}' does not exist` } };
    }
    if (sub === "/v2/pods/::status") return { status: 200, body: [...s.pods.values()].filter((p) => !s.hidden(p.id)).map(podStatus) };
    if (sub.startsWith("/v2/pods/") && sub.endsWith("::status")) {
      const id = "/" + decodeURIComponent(sub.slice("/v2/pods".length, -"::status".length)).split("/").filter(Boolean).join("/");
      const pod = s.pods.get(id);
      return pod ? { status: 200, body: podStatus(pod) } : { status: 404, body: { message: `Pod '${id}' does not exist` } };
    }
    return undefined;
  }

  return { route };
}
