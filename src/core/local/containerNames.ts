// Which declared objects of one stack would share a container name on the local cluster. Container
// names are unique per Docker engine and are made from ids lossily: `/` becomes `.` and what
// Docker does not allow becomes `-` (instanceSpec containerName, agents agentContainerName), so
// `/shop.web` and `/shop/web` both run `<stack>.shop.web.<n>`, and agents `a b` and `a-b` both are
// `<stack>.agent.a-b`. Marathon accepts both ids; locally the second would take the first's
// containers. Such a stack is refused at preview, naming both.
//
// What each object runs is a set of name patterns, compared dot-separated segment by segment:
// an instance's index grows with every replacement (`.0`, then `.3` after a roll), so it is a
// wildcard segment of digits, never the count declared now.
//   app or pod      <stack>.<path>.<n>            (a pod's instance holder too)
//   pod container   <stack>.<path>.<n>.<container name>
//   VIP proxy       <stack>.<path>.vip-<VIP name or address>
//   agent           <stack>.agent.<agent>
import { Failure } from "../common/failure";
import { AppDefinition, CanonicalApp } from "../marathon/types";
import { PodDefinition } from "../marathon/podTypes";
import { validateApp } from "../marathon/validateApp";
import { validatePod } from "../marathon/validatePod";
import { normalizeApp } from "../marathon/normalize";
import { podAsApp } from "../marathon/podInputs";
import { containerName } from "./instanceSpec";
import { agentContainerName } from "./agents";
import { networkingMode } from "./hostPorts";
import { planVipProxies } from "./vipPlan";
import { planHostVipProxies } from "./hostVipPlan";

/** The segment that stands for any instance index. */
const INDEX = Symbol("instance index");
type Segment = string | typeof INDEX;

/** One declared object and the container names it runs under. */
export interface NamedObject {
  /** How failures name it: `app /shop/web`, `pod /shop/cart`, `agent a b`. */
  what: string;
  /** The field a failure points at (`dcos-vnet:apps[1].id`). */
  property: string;
  patterns: Segment[][];
}

const segments = (name: string): string[] => name.split(".");

/** `<stack>.<path>.<n>`, with the index as a wildcard. */
function instancePattern(stack: string, id: string): Segment[] {
  return [...segments(containerName(stack, id, 0)).slice(0, -1), INDEX];
}

/** The VIP proxies' names of an app (or of a pod, as the app its instances are). */
function proxyNames(stack: string, app: CanonicalApp): string[] {
  const plans = networkingMode(app) === "container" ? planVipProxies(app, stack) : planHostVipProxies(app, stack);
  return plans.map((p) => p.container);
}

export function appNames(stack: string, app: CanonicalApp, property: string): NamedObject {
  return { what: `app ${app.id}`, property, patterns: [instancePattern(stack, app.id), ...proxyNames(stack, app).map(segments)] };
}

/** A pod: its instances' holders, their containers (`<holder>.<container name>`), its VIP proxies (`asApp`: core/marathon podAsApp). */
export function podNames(stack: string, pod: PodDefinition, asApp: CanonicalApp, property: string): NamedObject {
  const holder = instancePattern(stack, asApp.id);
  return {
    what: `pod ${asApp.id}`,
    property,
    patterns: [holder, ...pod.containers.map((c) => [...holder, ...segments(c.name)]), ...proxyNames(stack, asApp).map(segments)],
  };
}

export function agentNames(stack: string, agent: string, property: string): NamedObject {
  return { what: `agent ${agent}`, property, patterns: [segments(agentContainerName(stack, agent))] };
}

/** A name both patterns give, with `<n>` where both take any index; undefined if they give none in common. */
function common(a: Segment[], b: Segment[]): string | undefined {
  if (a.length !== b.length) return undefined;
  const out: string[] = [];
  for (let i = 0; i < a.length; i++) {
    const [x, y] = [a[i], b[i]];
    if (x === INDEX && y === INDEX) out.push("<n>");
    else if (x === INDEX || y === INDEX) {
      const literal = (x === INDEX ? y : x) as string;
      if (!/^[0-9]+$/.test(literal)) return undefined;
      out.push(literal);
    } else if (typeof x === "string" && x === y) out.push(x);
    else return undefined;
  }
  return out.join(".");
}

/**
 * One failure per object whose containers would be named like an earlier object's, on the later
 * one, naming both and the name. Objects that are one and the same (an app id listed twice) are
 * left to the check that says so.
 */
export function containerNameClashes(objects: NamedObject[]): Failure[] {
  const failures: Failure[] = [];
  objects.forEach((later, j) => {
    for (const earlier of objects.slice(0, j)) {
      if (earlier.what === later.what) continue;
      const name = later.patterns.flatMap((p) => earlier.patterns.map((q) => common(p, q))).find((n) => n !== undefined);
      if (name === undefined) continue;
      failures.push({
        property: later.property,
        reason:
          `${later.what} and ${earlier.what} (${earlier.property}) would both run a container named ${name} on the local cluster, ` +
          "where a container name is unique per Docker engine (ids are written there with '.' for '/' and '-' for what Docker names do not allow); " +
          "give one of them another name",
      });
      return;
    }
  });
  return failures;
}

/**
 * The clashes among a local stack's apps, pods and agents (give none when no app or pod runs on the
 * agents: then there are no agent containers). Definitions that do not validate are left to their
 * own checks. `property` names a field as the stack writes it (`apps[1].id` → `dcos-vnet:apps[1].id`).
 */
export function stackNameClashes(
  stack: string,
  declared: { apps: Record<string, unknown>[]; pods: Record<string, unknown>[]; agents: string[] },
  property: (field: string) => string = (field) => field,
): Failure[] {
  const objects: NamedObject[] = [];
  declared.apps.forEach((app, i) => {
    if (validateApp(app).length === 0) objects.push(appNames(stack, normalizeApp(app as unknown as AppDefinition), property(`apps[${i}].id`)));
  });
  declared.pods.forEach((pod, i) => {
    if (validatePod(pod).length > 0) return;
    const typed = pod as unknown as PodDefinition;
    objects.push(podNames(stack, typed, normalizeApp(podAsApp(typed)), property(`pods[${i}].id`)));
  });
  declared.agents.forEach((agent, i) => objects.push(agentNames(stack, agent, property(`cluster.agents[${i}]`))));
  return containerNameClashes(objects);
}
