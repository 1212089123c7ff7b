// Safe reads of the parts of an unvalidated app that several checks share.
import { ContainerType } from "./types";
import { isObject, JsonObject } from "./jsonChecks";
import { APP_DEFAULTS, CONTAINER_TYPES } from "./rules";

export function containerOf(app: JsonObject): JsonObject | undefined {
  return isObject(app.container) ? app.container : undefined;
}

export function dockerOf(app: JsonObject): JsonObject | undefined {
  const container = containerOf(app);
  return container && isObject(container.docker) ? container.docker : undefined;
}

/** The declared engine (DOCKER when a container omits `type`, as in Marathon's RAML); undefined without a usable container. */
export function containerTypeOf(app: JsonObject): ContainerType | undefined {
  const container = containerOf(app);
  if (!container) return undefined;
  if (container.type === undefined) return APP_DEFAULTS.containerType;
  return (CONTAINER_TYPES as readonly unknown[]).includes(container.type) ? (container.type as ContainerType) : undefined;
}

/** Marathon treats an absent and an empty array alike in most "both given" rules. */
export function isNonEmptyArray(value: unknown): value is unknown[] {
  return Array.isArray(value) && value.length > 0;
}
