// One small JSON-over-HTTP(S) transport on node:http/node:https, used for both schemes.
//
// Why not the global fetch: a custom CA bundle (DC/OS clusters serve a cert from their own CA) needs
// fetch's `dispatcher` option with an undici `Agent`, and Node 20 does not expose the Agent of its
// bundled undici; the `undici` package is not a dependency of this project (it is only present
// transitively), so importing it would be a hidden dependency. node:https takes `ca` and
// `rejectUnauthorized` directly. Using the same transport for http:// keeps one code path (timeouts,
// error codes such as ECONNREFUSED) for the tests against the local fake and for real clusters.
import * as http from "node:http";
import * as https from "node:https";
import * as tls from "node:tls";

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** The JSON body, or undefined when the body is empty or not JSON. */
  body: unknown;
}

export interface TransportOptions {
  /** PEM text of extra CA certificate(s), trusted in addition to Node's public roots. */
  caBundle?: string;
  insecureSkipVerify?: boolean;
  /** Whole-exchange limit per request (connect, send, read the answer). */
  timeoutMs: number;
}

/** No HTTP answer at all (refused, DNS, TLS, timeout). `detail` never contains request headers. */
export class NetworkError extends Error {
  constructor(
    readonly code: string,
    readonly detail: string,
  ) {
    super(detail);
    this.name = "NetworkError";
  }
}

const TLS_CODE = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/;

export class Transport {
  private readonly httpAgent = new http.Agent({ keepAlive: true });
  private readonly httpsAgent: https.Agent;

  constructor(private readonly opts: TransportOptions) {
    this.httpsAgent = new https.Agent({
      keepAlive: true,
      ca: opts.caBundle ? [...tls.rootCertificates, opts.caBundle] : undefined,
      rejectUnauthorized: !opts.insecureSkipVerify,
    });
  }

  request(method: string, url: URL, headers: Record<string, string>, body?: unknown): Promise<HttpResponse> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const secure = url.protocol === "https:";
    const requestHeaders: Record<string, string> = { accept: "application/json", ...headers };
    if (payload) {
      requestHeaders["content-type"] = "application/json";
      requestHeaders["content-length"] = String(payload.length);
    }
    return new Promise<HttpResponse>((resolve, reject) => {
      let settled = false;
      const settle = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        outcome();
      };
      const fail = (err: unknown) => settle(() => reject(toNetworkError(err)));
      const req = (secure ? https : http).request(url, {
        method,
        headers: requestHeaders,
        agent: secure ? this.httpsAgent : this.httpAgent,
      });
      const timer = setTimeout(() => {
        fail(new NetworkError("ETIMEDOUT", `no answer within ${this.opts.timeoutMs} ms`));
        req.destroy();
      }, this.opts.timeoutMs);
      req.on("error", fail);
      req.on("response", (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", fail);
        res.on("close", () => {
          if (!res.complete) fail(new NetworkError("ECONNRESET", "connection closed before the whole answer arrived"));
        });
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let parsed: unknown;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            parsed = undefined;
          }
          settle(() => resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body: parsed }));
        });
      });
      req.end(payload);
    });
  }

  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}

function toNetworkError(err: unknown): NetworkError {
  if (err instanceof NetworkError) return err;
  const code = String((err as NodeJS.ErrnoException)?.code ?? "EUNKNOWN");
  const message = (err as Error)?.message ?? String(err);
  if (TLS_CODE.test(code)) {
    return new NetworkError(
      code,
      `TLS certificate not trusted (${code}: ${message}); pass the cluster's CA as caBundle ` +
        "(DC/OS serves it at <cluster>/ca/dcos-ca.crt) or, for a throwaway cluster only, insecureSkipVerify",
    );
  }
  return new NetworkError(code, `${code}: ${message}`);
}
