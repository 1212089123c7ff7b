import { stripTrailingSlashes } from "../../core/common/text";
import { MarathonError } from "./errors";
import { NetworkError, Transport } from "./http";

const MARATHON_SUFFIX = "/service/marathon";

/** Marathon's root on a DC/OS cluster: `<cluster>/service/marathon` (Admin Router's route). */
export function dcosMarathonUrl(clusterUrl: string): string {
  return stripSlashes(clusterUrl) + MARATHON_SUFFIX;
}

/** The DC/OS cluster behind a Marathon URL (the URL with a trailing `/service/marathon` removed). */
export function clusterUrlOf(marathonUrl: string): string {
  const url = stripSlashes(marathonUrl);
  return url.endsWith(MARATHON_SUFFIX) ? url.slice(0, -MARATHON_SUFFIX.length) : url;
}

export function stripSlashes(url: string): string {
  return stripTrailingSlashes(url);
}

/** How to configure credentials; appended to every auth error. */
export const AUTH_HINT =
  "set the Marathon target's token (a DC/OS auth token, e.g. `dcos config show core.dcos_acs_token`) " +
  "or uid/password of a DC/OS user so a token is obtained from <cluster>/acs/api/v1/auth/login";

/**
 * Logs in to DC/OS IAM (`POST <cluster>/acs/api/v1/auth/login` with `{uid, password}` → `{token}`).
 * Neither the password nor the token ever appears in an error message.
 */
export async function login(transport: Transport, clusterUrl: string, uid: string, password: string): Promise<string> {
  const url = new URL(`${stripSlashes(clusterUrl)}/acs/api/v1/auth/login`);
  let res;
  try {
    res = await transport.request("POST", url, {}, { uid, password });
  } catch (err) {
    if (err instanceof NetworkError) {
      throw new MarathonError(`DC/OS login at ${url} is unreachable: ${err.detail}`, "unreachable");
    }
    throw err;
  }
  const token = (res.body as { token?: unknown } | undefined)?.token;
  if (res.status === 200 && typeof token === "string" && token !== "") return token;
  if (res.status === 401 || res.status === 403) {
    throw new MarathonError(
      `DC/OS login as uid "${uid}" at ${url} was refused (${res.status}): wrong uid or password; ${AUTH_HINT}`,
      "unauthorized",
      res.status,
    );
  }
  throw new MarathonError(
    `DC/OS login at ${url} answered ${res.status} without a token; is ${clusterUrl} a DC/OS cluster?`,
    "server",
    res.status,
  );
}
