// A Unix-socket proxy in front of the real Docker engine that answers chosen Engine API calls with
// an error and passes every other call through unchanged: a way to make one real engine operation
// fail (a container removal, say) on an engine other tests share, without stopping or changing it.
// Point a process at it with DOCKER_HOST=<host>.
import * as fs from "fs";
import * as http from "http";
import * as os from "os";
import * as path from "path";
import { forwardToEngine } from "./engineForward";

export interface InjectedFault {
  status: number;
  message: string;
}

export interface FaultyEngineProxy {
  /** For DOCKER_HOST: `unix:///…/engine.sock`. */
  host: string;
  /** "METHOD /path" of every call that was answered with the injected fault. */
  failed: string[];
  close(): Promise<void>;
}

/** The engine the tests use: DOCKER_HOST's socket when it names one, else the default socket. */
function engineSocket(): string {
  const host = process.env.DOCKER_HOST;
  if (!host) return "/var/run/docker.sock";
  if (host.startsWith("unix://")) return host.slice("unix://".length);
  throw new Error(`the faulty engine proxy needs a Unix-socket engine, DOCKER_HOST is ${host}`);
}

export async function startFaultyEngineProxy(fault: (method: string, url: string) => InjectedFault | undefined): Promise<FaultyEngineProxy> {
  const target = engineSocket();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "faulty-engine-"));
  const socket = path.join(dir, "engine.sock");
  const failed: string[] = [];
  const server = http.createServer((req, res) => {
    const injected = fault(req.method ?? "GET", req.url ?? "/");
    if (injected) {
      failed.push(`${req.method} ${req.url}`);
      req.resume();
      res.writeHead(injected.status, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ message: injected.message }));
      return;
    }
    forwardToEngine(req, res, target, "faulty engine proxy");
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(socket, () => resolve());
  });
  return {
    host: `unix://${socket}`,
    failed,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
