// The user's own Docker engine (DOCKER_HOST as the test run found it, else /var/run/docker.sock).
// Tests never create, change, stop or restart anything there: they read it only to copy the
// busybox image that `npm run setup` built, and to prove they left it alone.
import Docker from "dockerode";
import { listenerOfUnixSocket, startTimeOf } from "./processes";

const CAPTURED = "DCOS_VNET_USER_DOCKER_HOST";

/** Captured once, before the harness points DOCKER_HOST at a private engine. */
export const USER_DOCKER_HOST: string =
  process.env[CAPTURED] || process.env.DOCKER_HOST || "unix:///var/run/docker.sock";
process.env[CAPTURED] = USER_DOCKER_HOST;

/** A dockerode client for a DOCKER_HOST-style address (unix:// or tcp://). */
export function clientFor(host: string): Docker {
  const url = new URL(host);
  if (url.protocol === "unix:") return new Docker({ socketPath: url.pathname });
  if (url.protocol === "tcp:") return new Docker({ host: url.hostname, port: Number(url.port || 2375), protocol: "http" });
  throw new Error(`DOCKER_HOST ${host}: only unix:// and tcp:// addresses are supported by the tests`);
}

/** Read-only use only (info, image export). */
export function userEngineClient(): Docker {
  return clientFor(USER_DOCKER_HOST);
}

/** The socket path of the user's engine when it is a unix socket. */
export function userEngineSocket(): string | undefined {
  const url = new URL(USER_DOCKER_HOST);
  return url.protocol === "unix:" ? url.pathname : undefined;
}

/**
 * The user's dockerd as a process, found as the listener on its socket: pid and start time. A
 * stop or restart of the user's engine would change both.
 */
export function userDockerdProcess(): { pid: number; start: string } {
  const socket = userEngineSocket();
  if (!socket) throw new Error(`the user's engine (${USER_DOCKER_HOST}) is not on a unix socket: its dockerd process cannot be identified`);
  const pid = listenerOfUnixSocket(socket);
  if (!pid) throw new Error(`no process listens on ${socket}: the user's engine is not running (npm run setup starts one)`);
  return { pid, start: startTimeOf(pid) ?? "" };
}
