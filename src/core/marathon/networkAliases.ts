// The DNS names an app's instances answer to on one of its networks. Every network the app joins
// carries its DC/OS names; a VIP declared on a port mapping that lists `networkNames` is served
// only on those networks (Marathon's rule: the mapping applies to the networks it names).
import { CanonicalApp } from "./types";
import { appDnsNames } from "./dns";
import { vipNames } from "./vip";

export function aliasesOnNetwork(canonical: CanonicalApp, network: string): string[] {
  const mappings = canonical.container?.portMappings ?? [];
  const vips = vipNames(mappings).vips.filter((v) => {
    const names = v.portIndex === undefined ? undefined : mappings[v.portIndex]?.networkNames;
    return names === undefined || names.length === 0 || names.includes(network);
  });
  return [...appDnsNames(canonical.id), ...vips.flatMap((v) => (v.hostname ? [v.hostname] : []))];
}
