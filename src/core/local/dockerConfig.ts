// Registry credentials from a Docker config JSON (`~/.docker/config.json`'s shape), which is what
// Marathon's `container.docker.pullConfig` secret holds:
//   {"auths": {"registry.example.com:5000": {"auth": "<base64 of user:password>"}}}
// Pure. Failures never quote the config: it is a secret.
import { DOCKER_HUB, Parsed } from "./imageRef";

/** What the Engine API takes in X-Registry-Auth for one registry. */
export interface RegistryAuth {
  username?: string;
  password?: string;
  identitytoken?: string;
  registrytoken?: string;
  serveraddress: string;
}

export interface DockerConfig {
  /** Credentials by registry host[:port] (keys normalised, see registryKey). */
  auths: Record<string, Omit<RegistryAuth, "serveraddress"> & { key: string }>;
}

/** Keys Docker itself writes for Docker Hub. */
const HUB_ALIASES = new Set(["index.docker.io", "registry-1.docker.io", "registry.hub.docker.com", DOCKER_HUB]);

/**
 * A config key as a registry host[:port]: Docker writes `https://index.docker.io/v1/` for Docker
 * Hub and accepts `http(s)://host:port/…` or a bare `host:port` for others.
 */
export function registryKey(key: string): string {
  const host = key.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, "").split("/")[0].toLowerCase();
  return HUB_ALIASES.has(host) ? DOCKER_HUB : host;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Parses and checks the config; `what` names it in failures (e.g. `secret pull (source registry-auth)`). */
export function parseDockerConfig(text: string, what: string): Parsed<DockerConfig> {
  const fail = (rule: string): Parsed<DockerConfig> => ({ ok: false, reason: `${what} must be a Docker config JSON ({"auths": {"<host:port>": {"auth": "<base64 of user:password>"}}}): ${rule}` });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return fail("it is not JSON");
  }
  if (!isObject(json) || !isObject(json.auths)) return fail('it has no "auths" object');
  const auths: DockerConfig["auths"] = {};
  for (const [key, entry] of Object.entries(json.auths)) {
    const at = `auths[${JSON.stringify(key)}]`;
    if (!registryKey(key)) return fail(`${at}: the key must name a registry host[:port]`);
    if (!isObject(entry)) return fail(`${at} must be an object`);
    const strings = ["auth", "username", "password", "identitytoken", "registrytoken"] as const;
    for (const f of strings) {
      if (entry[f] !== undefined && typeof entry[f] !== "string") return fail(`${at}.${f} must be a string`);
    }
    let username = entry.username as string | undefined;
    let password = entry.password as string | undefined;
    if (typeof entry.auth === "string" && entry.auth !== "") {
      const decoded = decodeAuth(entry.auth);
      if (!decoded) return fail(`${at}.auth must be base64 of user:password`);
      ({ username, password } = decoded);
    }
    const identitytoken = entry.identitytoken as string | undefined;
    const registrytoken = entry.registrytoken as string | undefined;
    if (username === undefined && identitytoken === undefined && registrytoken === undefined) {
      return fail(`${at} has no credentials (auth, username and password, identitytoken or registrytoken)`);
    }
    auths[registryKey(key)] = {
      key,
      ...(username !== undefined ? { username } : {}),
      ...(password !== undefined ? { password } : {}),
      ...(identitytoken ? { identitytoken } : {}),
      ...(registrytoken ? { registrytoken } : {}),
    };
  }
  return { ok: true, value: { auths } };
}

function decodeAuth(auth: string): { username: string; password: string } | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(auth.trim())) return undefined;
  const text = Buffer.from(auth.trim(), "base64").toString("utf8");
  const colon = text.indexOf(":");
  if (colon <= 0) return undefined;
  return { username: text.slice(0, colon), password: text.slice(colon + 1) };
}

/** The credentials the config holds for `registry` (host[:port], as ImageRef gives it), if any. */
export function credentialsFor(config: DockerConfig, registry: string): RegistryAuth | undefined {
  const entry = config.auths[registryKey(registry)];
  if (!entry) return undefined;
  const { key, ...auth } = entry;
  return { ...auth, serveraddress: registry === DOCKER_HUB ? key : registry };
}
