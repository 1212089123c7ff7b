// Marathon's answer to a GET of an app or pod, before anything compares it with a definition:
// the one place that says which fields are Marathon's own bookkeeping and how an unset field is
// rendered. The provider's refresh (backends/marathon) and adopt's files (core/adopt) both use it,
// so what adopt writes is compared exactly as every later diff compares it.

type Json = Record<string, unknown>;

/** Fields of an app answer that Marathon keeps for itself (status, history), never part of a definition. */
export const APP_READ_ONLY = [
  "version", "versionInfo", "tasksStaged", "tasksRunning", "tasksHealthy", "tasksUnhealthy", "deployments", "tasks",
  "lastTaskFailure", "readinessCheckResults", "taskStats", "counts",
];

/** Fields of a pod answer that are status, not definition (`/v2/pods` and `/v2/pods/::status`). */
export const POD_READ_ONLY = ["version", "status", "statusSince", "lastUpdated", "lastChanged", "instances", "terminationHistory", "message"];

/**
 * Marathon renders an unset optional field as null (`"cmd": null`, `"user": null`): the same as
 * absent in a definition, so it is dropped before comparing, or every refresh would show drift.
 */
export function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, withoutNulls(v)]));
}

/** An app answer as a definition: no nulls, no read-only fields. */
export function appOfAnswer(answer: Json): Json {
  const app = withoutNulls(answer) as Json;
  for (const k of APP_READ_ONLY) delete app[k];
  return app;
}
