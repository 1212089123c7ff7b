// Implementation of the MarathonApp dynamic provider (loaded through its handle in Pulumi's provider
// process): check → core rules; the rest goes to the app's target, the local Docker cluster or a
// real Marathon.
import * as pulumi from "@pulumi/pulumi";
import { checkMarathonApp } from "../../core/marathon/appInputs";
import { marathonConnectionFailures } from "../../core/marathon/connection";
import { engineTransportFailures } from "../../core/local/engineTransport";
import { isUnknown } from "./unknown";
import { localTarget } from "./marathonAppLocal";
import { dcosTarget } from "./marathonAppDcos";
import { adoptInput } from "./adoptInput";

const targetOf = (props: Record<string, unknown>) => (props.target === "marathon" ? dcosTarget : localTarget);

export const provider: pulumi.dynamic.ResourceProvider = {
  async check(_olds, news) {
    const checked = checkMarathonApp(news, isUnknown);
    // How the engines and Marathon are reached: TLS, or plain HTTP only where explicitly allowed.
    checked.failures.push(
      ...engineTransportFailures(news.engines, "engines", isUnknown),
      ...(news.target === "marathon" ? marathonConnectionFailures(news.connection, isUnknown) : []),
    );
    adoptInput(news, checked, "app");
    // The default target is not stored: the state of a local app holds no `target` (resolveApp
    // and targetOf read its absence as local), as it holds no empty secretEnv.
    if (checked.inputs.target === "local") {
      const { target: _local, ...inputs } = checked.inputs;
      return { ...checked, inputs };
    }
    return checked;
  },
  diff: (id, olds, news) => targetOf(news).diff(id, olds, news),
  create: (inputs) => targetOf(inputs).create(inputs),
  read: (id, props) => targetOf(props).read(id, props),
  update: (id, olds, news) => targetOf(news).update(id, olds, news),
  delete: (id, props) => targetOf(props).delete(id, props),
};
