// On the local cluster an app's VIPs are served by proxies on the app's first container network
// (see vipPlan). A port mapping whose `networkNames` leave that network out asks for the VIP on
// another network only: said at preview rather than served where it was not asked for.
import { Failure } from "../common/failure";
import { CanonicalApp } from "../marathon/types";
import { vipNames } from "../marathon/vip";

export function vipNetworkFailures(app: CanonicalApp, firstNetwork: string): Failure[] {
  const mappings = app.container?.portMappings ?? [];
  return vipNames(mappings).vips.flatMap((v) => {
    const names = v.portIndex === undefined ? undefined : mappings[v.portIndex]?.networkNames;
    if (!names || names.length === 0 || names.includes(firstNetwork)) return [];
    return [{
      property: `container.portMappings[${v.portIndex}].networkNames`,
      reason: `the local cluster serves an app's VIPs on its first network (${firstNetwork}); this mapping's VIP ${v.address}:${v.port} names only ${names.join(", ")}: add ${firstNetwork} to networkNames or list ${names[0]} first in networks`,
    }];
  });
}
