import * as fs from "fs";
import * as path from "path";

// What the scale benchmark declares at each size: N virtual networks on 3 agents, and A apps
// spread evenly over them, each one instance of a seed-app-like definition (a Docker container
// with a named port, an env var, a command). The same declaration is what the engine floor, the
// docker CLI and docker-compose reproduce.

export interface Size {
  networks: number;
  apps: number;
}

export const SIZES: Size[] = [
  { networks: 5, apps: 20 },
  { networks: 20, apps: 100 },
];

export const AGENTS = ["agent-1", "agent-2", "agent-3"];

export const sizeLabel = (s: Size) => `${s.networks} × ${s.apps}`;

export function networkName(i: number): string {
  return `sc-${i}`;
}

/** App j of the stack, on network j mod N, so every network carries A/N apps. */
export function appDefinition(j: number, size: Size, instances = 1, revision = 0): Record<string, unknown> {
  const net = networkName(j % size.networks);
  return {
    id: `/bench/${net}/web-${j}`,
    cmd: "exec sleep 3600",
    cpus: 0.01,
    mem: 16,
    instances,
    env: { TIER: "web", REVISION: String(revision) },
    container: {
      type: "DOCKER",
      docker: { image: "busybox" },
      portMappings: [{ containerPort: 80, name: "http" }],
    },
    networks: [{ mode: "container", name: net }],
  };
}

/**
 * Writes each app's definition to `<dir>/app-<j>.json`, as this repository's stacks keep theirs
 * (`apps: [{file: …}]`); `change` edits app 0 (a new revision, or a new instance count).
 */
export function writeApps(dir: string, size: Size, change: { revision?: number; instances?: number } = {}): void {
  for (let j = 0; j < size.apps; j++) {
    const app = j === 0 ? appDefinition(j, size, change.instances ?? 1, change.revision ?? 0) : appDefinition(j, size);
    fs.writeFileSync(path.join(dir, `app-${j}.json`), JSON.stringify(app, null, 1));
  }
}

/**
 * The `dcos-vnet:` stack config of a size, apps by file. (Apps written inline in the stack's
 * config would also land, all of them, in the state of Pulumi's dynamic-provider resource, which
 * receives the stack's whole config: files keep the config small.)
 */
export function stackConfig(size: Size, appsDir: string): Record<string, unknown> {
  return {
    cluster: { agents: AGENTS },
    networks: Array.from({ length: size.networks }, (_, i) => ({ name: networkName(i), subnet: `9.${100 + i}.0.0/16`, prefix: 24 })),
    apps: Array.from({ length: size.apps }, (_, j) => ({ file: path.join(appsDir, `app-${j}.json`) })),
  };
}

/** Custom resources the project declares at a size: a VirtualNetwork and a LocalDockerNetwork per network, one MarathonApp per app. */
export function customResources(size: Size): number {
  return 2 * size.networks + size.apps;
}
