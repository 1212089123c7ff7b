// App ids are slash-separated paths (`/group/app`). Marathon resolves a relative id against the root group,
// so `my-app` means `/my-app`; empty segments (`//`, a trailing `/`) are dropped as Marathon's PathId does
// (PathId("/shop//web/") is /shop/web). We accept such ids, as Marathon does, rather than reject them, and
// absoluteAppId below is the ONE normaliser: validation, the providers, the Docker names and the Marathon
// client all go through it, so an id always names the same app on every call.
import { Failure } from "../common/failure";
import { typeFailure } from "./jsonChecks";
import { MARATHON } from "./messages";
import { APP_ID_SEGMENT, RESERVED_ID_ENDINGS } from "./rules";

export function appIdSegments(id: string): string[] {
  return id.split("/").filter((segment) => segment !== "");
}

/** `my-app` → `/my-app`, `/a//b/` → `/a/b`. Assumes a valid id. */
export function absoluteAppId(id: string): string {
  return `/${appIdSegments(id).join("/")}`;
}

/**
 * One failure at most, for the first problem found. Marathon accepts `.` and `..` segments and resolves them;
 * we reject them anywhere: an app id also names DNS records and Docker containers, where they make no sense.
 */
export function validateAppId(value: unknown, property = "id"): Failure[] {
  const fail = (reason: string): Failure[] => [{ property, reason }];
  if (value === undefined) return fail("is required (the app's path, e.g. /group/app)");
  if (typeof value !== "string") return [typeFailure(property, "a string", value)];
  const segments = appIdSegments(value);
  if (segments.length === 0) return fail(`${MARATHON.notRoot}: ${JSON.stringify(value)} names the root group, not an app`);
  const dotted = segments.find((s) => s === "." || s === "..");
  if (dotted) return fail(`must not contain the relative segment ${JSON.stringify(dotted)}; write the absolute path`);
  const bad = segments.find((s) => !APP_ID_SEGMENT.test(s));
  if (bad !== undefined) {
    return fail(
      `path segment ${JSON.stringify(bad)} must fully match regular expression '${APP_ID_SEGMENT.source}' ` +
        "(lowercase letters, digits, '-' and '.', not starting or ending with '-')",
    );
  }
  const last = segments[segments.length - 1];
  if ((RESERVED_ID_ENDINGS as readonly string[]).includes(last)) return fail(`${MARATHON.reservedIdEnding} (it ends with "${last}")`);
  return [];
}
