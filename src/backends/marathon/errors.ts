import type { Failure } from "../../core/common/failure";

export type MarathonErrorKind =
  | "locked" // 409: a running deployment holds the app
  | "invalid" // 422 (or 400 "Invalid JSON"): the app definition was rejected, see `failures`
  | "unauthorized" // 401: token missing/expired/invalid, or login refused
  | "forbidden" // 403: the token's user may not do this
  | "not-found"
  | "conflict" // 409 on create: the app already exists
  | "timeout" // a deployment did not finish in time
  | "unreachable" // no HTTP answer at all: refused, DNS, TLS, request timeout
  | "server"; // anything else (5xx, unexpected answers)

export class MarathonError extends Error {
  constructor(
    message: string,
    readonly kind: MarathonErrorKind,
    readonly status?: number,
    /** For kind "invalid": one entry per rejected field, as a JSON path into the app definition. */
    readonly failures: Failure[] = [],
    /** For kind "locked" (and "timeout"): the deployment(s) involved. */
    readonly deploymentIds: string[] = [],
  ) {
    super(message);
    this.name = "MarathonError";
  }
}

/**
 * Marathon's validation path (`/container/portMappings(0)/name`, `/id`, `/`, older `self`) as a JSON
 * path into the app definition (`container.portMappings[0].name`, `id`, `` for the root) — the same
 * convention as the core's `Failure.property`, so check() can hand these failures on unchanged.
 */
export function marathonPathToJsonPath(marathonPath: string): string {
  if (marathonPath === "self" || marathonPath === "value") return "";
  let out = "";
  for (const segment of marathonPath.split("/")) {
    if (segment === "") continue;
    const { name, indices } = splitIndices(segment);
    if (name !== "") {
      if (/^[A-Za-z_$][\w$]*$/.test(name)) out += out === "" ? name : `.${name}`;
      else out += `[${JSON.stringify(name)}]`; // env keys such as "FOO.BAR"
    }
    for (const i of indices) out += `[${i}]`;
  }
  return out;
}

/**
 * A path segment's name and its trailing `(n)` indices (`portMappings(0)` → portMappings, [0]),
 * scanned from the end: a pattern such as /^(.*?)((?:\(\d+\))*)$/ takes quadratic time on a
 * long segment, and these come from whatever Marathon answers.
 */
function splitIndices(segment: string): { name: string; indices: string[] } {
  const indices: string[] = [];
  let end = segment.length;
  while (end > 0 && segment[end - 1] === ")") {
    const open = segment.lastIndexOf("(", end - 1);
    const digits = segment.slice(open + 1, end - 1);
    if (open < 0 || !/^\d+$/.test(digits)) break;
    indices.unshift(digits);
    end = open;
  }
  return { name: segment.slice(0, end), indices };
}

/** Marathon's `details: [{path, errors: [..]}]` as one failure per error message. */
export function failuresFromDetails(details: unknown): Failure[] {
  if (!Array.isArray(details)) return [];
  const failures: Failure[] = [];
  for (const d of details) {
    const path = typeof d?.path === "string" ? d.path : "";
    const errors: unknown[] = Array.isArray(d?.errors) ? d.errors : [d?.errors ?? d?.error ?? "invalid"];
    for (const e of errors) failures.push({ property: marathonPathToJsonPath(path), reason: String(e) });
  }
  return failures;
}

/** The human-readable part of an error body: Marathon says `message`, DC/OS IAM says `description`. */
export function serverMessage(body: unknown, text: string): string {
  const b = body as { message?: unknown; description?: unknown; title?: unknown } | undefined;
  if (typeof b?.message === "string") return b.message;
  if (typeof b?.description === "string") return b.description;
  if (typeof b?.title === "string") return b.title;
  return text.trim().slice(0, 300);
}

/** Deployment ids from a 409 "App is locked" body: `deployments: [{id}]`. */
export function lockingDeployments(body: unknown): string[] {
  const deployments = (body as { deployments?: unknown })?.deployments;
  if (!Array.isArray(deployments)) return [];
  return deployments.map((d) => d?.id).filter((id): id is string => typeof id === "string");
}
