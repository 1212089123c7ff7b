// The cluster's Marathon pods (`pods:` beside `apps:`), each a MarathonPod child of the component,
// given only the networks it joins and depending on those alone (as apps are, see clusterApps.ts).
import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "../config/stackConfig";
import type { MarathonConnection } from "../core/marathon/connection";
import { absoluteAppId } from "../core/marathon/appId";
import { MarathonPod } from "./marathonPod";
import { joinable, readAppFile } from "./marathonApp";
import type { ClusterNetwork } from "./cluster";
import type { AppOnAgents } from "./clusterAgents";

export function declarePods(
  config: StackConfig,
  networks: Record<string, ClusterNetwork>,
  connection: pulumi.Output<MarathonConnection> | undefined,
  how: {
    baseDir: string; prefix: string; child: (extra?: pulumi.CustomResourceOptions) => pulumi.CustomResourceOptions;
    /** Per pod: the agents a host-mode or published pod (endpoint hostPorts) runs on (clusterAgents), else undefined. */
    onAgents?: Array<AppOnAgents | undefined>;
  },
): Record<string, MarathonPod> {
  const declared: Record<string, MarathonPod> = {};
  (config.pods ?? []).forEach((entry, i) => {
    const pod = entry.pod ?? readAppFile(entry.file!, how.baseDir);
    const id = typeof pod.id === "string" ? absoluteAppId(pod.id) : `/pods-${i}`;
    const name = `pod.${id.slice(1).split("/").join(".") || `pods-${i}`}`;
    const named = Array.isArray(pod.networks) ? (pod.networks as { name?: unknown }[]).map((n) => n?.name) : [];
    const joined = named.filter((n): n is string => typeof n === "string" && n in networks);
    const onAgents = how.onAgents?.[i];
    declared[id] = new MarathonPod(
      how.prefix + name,
      {
        pod,
        networks: Object.fromEntries(joined.map((n) => [n, joinable(networks[n].virtualNetwork, networks[n].dockerNetworkName)])),
        target: config.cluster.target,
        connection: config.cluster.target === "marathon" ? connection : undefined,
        ...(config.cluster.target === "marathon" && config.adopting ? { adopt: true } : {}),
        ...(onAgents ? { hostAgents: onAgents.hostAgents, hostNetwork: onAgents.hostNetwork, hostPortsTaken: onAgents.hostPortsTaken, hostSubnet: onAgents.hostSubnet } : {}),
      },
      how.child({ dependsOn: [...joined.map((n) => networks[n].virtualNetwork), ...(onAgents ? [onAgents.agents] : [])] }),
    );
  });
  return declared;
}

/** Each pod's instances (with their IPs), as stack outputs show them. */
export function podOutputs(pods: Record<string, MarathonPod>): Record<string, pulumi.Output<unknown>> {
  return Object.fromEntries(Object.entries(pods).map(([id, pod]) => [id, pulumi.output({ network: pod.network, instances: pod.instances })]));
}
