// Implementation of the MarathonPod dynamic provider (loaded through its handle): check → the core's
// pod rules; the rest goes to the pod's target, the local Docker cluster or a real Marathon.
import * as pulumi from "@pulumi/pulumi";
import { checkMarathonPod } from "../../core/marathon/podInputs";
import { marathonConnectionFailures } from "../../core/marathon/connection";
import { isUnknown } from "./unknown";
import { localPodTarget } from "./marathonPodLocal";
import { dcosPodTarget } from "./marathonPodDcos";
import { adoptInput } from "./adoptInput";

const targetOf = (props: Record<string, unknown>) => (props.target === "marathon" ? dcosPodTarget : localPodTarget);

export const provider: pulumi.dynamic.ResourceProvider = {
  async check(_olds, news) {
    const checked = checkMarathonPod(news, isUnknown);
    // Credentials go to Marathon over TLS, or over plain HTTP only where explicitly allowed.
    if (news.target === "marathon") checked.failures.push(...marathonConnectionFailures(news.connection, isUnknown));
    adoptInput(news, checked, "pod");
    return checked;
  },
  diff: (id, olds, news) => targetOf(news).diff(id, olds, news),
  create: (inputs) => targetOf(inputs).create(inputs),
  read: (id, props) => targetOf(props).read(id, props),
  update: (id, olds, news) => targetOf(news).update(id, olds, news),
  delete: (id, props) => targetOf(props).delete(id, props),
};
