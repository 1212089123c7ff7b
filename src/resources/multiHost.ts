// What the resources of a cluster of several Docker hosts are given: the swarm target of its
// networks and each agent's engine. TLS client material is read from the project's files; the
// resources keep it secret (MarathonApp.engines, LocalDockerNetwork.swarm).
import * as pulumi from "@pulumi/pulumi";
import * as fs from "fs";
import * as path from "path";
import type { StackConfig } from "../config/stackConfig";
import { advertiseAddrOf } from "../config/dockerHosts";
import type { EngineRef } from "../backends/docker/engines";
import type { SwarmTarget } from "../backends/docker/swarm";

export interface HostTargets {
  swarm: pulumi.Output<SwarmTarget>;
  engines: pulumi.Output<Record<string, EngineRef>>;
}

/** Undefined for a single-host cluster (nothing changes in its resources' inputs). */
export function hostTargets(config: StackConfig, baseDir: string): HostTargets | undefined {
  const hosts = config.cluster.hosts;
  if (!hosts) return undefined;
  const read = (file: string) => fs.readFileSync(path.resolve(baseDir, file), "utf8");
  const refs = Object.entries(hosts).map(([name, h]) => {
    const advertiseAddr = advertiseAddrOf(h);
    return {
      host: name,
      docker: h.docker,
      ...(advertiseAddr ? { advertiseAddr } : {}),
      ...(h.tls ? { tls: { ca: read(h.tls.ca), cert: read(h.tls.cert), key: read(h.tls.key) } } : {}),
      ...(h.insecure ? { insecure: true } : {}),
    };
  });
  const engines: Record<string, EngineRef> = {};
  for (const [name, h] of Object.entries(hosts)) {
    const { advertiseAddr: _a, ...ref } = refs.find((r) => r.host === name)!;
    for (const agent of h.agents) engines[agent] = ref;
  }
  return {
    swarm: pulumi.output({ mode: config.cluster.swarm ?? "form", hosts: refs }) as pulumi.Output<SwarmTarget>,
    engines: pulumi.output(engines) as pulumi.Output<Record<string, EngineRef>>,
  };
}
