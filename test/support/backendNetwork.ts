// A Docker network of a backend test's own on the tests' engine: a /24 that no network there
// overlaps, in the range 9.<base..base+9>.x.0 the test file picks (so files running at once draw
// from different ranges).
import { randomBytes } from "crypto";
import { createNetwork, overlappingNetworks } from "../../src/backends/docker/networks";
import { Owner } from "../../src/core/local/dockerNetworkSpec";

export async function freeSubnet(base: number): Promise<string> {
  for (let i = 0; i < 20; i++) {
    const subnet = `9.${base + (randomBytes(1)[0] % 10)}.${randomBytes(1)[0]}.0/24`;
    if ((await overlappingNetworks("", subnet)).length === 0) return subnet;
  }
  throw new Error(`no free /24 in 9.${base}.0.0/12 on this engine`);
}

/** Creates the network on a free /24 and returns the Docker half of it (its upper /25). */
export async function createTestNetwork(name: string, owner: Owner, base: number): Promise<string> {
  const prefix = (await freeSubnet(base)).split(".").slice(0, 3).join(".");
  await createNetwork({ name, subnet: `${prefix}.0/24`, gateway: `${prefix}.1`, ipMasquerade: false, labels: {} }, owner);
  return `${prefix}.128/25`;
}
