// Privileged containers on the local cluster. A privileged container is root on the Docker host
// (every device, every capability, no seccomp or AppArmor), and a host-mode task runs in its
// agent's network namespace, whose iptables carry the published ports of other apps. An app's
// JSON is written by app authors; whether the cluster runs such containers is the operator's
// call, so it takes the operator's opt-in (`dcos-vnet:cluster.allowPrivileged`). On a real DC/OS
// cluster (target marathon) DC/OS's own permissions decide, and this rule does not apply.
//
// Only `container.docker.privileged` reaches the engine: the local backend passes no
// `container.docker.parameters` (`--cap-add`, `--device`, `--pid=host`, …) and no volumes to
// Docker, so those need no gate here.
import type { Failure } from "../common/failure";
import type { CanonicalApp } from "../marathon/types";

/** The stack config key that allows privileged containers (what the failure tells the operator to set). */
export const ALLOW_PRIVILEGED_KEY = "dcos-vnet:cluster.allowPrivileged";

/** The app's privileged container refused, by its JSON path, unless the cluster allows it. */
export function privilegedFailures(app: Pick<CanonicalApp, "container">, allowPrivileged: boolean): Failure[] {
  if (app.container?.docker?.privileged !== true || allowPrivileged) return [];
  return [
    {
      property: "container.docker.privileged",
      reason:
        "this cluster does not allow privileged containers (a privileged container is root on the Docker host); " +
        `an operator allows them with ${ALLOW_PRIVILEGED_KEY}: true (the MarathonApp input allowPrivileged)`,
    },
  ];
}
