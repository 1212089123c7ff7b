// Local stacks' secrets are encrypted with PULUMI_CONFIG_PASSPHRASE, which scripts/env.sh defaults
// to a value printed in this repository's README: secrets under it are as good as plaintext to
// anyone with the state or the stack's config file. Said on every run of a stack that has some.

/** The documented local default (scripts/env.sh). */
export const DEFAULT_PASSPHRASE = "dcos-vnet-local";

/**
 * The warning for a stack whose secrets are encrypted with the default passphrase, or undefined.
 * `passphrase`: PULUMI_CONFIG_PASSPHRASE, else the contents of PULUMI_CONFIG_PASSPHRASE_FILE
 * (undefined when neither is set: another secrets provider).
 */
export function defaultPassphraseWarning(passphrase: string | undefined, holdsSecrets: boolean): string | undefined {
  if (!holdsSecrets || passphrase === undefined || passphrase.replace(/\r?\n$/, "") !== DEFAULT_PASSPHRASE) return undefined;
  return (
    `PULUMI_CONFIG_PASSPHRASE is the documented default (${DEFAULT_PASSPHRASE}), and this stack keeps secrets ` +
    "(Marathon credentials, secret env values or TLS client keys) encrypted with it: anyone with the state or the stack's config " +
    "can read them. Set a passphrase of your own: `pulumi stack change-secrets-provider passphrase` asks for it and " +
    "re-encrypts the stack; then export PULUMI_CONFIG_PASSPHRASE (or PULUMI_CONFIG_PASSPHRASE_FILE) with it."
  );
}
