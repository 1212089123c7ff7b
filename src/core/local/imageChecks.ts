// What a local app's image needs, checked at preview: a reference the engine can parse, and, when
// the app names a pullConfig secret, that secret's value among the stack's secrets and a Docker
// config JSON. (Marathon's own rule, that pullConfig.secret names a declared secret, is in
// validateContainer and holds on every target.)
import { Failure } from "../common/failure";
import { AppDefinition } from "../marathon/types";
import { parseDockerConfig } from "./dockerConfig";
import { parseImageRef } from "./imageRef";

/** The pullConfig secret's name and source, when the app has one that is declared. */
export function pullConfigOf(app: AppDefinition): { secret: string; source: string } | undefined {
  const secret = app.container?.docker?.pullConfig?.secret;
  const source = secret === undefined ? undefined : app.secrets?.[secret]?.source;
  return secret !== undefined && typeof source === "string" ? { secret, source } : undefined;
}

export function checkLocalImage(
  app: AppDefinition,
  secretEnv: Record<string, string>,
  secretEnvUnknown: boolean,
  isUnknown: (v: unknown) => boolean,
): Failure[] {
  const failures: Failure[] = [];
  const image = app.container?.docker?.image;
  if (typeof image === "string" && !isUnknown(image)) {
    const parsed = parseImageRef(image);
    if (!parsed.ok) failures.push({ property: "app.container.docker.image", reason: `${JSON.stringify(image)}: ${parsed.reason}` });
  }
  const pull = pullConfigOf(app);
  if (!pull || secretEnvUnknown) return failures;
  const property = "app.container.docker.pullConfig.secret";
  const value = secretEnv[pull.source];
  if (!(pull.source in secretEnv)) {
    failures.push({ property, reason: `secret source ${pull.source} is not among the stack's secrets (dcos-vnet:secrets)` });
  } else if (!isUnknown(value)) {
    const parsed = parseDockerConfig(String(value), `secret ${pull.secret} (source ${pull.source})`);
    if (!parsed.ok) failures.push({ property, reason: parsed.reason });
  }
  return failures;
}
