// Marathon's pod rules (PodsValidation, the Pod RAML type), checked at preview with Marathon's
// wording where it has one: the id, containers (names unique, resources, image, command),
// endpoints (names and ports unique across the pod, containerPort/hostPort by network mode), the
// networks (as for apps: one host network, or 1-to-n named container networks), scaling and the
// upgrade strategy. Pure: the same rules serve the local cluster and the contract double.
import { Failure } from "../common/failure";
import { validateAppId } from "./appId";
import {
  checkArray, checkEnum, checkKnownKeys, checkNumber, checkObject, checkString, checkStringMap, isObject, JsonObject, show,
} from "./jsonChecks";
import { MARATHON } from "./messages";
import { field, item } from "./paths";
import { CONSTRAINT_OPERATORS, HEALTH_TIMINGS, MAX_INT32, NETWORK_NAME, NETWORK_NAME_MAX } from "./rules";

/** Marathon's NamePattern (container, endpoint and volume names). */
const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const NAME_RULE = { pattern: NAME, maxLength: 63, describe: "lowercase letters, digits and '-'" };

export const POD_MESSAGES = {
  containersRequired: "must not be empty",
  containerNamesUnique: "container names are unique",
  endpointNamesUnique: "Endpoint names are unique",
  containerPortsUnique: "Container ports are unique",
  hostPortsUnique: "Host ports are unique",
  hostPortRequired: "is required when using host-mode networking",
  containerPortNotAllowed: "is not allowed when using host-mode networking",
  containerPortRequired: "is required when using container-mode networking",
  duplicateProtocols: "Duplicate protocols within the same endpoint are not allowed",
  fixedScaling: "Not a fixed scaling policy",
  volumeReferenced: "volume must be referenced by at least one container",
  volumeMountExists: "Referenced Volume in VolumeMount should exist",
  volumeNamesUnique: "volume names are unique",
  oneHealthCheckKind: "Only one of http, tcp, or command may be specified",
  healthEndpointKnown: "contained in the container endpoints",
} as const;

/** A container's healthCheck: one kind; an http/tcp check names one of the container's endpoints. */
function checkPodHealth(path: string, value: unknown, endpoints: unknown): Failure[] {
  return checkObject(path, value, "an object ({http | tcp | exec, intervalSeconds, …})", (hc) => {
    const failures: Failure[] = [];
    const kinds = ["http", "tcp", "exec"].filter((k) => hc[k] !== undefined);
    if (kinds.length !== 1) failures.push({ property: path, reason: `${POD_MESSAGES.oneHealthCheckKind} (got ${kinds.join(", ") || "none"})` });
    const names = Array.isArray(endpoints) ? (endpoints as JsonObject[]).map((e) => e?.name) : [];
    for (const k of ["http", "tcp"]) {
      const check = hc[k];
      if (!isObject(check)) continue;
      if (!names.includes(check.endpoint)) failures.push({ property: field(field(path, k), "endpoint"), reason: `${show(check.endpoint)} must be ${POD_MESSAGES.healthEndpointKnown} (${names.join(", ") || "none"})` });
    }
    for (const k of HEALTH_TIMINGS) {
      if (hc[k] !== undefined) failures.push(...checkNumber(field(path, k), hc[k], { integer: true, min: 0, max: MAX_INT32 }));
    }
    if (typeof hc.timeoutSeconds === "number" && typeof hc.intervalSeconds === "number" && !(hc.timeoutSeconds < hc.intervalSeconds)) {
      failures.push({ property: field(path, "timeoutSeconds"), reason: `must be less than intervalSeconds (${hc.intervalSeconds}), got ${hc.timeoutSeconds}` });
    }
    return failures;
  });
}

const POD_FIELDS = ["id", "labels", "version", "user", "environment", "containers", "secrets", "volumes", "networks", "scaling", "scheduling", "executorResources"];
const CONTAINER_FIELDS = ["name", "exec", "resources", "endpoints", "image", "environment", "user", "healthCheck", "volumeMounts", "artifacts", "labels", "lifecycle"];
const ENDPOINT_FIELDS = ["name", "containerPort", "hostPort", "protocol", "labels"];

function checkEnv(path: string, value: unknown): Failure[] {
  return checkObject(path, value, "an object of environment variables", (env) =>
    Object.entries(env).flatMap(([k, v]) =>
      typeof v === "string" || (isObject(v) && typeof v.secret === "string") ? [] : [{ property: field(path, k), reason: `must be a string or {secret: name}, got ${show(v)}` }],
    ),
  );
}

function checkResources(path: string, value: unknown): Failure[] {
  return checkObject(path, value, "an object ({cpus, mem, disk?, gpus?})", (r) => [
    ...checkKnownKeys(path, r, ["cpus", "mem", "disk", "gpus"], "resources"),
    ...checkNumber(field(path, "cpus"), r.cpus, { min: 0 }),
    ...checkNumber(field(path, "mem"), r.mem, { min: 0 }),
    ...(r.disk === undefined ? [] : checkNumber(field(path, "disk"), r.disk, { min: 0 })),
    ...(r.gpus === undefined ? [] : checkNumber(field(path, "gpus"), r.gpus, { integer: true, min: 0 })),
  ]);
}

function checkExec(path: string, value: unknown): Failure[] {
  return checkObject(path, value, "an object ({command: {shell} | {argv}})", (e) => [
    ...checkKnownKeys(path, e, ["command", "overrideEntrypoint"], "exec"),
    ...checkObject(field(path, "command"), e.command, "an object ({shell} or {argv})", (c) => {
      const at = field(path, "command");
      if (c.shell !== undefined && c.argv === undefined) return checkString(field(at, "shell"), c.shell, { nonEmpty: true });
      if (c.argv !== undefined && c.shell === undefined) {
        const argv = checkArray(field(at, "argv"), c.argv, "strings", (a, p) => checkString(p, a));
        return argv.length > 0 || (c.argv as unknown[]).length > 0 ? argv : [{ property: field(at, "argv"), reason: "must not be empty" }];
      }
      return [{ property: at, reason: "give exactly one of shell (a string run by /bin/sh -c) or argv (a list)" }];
    }),
  ]);
}

function checkEndpoint(path: string, value: unknown, modes: Set<string>): Failure[] {
  return checkObject(path, value, "an endpoint object ({name, containerPort, hostPort, protocol})", (ep) => {
    const failures = [
      ...checkKnownKeys(path, ep, ENDPOINT_FIELDS, "an endpoint"),
      ...checkString(field(path, "name"), ep.name, NAME_RULE),
      ...(ep.containerPort === undefined ? [] : checkNumber(field(path, "containerPort"), ep.containerPort, { integer: true, min: 1, max: 65535 })),
      ...(ep.hostPort === undefined ? [] : checkNumber(field(path, "hostPort"), ep.hostPort, { integer: true, min: 0, max: 65535 })),
      ...(ep.labels === undefined ? [] : checkStringMap(field(path, "labels"), ep.labels, "label")),
    ];
    if (ep.protocol !== undefined) {
      const protos = checkArray(field(path, "protocol"), ep.protocol, "protocols", (p, at) => checkEnum(at, p, ["tcp", "udp"]));
      failures.push(...protos);
      if (protos.length === 0 && new Set(ep.protocol as string[]).size !== (ep.protocol as string[]).length) {
        failures.push({ property: field(path, "protocol"), reason: POD_MESSAGES.duplicateProtocols });
      }
    }
    if (modes.has("host") && ep.hostPort === undefined) failures.push({ property: field(path, "hostPort"), reason: POD_MESSAGES.hostPortRequired });
    if (modes.has("host") && ep.containerPort !== undefined) failures.push({ property: field(path, "containerPort"), reason: POD_MESSAGES.containerPortNotAllowed });
    if (modes.has("container") && ep.containerPort === undefined) failures.push({ property: field(path, "containerPort"), reason: POD_MESSAGES.containerPortRequired });
    return failures;
  });
}

function checkContainer(path: string, value: unknown, modes: Set<string>, volumes: string[]): Failure[] {
  return checkObject(path, value, "a container object ({name, resources, exec?, image?, endpoints?})", (c) => [
    ...checkKnownKeys(path, c, CONTAINER_FIELDS, "a pod container"),
    ...checkString(field(path, "name"), c.name, NAME_RULE),
    ...checkResources(field(path, "resources"), c.resources),
    ...(c.exec === undefined ? [] : checkExec(field(path, "exec"), c.exec)),
    ...(c.image === undefined ? [] : checkObject(field(path, "image"), c.image, "an object ({kind, id})", (img) => [
      ...checkKnownKeys(field(path, "image"), img, ["kind", "id", "forcePull", "pullConfig"], "image"),
      ...checkEnum(field(field(path, "image"), "kind"), img.kind, ["DOCKER", "APPC"]),
      ...checkString(field(field(path, "image"), "id"), img.id, { nonEmpty: true, maxLength: 1024 }),
    ])),
    ...(c.exec === undefined && c.image === undefined ? [{ property: field(path, "exec"), reason: "a container needs a command (exec) or an image to run" }] : []),
    ...(c.environment === undefined ? [] : checkEnv(field(path, "environment"), c.environment)),
    ...(c.labels === undefined ? [] : checkStringMap(field(path, "labels"), c.labels, "label")),
    ...(c.healthCheck === undefined ? [] : checkPodHealth(field(path, "healthCheck"), c.healthCheck, c.endpoints)),
    ...(c.endpoints === undefined ? [] : checkArray(field(path, "endpoints"), c.endpoints, "endpoints", (ep, at) => checkEndpoint(at, ep, modes))),
    ...(c.volumeMounts === undefined ? [] : checkArray(field(path, "volumeMounts"), c.volumeMounts, "volume mounts", (m, at) =>
      checkObject(at, m, "an object ({name, mountPath})", (vm) => [
        ...checkString(field(at, "name"), vm.name, NAME_RULE),
        ...checkString(field(at, "mountPath"), vm.mountPath, { nonEmpty: true, maxLength: 1024 }),
        ...(typeof vm.name === "string" && !volumes.includes(vm.name) ? [{ property: field(at, "name"), reason: POD_MESSAGES.volumeMountExists }] : []),
      ]))),
  ]);
}

/** As for apps (NetworkValidation): one host network, or 1-to-n named container networks, no duplicates. */
function checkPodNetworks(value: unknown): Failure[] {
  const failures = checkArray("networks", value, "network objects", (n, path) =>
    checkObject(path, n, "a network object ({mode, name?, labels?})", (net) => [
      ...checkKnownKeys(path, net, ["mode", "name", "labels"], "a network"),
      ...(net.mode === undefined ? [] : checkEnum(field(path, "mode"), net.mode, ["container", "host"])),
      ...(net.name === undefined ? [] : checkString(field(path, "name"), net.name, { pattern: NETWORK_NAME, maxLength: NETWORK_NAME_MAX })),
      ...((net.mode ?? "container") === "host" && (net.name !== undefined || net.labels !== undefined) ? [{ property: path, reason: MARATHON.hostNetworkNamed }] : []),
      ...((net.mode ?? "container") === "container" && net.name === undefined ? [{ property: field(path, "name"), reason: MARATHON.networkNameRequired }] : []),
    ]),
  );
  if (failures.length > 0) return failures;
  const nets = value as JsonObject[];
  const host = nets.filter((n) => n.mode === "host").length;
  if (host > 1 || (host === 1 && nets.length > 1)) failures.push({ property: "networks", reason: MARATHON.networkModeMix });
  const names = nets.flatMap((n) => ((n.mode ?? "container") === "container" ? [n.name as string] : []));
  names.forEach((name, i) => {
    if (names.indexOf(name) !== i) failures.push({ property: "networks", reason: `${MARATHON.duplicateNetworks}: "${name}" is declared twice` });
  });
  return failures;
}

function checkScheduling(value: unknown): Failure[] {
  return checkObject("scheduling", value, "an object ({placement, upgrade, backoff, killSelection})", (s) => [
    ...checkKnownKeys("scheduling", s, ["placement", "upgrade", "backoff", "killSelection", "unreachableStrategy"], "scheduling"),
    ...(s.upgrade === undefined ? [] : checkObject("scheduling.upgrade", s.upgrade, "an object ({minimumHealthCapacity, maximumOverCapacity})", (u) => [
      ...checkKnownKeys("scheduling.upgrade", u, ["minimumHealthCapacity", "maximumOverCapacity"], "scheduling.upgrade"),
      ...["minimumHealthCapacity", "maximumOverCapacity"].flatMap((k) => (u[k] === undefined ? [] : checkNumber(field("scheduling.upgrade", k), u[k], { min: 0, max: 1 }))),
    ])),
    ...(s.placement === undefined ? [] : checkObject("scheduling.placement", s.placement, "an object ({constraints, acceptedResourceRoles})", (p) =>
      p.constraints === undefined ? [] : checkArray("scheduling.placement.constraints", p.constraints, "constraints", (c, at) =>
        checkObject(at, c, "an object ({fieldName, operator, value?})", (con) => [
          ...checkString(field(at, "fieldName"), con.fieldName, { nonEmpty: true }),
          ...checkEnum(field(at, "operator"), con.operator, CONSTRAINT_OPERATORS),
          ...(con.value === undefined ? [] : checkString(field(at, "value"), con.value)),
        ])))),
  ]);
}

/** Every rule Marathon applies to a pod definition; failures name the JSON path, Marathon's wording where it has one. */
export function validatePod(value: unknown): Failure[] {
  if (!isObject(value)) return [{ property: "", reason: `a pod must be a JSON object, got ${show(value)}` }];
  const pod = value;
  const failures: Failure[] = [...checkKnownKeys("", pod, POD_FIELDS, "a pod").map((f) => ({ ...f, property: f.property.replace(/^\./, "") }))];
  failures.push(...validateAppId(pod.id, "id").map((f) => ({ ...f, reason: f.reason.replace("the app's path, e.g. /group/app", "the pod's path, e.g. /group/pod").replace("not an app", "not a pod") })));
  if (pod.labels !== undefined) failures.push(...checkStringMap("labels", pod.labels, "label"));
  if (pod.environment !== undefined) failures.push(...checkEnv("environment", pod.environment));
  const networkFailures = pod.networks === undefined ? [] : checkPodNetworks(pod.networks);
  failures.push(...networkFailures);
  // Marathon's default is one host network.
  const nets = networkFailures.length === 0 && Array.isArray(pod.networks) && pod.networks.length > 0 ? (pod.networks as JsonObject[]) : [{ mode: "host" }];
  const modes = new Set(nets.map((n) => String(n.mode ?? "container")));
  const volumeNames = Array.isArray(pod.volumes) ? (pod.volumes as JsonObject[]).flatMap((v) => (isObject(v) && typeof v.name === "string" ? [v.name] : [])) : [];

  if (!Array.isArray(pod.containers) || pod.containers.length === 0) {
    failures.push({ property: "containers", reason: Array.isArray(pod.containers) ? POD_MESSAGES.containersRequired : "is required: a list of at least one container" });
  } else {
    const containers = pod.containers as unknown[];
    failures.push(...containers.flatMap((c, i) => checkContainer(item("containers", i), c, modes, volumeNames)));
    const named = containers.filter(isObject);
    const names = named.map((c) => c.name);
    names.forEach((n, i) => {
      if (names.indexOf(n) !== i) failures.push({ property: field(item("containers", i), "name"), reason: `${POD_MESSAGES.containerNamesUnique}: ${show(n)} is used twice` });
    });
    const endpoints = named.flatMap((c, i) => (Array.isArray(c.endpoints) ? (c.endpoints as unknown[]).filter(isObject).map((ep, j) => ({ ep, at: item(field(item("containers", i), "endpoints"), j) })) : []));
    const unique = (key: string, reason: string, keep: (v: unknown) => boolean = () => true) => {
      const seen = new Map<unknown, string>();
      for (const { ep, at } of endpoints) {
        const v = ep[key];
        if (v === undefined || !keep(v)) continue;
        const first = seen.get(v);
        if (first !== undefined) failures.push({ property: field(at, key), reason: `${reason}: ${show(v)} is also ${first}` });
        else seen.set(v, field(at, key));
      }
    };
    unique("name", POD_MESSAGES.endpointNamesUnique);
    unique("containerPort", POD_MESSAGES.containerPortsUnique);
    unique("hostPort", POD_MESSAGES.hostPortsUnique, (v) => v !== 0);
    if (Array.isArray(pod.volumes)) {
      const mounted = new Set(named.flatMap((c) => (Array.isArray(c.volumeMounts) ? (c.volumeMounts as JsonObject[]).map((m) => m?.name) : [])));
      (pod.volumes as unknown[]).forEach((v, i) => {
        if (isObject(v) && !mounted.has(v.name)) failures.push({ property: item("volumes", i), reason: POD_MESSAGES.volumeReferenced });
      });
      volumeNames.forEach((n, i) => {
        if (volumeNames.indexOf(n) !== i) failures.push({ property: "volumes", reason: `${POD_MESSAGES.volumeNamesUnique}: ${show(n)} is used twice` });
      });
    }
  }
  if (pod.scaling !== undefined) {
    failures.push(...checkObject("scaling", pod.scaling, "an object ({kind: fixed, instances})", (s) => [
      ...checkKnownKeys("scaling", s, ["kind", "instances", "maxInstances"], "scaling"),
      ...(s.kind !== "fixed" ? [{ property: "scaling.kind", reason: `${POD_MESSAGES.fixedScaling} (kind must be fixed, got ${show(s.kind)})` }] : []),
      ...(s.instances === undefined ? [] : checkNumber("scaling.instances", s.instances, { integer: true, min: 0 })),
      ...(s.maxInstances === undefined ? [] : checkNumber("scaling.maxInstances", s.maxInstances, { integer: true, min: 0 })),
    ]));
  }
  if (pod.scheduling !== undefined) failures.push(...checkScheduling(pod.scheduling));
  return failures;
}
