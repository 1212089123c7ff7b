// What the tests' Engine API proxies share: passing a request on to the real engine's socket.
import * as http from "http";

/** Forwards one request to the engine at `socketPath`; a failure to reach it answers 502 naming `who`. */
export function forwardToEngine(req: http.IncomingMessage, res: http.ServerResponse, socketPath: string, who: string): void {
  const upstream = http.request({ socketPath, method: req.method, path: req.url, headers: req.headers }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  upstream.on("error", (err) => {
    res.writeHead(502, { "Content-Type": "application/json" });
    res.end(JSON.stringify({ message: `${who}: ${err.message}` }));
  });
  req.pipe(upstream);
}
