// `dcos-vnet:cluster.hosts` and `cluster.swarm`: a local cluster spread over several Docker hosts.
// Each host names its engine (unix socket, or tcp:// with TLS client certificates: plain tcp:// only
// with `insecure: true`, see core/local/engineTransport) and the agents it runs; the virtual networks become swarm overlay networks spanning the hosts. Without `hosts`
// the cluster is today's single local engine (DOCKER_HOST), with nothing changed in any input.
import { Failure } from "../core/common/failure";
import { insecureFieldReason, plainTcpReason } from "../core/local/engineTransport";

export interface DockerHostConfig {
  /** unix:///path/docker.sock or tcp://address:port. */
  docker: string;
  /** The agents whose containers run on this host. */
  agents: string[];
  /** The host's address the other hosts reach it at (swarm --advertise-addr); from a tcp:// endpoint by default. */
  advertiseAddr?: string;
  /** PEM files (relative to the project) of a tcp:// engine started with --tlsverify. */
  tls?: { ca: string; cert: string; key: string };
  /** A tcp:// engine without tls, reached over plain HTTP by choice (warned about on every run). */
  insecure?: boolean;
}

/** form: the project inits a swarm on the first host and joins the others; existing: the hosts already are one swarm. */
export type SwarmMode = "form" | "existing";

const HOST_KEYS = new Set(["docker", "agents", "advertiseAddr", "tls", "insecure"]);
const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

/** The host's advertise address: given, or the address of its tcp:// endpoint. */
export function advertiseAddrOf(host: DockerHostConfig): string | undefined {
  if (host.advertiseAddr) return host.advertiseAddr;
  try {
    const url = new URL(host.docker);
    return url.protocol === "tcp:" && IPV4.test(url.hostname) ? url.hostname : undefined;
  } catch {
    return undefined;
  }
}

/** Failures of `hosts` and `swarm`, named under `at` (e.g. `dcos-vnet:cluster`). */
export function validateDockerHosts(hosts: unknown, swarm: unknown, agents: string[], target: string, at: string): Failure[] {
  const failures: Failure[] = [];
  const fail = (property: string, reason: string) => failures.push({ property: `${at}.${property}`, reason });
  if (hosts === undefined) {
    if (swarm !== undefined) fail("swarm", "swarm needs hosts: it joins the hosts' engines into one overlay");
    return failures;
  }
  if (target !== "local") fail("hosts", "hosts apply to the local (Docker-backed) cluster only (target: local)");
  if (!hosts || typeof hosts !== "object" || Array.isArray(hosts) || Object.keys(hosts).length === 0) {
    fail("hosts", "hosts must be a map of host name → {docker, agents, advertiseAddr?, tls?}");
    return failures;
  }
  if (swarm !== undefined && swarm !== "form" && swarm !== "existing") {
    fail("swarm", `swarm must be form (this project inits and joins the swarm) or existing, got ${JSON.stringify(swarm)}`);
  }
  const hostOf = new Map<string, string>();
  for (const [name, raw] of Object.entries(hosts as Record<string, unknown>)) {
    const here = `hosts.${name}`;
    if (!/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(name)) fail(here, "a host name must be a DNS label (lower case letters, digits, -)");
    if (!raw || typeof raw !== "object" || Array.isArray(raw)) {
      fail(here, "a host must be {docker, agents, advertiseAddr?, tls?}");
      continue;
    }
    const h = raw as Record<string, unknown>;
    for (const k of Object.keys(h)) if (!HOST_KEYS.has(k)) fail(`${here}.${k}`, `unknown field ${k} (known: ${[...HOST_KEYS].join(", ")})`);
    if (typeof h.docker !== "string" || !/^(unix:\/\/\/.+|tcp:\/\/[^/]+)$/.test(h.docker)) {
      fail(`${here}.docker`, `docker must be unix:///path/to/docker.sock or tcp://address:port, got ${JSON.stringify(h.docker)}`);
    }
    if (h.tls !== undefined) {
      const tls = h.tls as Record<string, unknown>;
      if (!tls || typeof tls !== "object" || ["ca", "cert", "key"].some((k) => typeof tls[k] !== "string")) {
        fail(`${here}.tls`, "tls must be {ca, cert, key}: PEM file paths relative to the project");
      } else if (typeof h.docker === "string" && !h.docker.startsWith("tcp://")) fail(`${here}.tls`, "tls applies to a tcp:// endpoint");
    }
    const insecure = insecureFieldReason(h);
    if (insecure) fail(`${here}.insecure`, insecure);
    const plain = plainTcpReason(h);
    if (plain) fail(`${here}.docker`, plain);
    if (h.advertiseAddr !== undefined && (typeof h.advertiseAddr !== "string" || !IPV4.test(h.advertiseAddr))) {
      fail(`${here}.advertiseAddr`, `advertiseAddr must be an IPv4 address, got ${JSON.stringify(h.advertiseAddr)}`);
    }
    if ((swarm ?? "form") === "form" && typeof h.docker === "string" && h.advertiseAddr === undefined && !advertiseAddrOf(h as unknown as DockerHostConfig)) {
      fail(`${here}.advertiseAddr`, "swarm: form needs each host's advertiseAddr (the address the other hosts reach it at) unless docker is tcp://<IPv4>");
    }
    if (!Array.isArray(h.agents) || h.agents.length === 0 || h.agents.some((a) => typeof a !== "string")) {
      fail(`${here}.agents`, "agents must be a non-empty list of the cluster's agent ids");
      continue;
    }
    for (const a of h.agents as string[]) {
      if (!agents.includes(a)) fail(`${here}.agents`, `agent ${a} is not among the cluster's agents (${agents.join(", ")})`);
      else if (hostOf.has(a)) fail(`${here}.agents`, `agent ${a} is already on host ${hostOf.get(a)}: an agent runs on one host`);
      else hostOf.set(a, name);
    }
  }
  const unplaced = agents.filter((a) => !hostOf.has(a));
  if (unplaced.length > 0 && failures.length === 0) fail("hosts", `agents ${unplaced.join(", ")} are on no host: list each agent under one host's agents`);
  return failures;
}
