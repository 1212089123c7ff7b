// Why an image pull failed, in three words a user can act on — unreachable, unauthorised, not
// found — read from what the Docker engine answered (its HTTP status and message, or the error
// event of its progress stream). Pure, so the mapping is tested on the engine's exact texts.

export type PullReason = "unreachable" | "unauthorised" | "not found";

// Docker Hub answers an unknown or private repository with one message for both; it says
// "repository does not exist" first, so that is what we report (its text follows).
const NOT_FOUND = [/repository does not exist/i, /manifest unknown/i, /name unknown/i, /\bnot found\b/i, /no such image/i];
const UNAUTHORISED = [
  /unauthori[sz]ed/i, /authentication required/i, /no basic auth credentials/i, /incorrect username or password/i,
  /denied/i, /forbidden/i,
];
const UNREACHABLE = [
  /connection refused/i, /no such host/i, /network is unreachable/i, /no route to host/i, /i\/o timeout/i,
  /timeout/i, /dial tcp/i, /connection reset/i, /tls/i, /x509/i, /server gave http response to https client/i,
  /\blookup\b/i, /\beof\b/i,
];

/** The reason word for an engine's pull error, or undefined when it is none of the three. */
export function classifyPullError(message: string, statusCode?: number): PullReason | undefined {
  if (NOT_FOUND.some((r) => r.test(message))) return "not found";
  if (UNAUTHORISED.some((r) => r.test(message)) || statusCode === 401 || statusCode === 403) return "unauthorised";
  if (UNREACHABLE.some((r) => r.test(message))) return "unreachable";
  if (statusCode === 404) return "not found";
  return undefined;
}

/** dockerode prefixes "(HTTP code 404) unexpected - "; the engine's own words are what help. */
export function engineWords(message: string): string {
  // `[^-]*` takes the spaces after the code too (a `\s*` before it made a long run of spaces
  // quadratic to read).
  return message.replace(/^\(HTTP code \d+\)[^-]*-\s*/, "").trim();
}

export interface PullFailureContext {
  appId: string;
  image: string;
  registry: string;
  /** The pullConfig secret's name, when credentials were sent. */
  pullConfigSecret?: string;
}

/** The message of a failed pull: the image, the registry, the reason, what to do, the engine's words. */
export function pullFailureMessage(ctx: PullFailureContext, engineMessage: string, statusCode?: number): string {
  const reason = classifyPullError(engineMessage, statusCode);
  const hint =
    reason === "unauthorised"
      ? ctx.pullConfigSecret
        ? `; check the credentials for ${ctx.registry} in the docker config of secret ${ctx.pullConfigSecret} (container.docker.pullConfig)`
        : `; give credentials as Marathon does: a docker config in a secret named by container.docker.pullConfig`
      : reason === "not found"
        ? "; check the repository and tag"
        : reason === "unreachable"
          ? `; the Docker engine could not reach ${ctx.registry}`
          : "";
  return `app ${ctx.appId}: image ${ctx.image} could not be pulled from registry ${ctx.registry}: ${reason ?? "failed"}${hint} (engine: ${engineWords(engineMessage)})`;
}
