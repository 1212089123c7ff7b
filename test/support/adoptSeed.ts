// A handful of apps and pods posted to the Marathon double over its REST API, as users of a real
// cluster would have posted them: each networking form (1.5+ networks, legacy ipAddress, host,
// bridge), VIP labels, a health check, constraints, a secret, and items this project cannot
// express (a CNI network the overlay master does not know, for an app and a pod).
import * as http from "http";
import type { FakeMarathon } from "./fakeMarathon";

export interface SeedItem {
  /** The file adopt writes for it (apps/ or pods/). */
  file: string;
  /** Whether this project can express it (else: in the report, under not-adopted/). */
  adoptable: boolean;
  body: Record<string, unknown>;
}

const image = (tag = "busybox") => ({ type: "DOCKER", docker: { image: tag } });

export const SEED_APPS: SeedItem[] = [
  {
    file: "web.json",
    adoptable: true,
    body: {
      id: "/web", instances: 2, cpus: 0.1, mem: 64, cmd: "httpd -f -p 80",
      networks: [{ mode: "container", name: "dcos" }],
      container: { ...image(), portMappings: [{ containerPort: 80, name: "http", labels: { VIP_0: "/web:80" } }] },
      healthChecks: [{ protocol: "MESOS_HTTP", portIndex: 0, path: "/" }],
      labels: { team: "web" },
    },
  },
  {
    file: "shop.api.json",
    adoptable: true,
    body: {
      id: "/shop/api", instances: 1, cpus: 0.2, mem: 96, cmd: "sleep 3600",
      ipAddress: { networkName: "prod" },
      container: { type: "DOCKER", docker: { image: "busybox", network: "USER" } },
      env: { MODE: "prod" },
      constraints: [["hostname", "UNIQUE"]],
    },
  },
  {
    file: "host-echo.json",
    adoptable: true,
    body: { id: "/host-echo", instances: 1, cpus: 0.1, mem: 32, cmd: "nc -lk -p $PORT0 -e cat", portDefinitions: [{ port: 0, name: "echo" }] },
  },
  {
    file: "bridge-web.json",
    adoptable: true,
    body: {
      id: "/bridge-web", instances: 1, cpus: 0.1, mem: 32, cmd: "httpd -f -p 80",
      networks: [{ mode: "container/bridge" }],
      container: { ...image(), portMappings: [{ containerPort: 80, hostPort: 0, name: "http" }] },
    },
  },
  {
    file: "db-client.json",
    adoptable: true,
    body: {
      id: "/db-client", instances: 1, cpus: 0.1, mem: 32, cmd: "sleep 3600",
      networks: [{ mode: "container", name: "dcos" }],
      container: image(),
      env: { DB_PASSWORD: { secret: "dbpass" } },
      secrets: { dbpass: { source: "db-password" } },
    },
  },
  {
    file: "calico-app.json",
    adoptable: false,
    body: {
      id: "/calico-app", instances: 1, cpus: 0.1, mem: 32, cmd: "sleep 3600",
      networks: [{ mode: "container", name: "calico" }],
      container: image(),
    },
  },
];

export const SEED_PODS: SeedItem[] = [
  {
    file: "cart.json",
    adoptable: true,
    body: {
      id: "/cart", scaling: { kind: "fixed", instances: 1 },
      networks: [{ mode: "container", name: "dcos" }],
      containers: [{ name: "app", resources: { cpus: 0.1, mem: 32 }, image: { kind: "DOCKER", id: "busybox" }, exec: { command: { shell: "sleep 3600" } } }],
    },
  },
  {
    file: "calico-pod.json",
    adoptable: false,
    body: {
      id: "/calico-pod", scaling: { kind: "fixed", instances: 1 },
      networks: [{ mode: "container", name: "calico" }],
      containers: [{ name: "app", resources: { cpus: 0.1, mem: 32 }, image: { kind: "DOCKER", id: "busybox" }, exec: { command: { shell: "sleep 3600" } } }],
    },
  },
];

function post(url: string, token: string, body: unknown): Promise<number> {
  const payload = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: "POST",
      headers: { authorization: `token=${token}`, "content-type": "application/json", "content-length": String(payload.length) },
    });
    req.on("error", reject);
    req.on("response", (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.end(payload);
  });
}

/** Posts every seed app and pod; throws on any answer but 201. Waits until no deployment runs. */
export async function seedOverHttp(fake: FakeMarathon, token: string): Promise<void> {
  for (const app of SEED_APPS) {
    const status = await post(`${fake.url}/v2/apps`, token, app.body);
    if (status !== 201) throw new Error(`seeding app ${app.body.id}: Marathon double answered ${status}`);
  }
  for (const pod of SEED_PODS) {
    const status = await post(`${fake.url}/v2/pods`, token, pod.body);
    if (status !== 201) throw new Error(`seeding pod ${pod.body.id}: Marathon double answered ${status}`);
  }
  const began = Date.now();
  while (fake.runningDeployments().length > 0) {
    // The double's deployments end on its own timers, in milliseconds: a minute means they never will.
    if (Date.now() - began > 60_000) throw new Error(`the Marathon double's seed deployments still run after 60 s: ${JSON.stringify(fake.runningDeployments())}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
