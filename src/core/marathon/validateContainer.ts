// Container rules: engine type, the Docker image and options, and what each containerizer refuses
// (AppValidation's validOldContainerAPI / validContainer). docker.network and port mappings live elsewhere.
import { Failure } from "../common/failure";
import { containerTypeOf } from "./appView";
import {
  checkArray, checkBoolean, checkEnum, checkKnownKeys, checkObject, checkString, JsonObject,
} from "./jsonChecks";
import { MARATHON } from "./messages";
import { field } from "./paths";
import { CONTAINER_TYPES } from "./rules";

const CONTAINER_FIELDS = ["type", "docker", "portMappings", "volumes", "appc"];
const DOCKER_FIELDS = ["image", "network", "portMappings", "parameters", "privileged", "forcePullImage", "credential", "pullConfig"];

function checkParameter(value: unknown, path: string): Failure[] {
  return checkObject(path, value, 'a {"key", "value"} object', (p) => [
    ...checkKnownKeys(path, p, ["key", "value"], "a docker parameter"),
    ...(p.key === undefined ? [{ property: field(path, "key"), reason: "is required" }] : checkString(field(path, "key"), p.key, { nonEmpty: true })),
    ...(p.value === undefined ? [{ property: field(path, "value"), reason: "is required" }] : checkString(field(path, "value"), p.value)),
  ]);
}

/** Volumes have several Marathon shapes (host, persistent, external, secret); all have a containerPath. */
function checkVolume(value: unknown, path: string): Failure[] {
  return checkObject(path, value, "a volume object", (v) => [
    ...(v.containerPath === undefined
      ? [{ property: field(path, "containerPath"), reason: "is required" }]
      : checkString(field(path, "containerPath"), v.containerPath, { nonEmpty: true })),
    ...(v.hostPath === undefined ? [] : checkString(field(path, "hostPath"), v.hostPath, { nonEmpty: true })),
    ...(v.mode === undefined ? [] : checkEnum(field(path, "mode"), v.mode, ["RO", "RW"])),
  ]);
}

/** Marathon's secrets validator: the pull config's secret must be one the app declares. */
function checkPullConfigSecret(path: string, secret: unknown, secrets: unknown): Failure[] {
  const declared = typeof secret === "string" && typeof secrets === "object" && secrets !== null && Object.prototype.hasOwnProperty.call(secrets, secret);
  return declared ? [] : [{ property: path, reason: MARATHON.pullConfigSecretMissing }];
}

function checkDocker(value: unknown, engine: string | undefined, secrets: unknown): Failure[] {
  const path = "container.docker";
  const mesosOnly = (key: string, hint: string): Failure => ({ property: field(path, key), reason: `must be empty when container.type is MESOS (${hint})` });
  return checkObject(path, value, "an object ({image, parameters, privileged, forcePullImage})", (d) => [
    ...checkKnownKeys(path, d, DOCKER_FIELDS, "container.docker"),
    ...(d.image === undefined
      ? [{ property: field(path, "image"), reason: "is required: the Docker image to run" }]
      : checkString(field(path, "image"), d.image, { nonEmpty: true })),
    ...(d.parameters === undefined ? [] : engine === "MESOS"
      ? [mesosOnly("parameters", "Docker CLI parameters need the DOCKER containerizer")]
      : checkArray(field(path, "parameters"), d.parameters, "parameters", checkParameter)),
    ...(d.portMappings !== undefined && engine === "MESOS" ? [mesosOnly("portMappings", "use container.portMappings")] : []),
    ...(d.privileged === undefined ? [] : checkBoolean(field(path, "privileged"), d.privileged)),
    ...(d.forcePullImage === undefined ? [] : checkBoolean(field(path, "forcePullImage"), d.forcePullImage)),
    ...(d.credential === undefined ? [] : [{ property: field(path, "credential"), reason: "must be empty: docker credentials are no longer supported by Marathon (use pullConfig with a MESOS container)" }]),
    ...(d.pullConfig === undefined ? [] : engine === "DOCKER"
      ? [{ property: field(path, "pullConfig"), reason: MARATHON.pullConfigWithDocker }]
      : checkObject(field(path, "pullConfig"), d.pullConfig, 'a {"secret"} object', (p) => {
          const bad = checkString(field(path, "pullConfig.secret"), p.secret, { nonEmpty: true });
          return bad.length > 0 ? bad : checkPullConfigSecret(field(path, "pullConfig"), p.secret, secrets);
        })),
  ]);
}

export function validateContainer(app: JsonObject): Failure[] {
  if (app.container === undefined) return [];
  const engine = containerTypeOf(app);
  const failures = checkObject("container", app.container, "an object ({type, docker, portMappings, volumes})", (c) => [
    ...checkKnownKeys("container", c, CONTAINER_FIELDS, "a Marathon container"),
    ...(c.appc === undefined ? [] : [{ property: "container.appc", reason: "AppC images are not supported by this project; use container.docker" }]),
    ...(c.type === undefined ? [] : checkEnum("container.type", c.type, CONTAINER_TYPES)),
    ...(c.volumes === undefined ? [] : checkArray("container.volumes", c.volumes, "volume objects", checkVolume)),
    ...(c.docker !== undefined ? checkDocker(c.docker, engine, app.secrets)
      : engine === "DOCKER" ? [{ property: "container.docker", reason: "is required for a DOCKER container (at least docker.image)" }] : []),
  ]);
  if (engine === "DOCKER" && typeof app.gpus === "number" && app.gpus > 0) failures.push({ property: "gpus", reason: MARATHON.gpusWithDocker });
  return failures;
}
