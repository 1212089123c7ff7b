// A Marathon answer that is not what the request wanted, as a MarathonError that says what went
// wrong and what to do (auth, permissions, locks, 422 details by JSON path), with secrets redacted.
import { AUTH_HINT } from "./auth";
import { MarathonError, MarathonErrorKind, failuresFromDetails, lockingDeployments, serverMessage } from "./errors";
import type { HttpResponse } from "./http";

export interface CallContext {
  method: "GET" | "POST" | "PUT" | "DELETE";
  path: string;
  query?: string;
  body?: unknown;
  appId?: string;
  /** What appId names, in messages: "app" (default) or "pod". */
  kind?: "app" | "pod";
}

/** What the messages need of the client that sent the request. */
export interface AnsweringClient {
  url: string;
  /** Whether a token was sent (a 401 then means expired or invalid, else missing). */
  hasToken: boolean;
  redact(message: string): string;
}

export function errorForAnswer(res: HttpResponse, ctx: CallContext, client: AnsweringClient): MarathonError {
  const said = `${res.status}: ${serverMessage(res.body, res.text)}`;
  const request = `${ctx.method} ${ctx.path}`;
  const app = ctx.appId ?? "(no id)";
  const make = (kind: MarathonErrorKind, message: string, extra: Partial<Pick<MarathonError, "failures" | "deploymentIds">> = {}) =>
    new MarathonError(client.redact(message), kind, res.status, extra.failures, extra.deploymentIds);

  const details = (res.body as { details?: unknown } | undefined)?.details;
  if (res.status === 400 && typeof details === "string") {
    // MarathonExceptionMapper.scala@releases/1.10: a body that does not parse is 400 {"message": "Invalid JSON", "details": "<parser message>"}.
    return make("invalid", `Marathon at ${client.url} rejected ${ctx.kind ?? "app"} ${app} (${said}: ${details})`, { failures: [{ property: "", reason: `${said}: ${details}` }] });
  }
  if (res.status === 422 || (res.status === 400 && Array.isArray(details))) {
    const failures = failuresFromDetails(details);
    const list = failures.map((f) => `\n  - ${f.property || "(root)"}: ${f.reason}`).join("");
    return make("invalid", `Marathon at ${client.url} rejected ${ctx.kind ?? "app"} ${app} (${said})${list}`, { failures });
  }
  switch (res.status) {
    case 401:
      return make(
        "unauthorized",
        `Marathon at ${client.url} refused ${request} (${said}): the auth token is ` +
          `${client.hasToken ? "expired or invalid" : "missing"}; ${AUTH_HINT}`,
      );
    case 403:
      return make(
        "forbidden",
        `Marathon at ${client.url} refused ${request} (${said}): the token's user lacks permission for ${app} ` +
          "(DC/OS permission dcos:service:marathon:marathon:services:/<group>); grant it or use another user's token",
      );
    case 404:
      return make("not-found", `Marathon at ${client.url} has no ${ctx.appId ? `${ctx.kind ?? "app"} ${app}` : ctx.path} (${said})`);
    case 409: {
      const deploymentIds = lockingDeployments(res.body);
      if (ctx.method !== "POST" && (deploymentIds.length > 0 || /locked/i.test(said))) {
        const which = deploymentIds.length ? deploymentIds.join(", ") : "(ids not reported)";
        return make(
          "locked",
          `${ctx.kind ?? "app"} ${app} is locked by deployment ${which} in Marathon at ${client.url} (${said}); wait for it to finish ` +
            "or set force: true on the MarathonApp to override the running deployment",
          { deploymentIds },
        );
      }
      return make(
        "conflict",
        ctx.method === "POST"
          ? `${ctx.kind === "pod" ? "a pod" : "an app"} with id ${app} already exists in Marathon at ${client.url} (${said})`
          : `Marathon at ${client.url} refused ${request} with a conflict (${said})`,
      );
    }
    default:
      return make("server", `Marathon at ${client.url} failed ${request} (${said})`);
  }
}
