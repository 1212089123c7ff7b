// The Marathon double's HTTP(S) server: parses the body, routes, records every request, answers.
import * as http from "http";
import * as https from "https";
import { AddressInfo } from "net";
import type { Answer, FakeRequest } from "./fakeMarathonTypes";

/** `body` is the parsed JSON, undefined when empty, or the SyntaxError when it does not parse. */
export type Router = (method: string, pathname: string, query: URLSearchParams, auth: string | undefined, body: unknown) => Answer;

export async function serve(tls: { key: string; cert: string } | undefined, route: Router, requests: FakeRequest[]) {
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://fake");
      const raw = Buffer.concat(chunks).toString("utf8");
      let body: unknown;
      let answer: Answer;
      try {
        try {
          body = raw ? JSON.parse(raw) : undefined;
        } catch (err) {
          body = err; // the router answers it (after auth, as Marathon does)
        }
        answer = route(req.method ?? "GET", url.pathname, url.searchParams, req.headers.authorization, body);
      } catch (err) {
        answer = { status: 500, body: { message: String(err) } };
      }
      requests.push({
        method: req.method ?? "",
        path: url.pathname,
        query: url.search,
        authorization: req.headers.authorization,
        body: body instanceof Error ? raw : body,
        status: answer.status,
      });
      const text = answer.text ?? (answer.body === undefined ? "" : JSON.stringify(answer.body));
      res.writeHead(answer.status, {
        "Content-Type": "application/json",
        ...answer.headers,
        "Content-Length": Buffer.byteLength(text),
      });
      res.end(text);
    });
  };
  const server = tls ? https.createServer({ key: tls.key, cert: tls.cert }, handler) : http.createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  return { server, port: (server.address() as AddressInfo).port };
}
