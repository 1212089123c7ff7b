// Running one policy of this pack on resources, as @pulumi/policy's analyzer server does (it calls
// validateResource/validateStack with these arguments), for the unit tests in test/policy/.
// @pulumi/policy 1.21.0 ships no test helpers of its own; this is the pattern its documentation
// describes. The pack is then tested end to end through the real CLI (test/e2e/policyPack.e2e.test.ts).
import { unknownCheckingProxy } from "@pulumi/policy";
import type { PolicyResource, ResourceValidationArgs, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";

export interface Violation {
  message: string;
  urn?: string;
}

export interface RunOptions {
  /** This policy's config, as `--policy-pack-config` gives it. */
  config?: Record<string, unknown>;
  /** The stack's Pulumi tags (`pulumi stack tag set`). */
  stackTags?: Record<string, string>;
}

/** A resource as the engine registers it: type, name and inputs. */
export interface TestResource {
  type: string;
  name: string;
  props: Record<string, unknown>;
}

const urnOf = (r: TestResource) => `urn:pulumi:test::dcos-vnet::${r.type}::${r.name}`;

function common(opts: RunOptions) {
  return {
    stackTags: new Map(Object.entries(opts.stackTags ?? {})) as ReadonlyMap<string, string>,
    getConfig: <T extends object>() => (opts.config ?? {}) as T,
    notApplicable: (reason?: string): never => {
      throw new NotApplicable(reason);
    },
  };
}

class NotApplicable extends Error {}

export function policyResource(r: TestResource): PolicyResource {
  return {
    type: r.type,
    name: r.name,
    urn: urnOf(r),
    // Wrapped as the analyzer server wraps inputs (a proxy that throws on values unknown at preview).
    props: unknownCheckingProxy(r.props),
    opts: { protect: false, ignoreChanges: [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [] },
    dependencies: [],
    propertyDependencies: {},
    isType: () => false,
    asType: () => undefined,
  };
}

export async function runResourcePolicy(policy: ResourceValidationPolicy, r: TestResource, opts: RunOptions = {}): Promise<Violation[]> {
  const violations: Violation[] = [];
  const { type, name, urn, props, opts: resourceOpts } = policyResource(r);
  const args: ResourceValidationArgs = {
    type, name, urn, props, opts: resourceOpts, ...common(opts),
    isType: () => false, // the rules match type tokens, not classes
    asType: () => undefined,
  };
  const validators = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
  try {
    for (const validate of validators) await validate?.(args, (message, urn) => violations.push({ message, ...(urn ? { urn } : {}) }));
  } catch (err) {
    if (!(err instanceof NotApplicable)) throw err;
  }
  return violations;
}

export async function runStackPolicy(policy: StackValidationPolicy, resources: TestResource[], opts: RunOptions = {}): Promise<Violation[]> {
  const violations: Violation[] = [];
  try {
    await policy.validateStack(
      { resources: resources.map(policyResource), ...common(opts) },
      (message, urn) => violations.push({ message, ...(urn ? { urn } : {}) }),
    );
  } catch (err) {
    if (!(err instanceof NotApplicable)) throw err;
  }
  return violations;
}
