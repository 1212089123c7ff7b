import * as pulumi from "@pulumi/pulumi";
import { stableJson } from "../../core/common/stableJson";

/** Keys whose value differs between the old state and the new inputs (deep, JSON equality). */
export function changedKeys(olds: Record<string, unknown>, news: Record<string, unknown>, keys: string[]): string[] {
  return keys.filter((k) => stableJson(olds[k] ?? null) !== stableJson(news[k] ?? null));
}

/**
 * The serialised provider changed (a state written by an earlier version of the package, or from a
 * path-based provider). An update, even with no other change, rewrites the state's outputs with the
 * new one: Pulumi's refresh and delete use the provider stored in the outputs, which an unchanged
 * ("same") step would keep as it was.
 */
export function providerChanged(olds: Record<string, unknown>, news: Record<string, unknown>): boolean {
  return news.__provider !== undefined && olds.__provider !== news.__provider;
}

/** A diff result: `replaceOn` keys force a replacement, any other changed key is an update. */
export function diffResult(
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
  updateOn: string[],
  replaceOn: string[],
): pulumi.dynamic.DiffResult {
  const replaces = changedKeys(olds, news, replaceOn);
  const updates = changedKeys(olds, news, updateOn);
  return {
    changes: replaces.length + updates.length > 0 || providerChanged(olds, news),
    replaces,
    deleteBeforeReplace: replaces.length > 0,
  };
}

/**
 * The engines of a cluster of several hosts (MarathonApp `engines`, LocalDockerNetwork `swarm`)
 * are to be reached otherwise than the state says (insecure: true added, certificates renewed).
 * Refresh and destroy reach them as the state says, so this is an update that rewrites it, and
 * nothing else. Only between two multi-host values: a cluster moving to or from several hosts
 * is not this.
 */
export function enginesChanged(olds: Record<string, unknown>, news: Record<string, unknown>, key: "engines" | "swarm"): boolean {
  return olds[key] !== undefined && news[key] !== undefined && changedKeys(olds, news, [key]).length > 0;
}

/**
 * The user's definition (`app` or `pod`, as their file has it) differs from the one in the state:
 * an edit to send, whichever field it touches. Drift (what Marathon holds) is the `observed` part.
 */
export function definitionEdited(olds: Record<string, unknown>, news: Record<string, unknown>, key: "app" | "pod" = "app"): boolean {
  return olds[key] !== undefined && changedKeys(olds, news, [key]).length > 0;
}

/**
 * How Marathon is reached changed, besides its URL (a different cluster, a replace): `force`, the
 * deployment timeout, a rotated token. Refresh and destroy use the connection in the state, so the
 * new one is recorded by an update that sends nothing to Marathon.
 */
export function connectionSettingsChanged(olds: Record<string, unknown>, news: Record<string, unknown>): boolean {
  const rest = (c: unknown) => {
    if (!c || typeof c !== "object") return c;
    const { url: _url, ...others } = c as Record<string, unknown>;
    return others;
  };
  return olds.connection !== undefined && news.connection !== undefined && stableJson(rest(olds.connection)) !== stableJson(rest(news.connection));
}
