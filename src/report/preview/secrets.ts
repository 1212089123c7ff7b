// Secrets in preview JSON. Pulumi masks them as the string "[secret]", or leaves the secret's
// wire form, an object tagged with the secret signature key (its `value` may be plaintext), so
// both are recognised here, at any depth. Some inputs hold secrets whatever their value looks
// like (e.g. a connection built from secret config), and are never shown.

/** Pulumi's secret signature: `{"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value}`. */
export const SECRET_SIGNATURE_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIGNATURE = "1b47061264138c4ac30d75fd1eb44270";
export const SECRET_TEXT = "[secret]";

/**
 * Inputs that carry secret values: the resolved Marathon secrets and the Marathon credentials
 * (MarathonApp, MarathonPod), and the Docker engines with their TLS client keys (MarathonApp
 * `engines`, LocalDockerNetwork `swarm`).
 */
export const ALWAYS_SECRET_INPUTS: ReadonlySet<string> = new Set(["secretEnv", "connection", "engines", "swarm"]);

export function isSecret(value: unknown): boolean {
  if (value === SECRET_TEXT) return true;
  return typeof value === "object" && value !== null && (value as Record<string, unknown>)[SECRET_SIGNATURE_KEY] === SECRET_SIGNATURE;
}

/** A copy of the value with every secret, at any depth, replaced by "[secret]". */
export function maskSecrets(value: unknown): unknown {
  if (isSecret(value)) return SECRET_TEXT;
  if (Array.isArray(value)) return value.map(maskSecrets);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskSecrets(v)]));
  }
  return value;
}

/** An input's value as it may be shown: masked, and "[secret]" outright for the always-secret inputs. */
export function showableInput(name: string, value: unknown): unknown {
  if (ALWAYS_SECRET_INPUTS.has(name) && value !== undefined) return SECRET_TEXT;
  return maskSecrets(value);
}
