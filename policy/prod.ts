// What "prod" means to the rules. A stack is prod when it is tagged so (the Pulumi stack tag
// `env` = `prod`: `pulumi stack tag set env prod`) or named in the policy config's `prodStacks`;
// a network is prod when its labels say so (`labels: {env: prod}` in dcos-vnet:networks). The tag
// key and value are policy config too (`tagKey`, `prodValue`).
export interface ProdConfig {
  prodStacks: string[];
  tagKey: string;
  prodValue: string;
}

export const PROD_DEFAULTS: ProdConfig = { prodStacks: [], tagKey: "env", prodValue: "prod" };

/** JSON schema of the prod settings, shared by the rules that use them. */
export const PROD_SCHEMA = {
  prodStacks: { type: "array", items: { type: "string" }, default: PROD_DEFAULTS.prodStacks },
  tagKey: { type: "string", minLength: 1, default: PROD_DEFAULTS.tagKey },
  prodValue: { type: "string", minLength: 1, default: PROD_DEFAULTS.prodValue },
} as const;

/** The stack being checked: its name comes from the engine (through the language host). */
export interface StackIdentity {
  name: string;
  project: string;
}

export function isProdStack(stack: StackIdentity, tags: ReadonlyMap<string, string>, config: ProdConfig): boolean {
  return config.prodStacks.includes(stack.name) || tags.get(config.tagKey) === config.prodValue;
}

/** Why the stack counts as prod, for messages. */
export function prodReason(stack: StackIdentity, tags: ReadonlyMap<string, string>, config: ProdConfig): string {
  return tags.get(config.tagKey) === config.prodValue
    ? `stack ${stack.name} (tagged ${config.tagKey}=${config.prodValue})`
    : `stack ${stack.name} (in prodStacks)`;
}
