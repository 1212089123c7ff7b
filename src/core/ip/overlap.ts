// Overlap detection for a set of networks in O(n log n): sort by (family, start), then one sweep
// that remembers the network reaching furthest so far. Any network starting before that reach
// overlaps it. Two CIDRs either nest or are disjoint, so this finds every network that overlaps
// some earlier one, paired with the earlier network that covers it.
import { Cidr, lastAddress } from "./cidr";

export interface NamedCidr {
  name: string;
  cidr: Cidr;
}

export function findOverlaps(networks: NamedCidr[]): Array<[NamedCidr, NamedCidr]> {
  const sorted = [...networks].sort(
    (a, b) => a.cidr.family - b.cidr.family || (a.cidr.start < b.cidr.start ? -1 : a.cidr.start > b.cidr.start ? 1 : 0),
  );
  const pairs: Array<[NamedCidr, NamedCidr]> = [];
  let reach: { net: NamedCidr; end: bigint } | undefined;
  for (const net of sorted) {
    if (reach && reach.net.cidr.family === net.cidr.family && net.cidr.start <= reach.end) {
      pairs.push([reach.net, net]);
    }
    const end = lastAddress(net.cidr);
    if (!reach || reach.net.cidr.family !== net.cidr.family || end > reach.end) reach = { net, end };
  }
  return pairs;
}
