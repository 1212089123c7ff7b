// Which Docker engine an Engine API call goes to. A single-host cluster has one engine, the one
// DOCKER_HOST names (today's default, unchanged). On a cluster of several Docker hosts each agent
// names its host's engine, and the backend runs each piece of work "on" that engine: the engine is
// carried by AsyncLocalStorage through the awaits of that work, so every existing Engine API
// helper (containers.ts, networks.ts) talks to the right host without being passed a client, and
// every failure names the host (see client.ts engineAddress()).
import { AsyncLocalStorage } from "async_hooks";

/** One Docker host of a multi-host cluster, as the providers receive it. */
export interface EngineRef {
  /** The host's name in the cluster config (host-1, …): what errors call it. */
  host: string;
  /** unix:///path/docker.sock, or tcp://address:port (https when tls is given). */
  docker: string;
  /** PEM client material for a tcp:// engine started with --tlsverify (kept secret in state). */
  tls?: { ca: string; cert: string; key: string };
  /** A tcp:// engine without tls that its host config reaches over plain HTTP by choice (`insecure: true`). */
  insecure?: boolean;
}

const current = new AsyncLocalStorage<EngineRef>();

/** Runs `work` with every Engine API call in it going to `engine` (no engine: DOCKER_HOST's). */
export function onEngine<T>(engine: EngineRef | undefined, work: () => Promise<T>): Promise<T> {
  return engine ? current.run(engine, work) : work();
}

/** The engine of the work in progress, if it was given one. */
export function currentEngine(): EngineRef | undefined {
  return current.getStore();
}

/** Distinct engines (by address), in first-seen order. */
export function distinctEngines(engines: Array<EngineRef | undefined>): EngineRef[] {
  const seen = new Map<string, EngineRef>();
  for (const e of engines) if (e && !seen.has(e.docker)) seen.set(e.docker, e);
  return [...seen.values()];
}
