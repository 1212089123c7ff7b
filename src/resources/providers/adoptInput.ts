// The `adopt` input of MarathonApp and MarathonPod (set by `dcos-vnet adopt` for its one run):
// carried from check to create, where the target marathon records what Marathon already runs
// instead of creating it. diff never compares it, so setting or clearing it is never a change.
import type { Failure } from "../../core/common/failure";

/** Keeps `adopt: true` in the checked inputs; refuses it where there is no Marathon to adopt from. */
export function adoptInput(news: Record<string, unknown>, checked: { inputs: object; failures: Failure[] }, kind: "app" | "pod"): void {
  if (news.adopt === undefined || news.adopt === false) return;
  if (news.adopt !== true) {
    checked.failures.push({ property: "adopt", reason: `adopt must be true or false, got ${JSON.stringify(news.adopt)}` });
  } else if (news.target !== "marathon") {
    checked.failures.push({ property: "adopt", reason: `adopt records the ${kind} a running Marathon has: it needs target marathon` });
  } else {
    (checked.inputs as Record<string, unknown>).adopt = true;
  }
}

/** The inputs without `adopt`: what the outputs keep. */
export function withoutAdopt<T extends Record<string, unknown>>(inputs: T): T {
  const { adopt: _adopt, ...rest } = inputs;
  return rest as T;
}
