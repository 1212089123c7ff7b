// The containers of one pod instance on the local cluster: each of the pod's containers, joined to
// the network namespace of the instance's holder container (which owns the instance's addresses),
// so they share one IP per network and reach each other on localhost, as in a Mesos pod.
import { PodDefinition } from "../marathon/podTypes";
import { DEFAULT_IMAGE, taskId } from "./instanceSpec";

export interface PodMemberSpec {
  /** `<holder container>.<container name>`. */
  name: string;
  /** The pod's container name. */
  member: string;
  image: string;
  cmd?: string[];
  env: Record<string, string>;
  memoryMb?: number;
  cpus?: number;
}

function strings(env: Record<string, unknown> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(env ?? {}).filter(([, v]) => typeof v === "string")) as Record<string, string>;
}

export function podMembers(pod: PodDefinition, holder: string, agent: string): PodMemberSpec[] {
  return pod.containers.map((c) => {
    const command = c.exec?.command;
    const cmd = command === undefined ? undefined : "shell" in command ? ["/bin/sh", "-c", command.shell] : [...command.argv];
    return {
      name: `${holder}.${c.name}`,
      member: c.name,
      image: c.image?.id ?? DEFAULT_IMAGE,
      ...(cmd ? { cmd } : {}),
      // Pod-level environment, then the container's own (which wins), then what Mesos sets.
      env: {
        ...strings(pod.environment),
        ...strings(c.environment),
        MARATHON_APP_ID: pod.id,
        MESOS_TASK_ID: `${taskId(pod.id, holder)}.${c.name}`,
        HOST: agent,
      },
      memoryMb: c.resources.mem,
      cpus: c.resources.cpus,
    };
  });
}
