// The DC/OS overlay master's state, read through Admin Router (`<cluster>/mesos/overlay-master/state`,
// the leading Mesos master's `/overlay-master/state`) with the same credentials and TLS settings as
// Marathon. Only read: nothing here ever writes to the cluster. The answer is checked against the
// `State` message of overlay.proto by the core's parser.
import type { MarathonConnection } from "../../core/marathon/connection";
import { OverlayMasterState, parseOverlayMasterState } from "../../core/overlay/masterState";
import { AUTH_HINT, clusterUrlOf, login } from "./auth";
import { MarathonError, serverMessage } from "./errors";
import { HttpResponse, NetworkError, Transport } from "./http";

export const OVERLAY_STATE_PATH = "/mesos/overlay-master/state";

/** How to reach the cluster: a MarathonConnection's fields (its URL is Marathon's, `<cluster>/service/marathon`). */
export type OverlayMasterConnection = Pick<MarathonConnection, "url" | "token" | "uid" | "password" | "caBundle" | "insecureSkipVerify">;

/**
 * `served: false` when Admin Router answers 404: the cluster runs no overlay master (DC/OS with
 * `dcos_overlay_enable: false`, or a Marathon outside DC/OS). Any other failure throws a
 * MarathonError that names the URL and what to do, never the token or password.
 */
export type OverlayMasterAnswer = { served: true; state: OverlayMasterState } | { served: false; url: string };

/** Belt and braces: a server that echoes a credential must not get it into our messages. */
export function redactor(secrets: () => (string | undefined)[]): (message: string) => string {
  return (message) => {
    let out = message;
    for (const secret of secrets()) if (secret) out = out.split(secret).join("<redacted>");
    return out;
  };
}

export async function readOverlayMasterState(c: OverlayMasterConnection, timeoutMs = 30_000): Promise<OverlayMasterAnswer> {
  const cluster = clusterUrlOf(c.url);
  const url = `${cluster}${OVERLAY_STATE_PATH}`;
  const secrets = [c.token, c.password];
  const redact = redactor(() => secrets);
  const transport = new Transport({ caBundle: c.caBundle, insecureSkipVerify: c.insecureSkipVerify, timeoutMs });
  try {
    const canLogin = Boolean(c.uid && c.password);
    let token = c.token || (canLogin ? await login(transport, cluster, c.uid!, c.password!) : undefined);
    secrets.push(token);
    let res = await get(transport, url, token, redact);
    // A token that has expired: one fresh login, as the Marathon client does.
    if (res.status === 401 && canLogin && c.token) {
      token = await login(transport, cluster, c.uid!, c.password!);
      secrets.push(token);
      res = await get(transport, url, token, redact);
    }
    if (res.status === 404) return { served: false, url };
    if (res.status !== 200) throw refusal(res, url, Boolean(token), redact);
    const parsed = parseOverlayMasterState(res.body);
    if (!parsed.ok) {
      const list = parsed.failures.slice(0, 5).map((f) => `\n  - ${f.property || "(root)"}: ${f.reason}`).join("");
      throw new MarathonError(
        redact(`${url} answered 200 with something that is not the overlay master's State (dcos-mesos-modules overlay/overlay.proto):${list}`),
        "server",
        200,
      );
    }
    return { served: true, state: parsed.value };
  } finally {
    transport.close();
  }
}

async function get(transport: Transport, url: string, token: string | undefined, redact: (m: string) => string): Promise<HttpResponse> {
  try {
    return await transport.request("GET", new URL(url), token ? { authorization: `token=${token}` } : {});
  } catch (err) {
    if (err instanceof NetworkError) throw new MarathonError(redact(`the overlay master at ${url} is unreachable: ${err.detail}`), "unreachable");
    throw err;
  }
}

function refusal(res: HttpResponse, url: string, withToken: boolean, redact: (m: string) => string): MarathonError {
  const said = `${res.status}: ${serverMessage(res.body, res.text)}`;
  if (res.status === 401) {
    return new MarathonError(redact(`Admin Router refused GET ${url} (${said}): the auth token is ${withToken ? "expired or invalid" : "missing"}; ${AUTH_HINT}`), "unauthorized", 401);
  }
  if (res.status === 403) {
    return new MarathonError(
      redact(
        `Admin Router refused GET ${url} (${said}): the token's user may not read the Mesos masters' endpoints, where the overlay ` +
          "master's state is (DC/OS permission dcos:adminrouter:ops:mesos, action full); grant it or use another user's token",
      ),
      "forbidden",
      403,
    );
  }
  return new MarathonError(redact(`the overlay master at ${url} failed GET (${said})`), "server", res.status);
}
