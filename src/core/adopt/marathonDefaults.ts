// Marathon's defaults by version, for writing an adopted app the way a user would have: a field
// Marathon filled in with the default of the cluster's own version is left out of the file, so the
// file says what someone chose. Only defaults that hold across the versions DC/OS shipped, or whose
// version is known, are dropped: a value equal to another version's default is kept (an app posted
// to Marathon 1.5 shows maxLaunchDelaySeconds 3600, which Marathon 1.10 would not fill in).
// Sources: Marathon's RAML (docs/docs/rest-api/public/api/v2/types/app.raml, unreachableStrategy.raml)
// on branches releases/1.5 … releases/1.10.

/** `maxLaunchDelaySeconds`' default: 3600 up to Marathon 1.7, 300 from 1.8 (app.raml). */
export function maxLaunchDelayDefault(version: string | undefined): number | undefined {
  const v = parseVersion(version);
  if (!v) return undefined;
  return v.major > 1 || (v.major === 1 && v.minor >= 8) ? 300 : 3600;
}

/** Top-level app fields whose default is the same in Marathon 1.5 to 1.10. */
export const APP_SCALAR_DEFAULTS: Record<string, unknown> = {
  disk: 0,
  gpus: 0,
  backoffSeconds: 1,
  backoffFactor: 1.15,
  requirePorts: false,
  killSelection: "YOUNGEST_FIRST",
  executor: "",
  upgradeStrategy: { minimumHealthCapacity: 1, maximumOverCapacity: 1 },
  unreachableStrategy: { inactiveAfterSeconds: 0, expungeAfterSeconds: 0 },
};

/** Fields whose empty value is what Marathon shows when none was given. */
export const EMPTY_BY_DEFAULT = [
  "env", "labels", "secrets", "constraints", "uris", "fetch", "storeUrls", "dependencies", "healthChecks",
  "readinessChecks", "acceptedResourceRoles",
];

/** `container.docker` fields and their defaults. */
export const DOCKER_DEFAULTS: Record<string, unknown> = { privileged: false, forcePullImage: false, parameters: [] };

function parseVersion(version: string | undefined): { major: number; minor: number } | undefined {
  const m = /^(\d+)\.(\d+)/.exec(version ?? "");
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : undefined;
}
