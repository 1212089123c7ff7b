// A Unix-socket proxy in front of the real Docker engine that passes every call through and
// records it, and can hold chosen calls until the test lets them go: a way to count the Engine API
// calls an operation makes, and to see which calls are in flight at the same time, on the real
// engine. Point a process at it with DOCKER_HOST=<host>.
import * as fs from "fs";
import * as http from "http";
import * as os from "os";
import * as path from "path";
import { forwardToEngine } from "./engineForward";

export interface RecordedCall {
  method: string;
  /** The path without the API version prefix or query: `/containers/create`, `/containers/<id>/start`. */
  path: string;
}

export interface RecordingEngineProxy {
  /** For DOCKER_HOST: `unix:///…/engine.sock`. */
  host: string;
  /** Every call, in the order it arrived. */
  calls: RecordedCall[];
  close(): Promise<void>;
}

/** Holds a call until the promise it returns settles; undefined passes the call at once. */
export type Gate = (call: RecordedCall, calls: RecordedCall[]) => Promise<void> | undefined;

function engineSocket(): string {
  const host = process.env.DOCKER_HOST ?? "";
  if (!host.startsWith("unix://")) throw new Error(`the recording engine proxy needs a Unix-socket engine, DOCKER_HOST is ${host || "unset"}`);
  return host.slice("unix://".length);
}

export async function startRecordingEngineProxy(gate: Gate = () => undefined): Promise<RecordingEngineProxy> {
  const target = engineSocket();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "recording-engine-"));
  const socket = path.join(dir, "engine.sock");
  const calls: RecordedCall[] = [];
  const server = http.createServer(async (req, res) => {
    const call = { method: req.method ?? "GET", path: (req.url ?? "/").replace(/^\/v[\d.]+/, "").split("?")[0] };
    calls.push(call);
    await gate(call, calls);
    forwardToEngine(req, res, target, "recording engine proxy");
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(socket, () => resolve());
  });
  return {
    host: `unix://${socket}`,
    calls,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
