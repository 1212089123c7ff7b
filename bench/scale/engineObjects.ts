// The networks and containers the project's `pulumi up` made, read back from the engine with every
// option that matters, so the docker CLI and docker-compose runs create exactly the same objects:
// same names, subnets, gateways, bridge options, labels, addresses, aliases, env, command, limits
// and restart policy.
import Docker from "dockerode";

export interface NetworkObject {
  name: string;
  subnet: string;
  gateway: string;
  options: Record<string, string>;
  labels: Record<string, string>;
}

export interface ContainerObject {
  name: string;
  image: string;
  cmd: string[];
  env: Record<string, string>;
  labels: Record<string, string>;
  network: string;
  ip: string;
  aliases: string[];
  memoryBytes: number;
  nanoCpus: number;
  restart: string;
}

export interface EngineObjects {
  networks: NetworkObject[];
  containers: ContainerObject[];
}

/** Env the image sets (busybox's PATH) is not the container's own: the CLI would repeat it otherwise. */
function ownEnv(env: string[], imageEnv: string[]): Record<string, string> {
  const inherited = new Set(imageEnv);
  return Object.fromEntries(env.filter((e) => !inherited.has(e)).map((e) => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)]));
}

export async function captureStack(client: Docker, stack: string): Promise<EngineObjects> {
  const label = [`io.dcos-vnet.stack=${stack}`];
  const networks: NetworkObject[] = [];
  for (const n of await client.listNetworks({ filters: { label } })) {
    const raw: any = await client.getNetwork(n.Id).inspect();
    const ipam = raw.IPAM.Config[0];
    networks.push({ name: raw.Name, subnet: ipam.Subnet, gateway: ipam.Gateway, options: raw.Options ?? {}, labels: raw.Labels ?? {} });
  }
  const containers: ContainerObject[] = [];
  const imageEnv = new Map<string, string[]>();
  for (const c of await client.listContainers({ all: true, filters: { label } })) {
    const raw: any = await client.getContainer(c.Id).inspect();
    if (!imageEnv.has(raw.Image)) imageEnv.set(raw.Image, ((await client.getImage(raw.Image).inspect()) as any).Config?.Env ?? []);
    const [network, ep] = Object.entries<any>(raw.NetworkSettings.Networks)[0];
    containers.push({
      name: raw.Name.replace(/^\//, ""),
      image: raw.Config.Image,
      cmd: raw.Config.Cmd ?? [],
      env: ownEnv(raw.Config.Env ?? [], imageEnv.get(raw.Image)!),
      labels: raw.Config.Labels ?? {},
      network,
      ip: ep.IPAMConfig.IPv4Address,
      // The engine adds the container's short id as an alias of its own.
      aliases: (ep.Aliases ?? []).filter((a: string) => a !== raw.Id.slice(0, 12)),
      memoryBytes: raw.HostConfig.Memory ?? 0,
      nanoCpus: raw.HostConfig.NanoCpus ?? 0,
      restart: raw.HostConfig.RestartPolicy?.Name ?? "no",
    });
  }
  return { networks, containers };
}

/** What an engine holds of these objects now (to check that a run made, or removed, all of them). */
export async function countPresent(client: Docker, objects: EngineObjects): Promise<{ networks: number; running: number }> {
  const names = new Set(objects.networks.map((n) => n.name));
  const nets = (await client.listNetworks()).filter((n) => names.has(n.Name)).length;
  const wanted = new Set(objects.containers.map((c) => c.name));
  const running = (await client.listContainers()).filter((c) => wanted.has(c.Names[0].replace(/^\//, ""))).length;
  return { networks: nets, running };
}
