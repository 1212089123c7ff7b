// The same cluster as index.ts, declared resource by resource: what DcosCluster does for you.
// A VirtualNetwork plans each agent's block; on the local cluster a LocalDockerNetwork plays the
// overlay; a MarathonApp joins the network(s) it is given (its agents' blocks and the Docker
// network) and depends on those alone.
import * as pulumi from "@pulumi/pulumi";
import {
  LocalDockerNetwork, MarathonApp, VirtualNetwork, dockerSpecForVirtualNetwork, joinable, readAppFile,
} from "pulumi-dcos-vnet";

const agents = ["agent-1", "agent-2", "agent-3"];

function overlay(name: string, subnet: string) {
  const virtualNetwork = new VirtualNetwork(name, { name, subnet, prefix: 24, agents });
  // The Docker network DC/OS would create on each agent: bridge d-<name>, no NAT.
  const dockerNetwork = new LocalDockerNetwork(name, dockerSpecForVirtualNetwork({ name, subnet }), { dependsOn: virtualNetwork });
  return { virtualNetwork, dockerNetwork };
}

export function resourceByResource() {
  const dcos1 = overlay("dcos-1", "9.10.0.0/16");
  const dcos2 = overlay("dcos-2", "9.11.0.0/16");

  const seed = new MarathonApp(
    "my-networking",
    {
      app: readAppFile("../seed-app/app.json", __dirname),
      // joinable: the agents' blocks and the Docker network, as outputs: the app depends on both.
      networks: { "dcos-1": joinable(dcos1.virtualNetwork, dcos1.dockerNetwork.name) },
    },
  );

  const allocation = (n: ReturnType<typeof overlay>) =>
    pulumi.output({
      subnet: n.virtualNetwork.subnet,
      agentSubnets: n.virtualNetwork.agentSubnets,
      capacity: n.virtualNetwork.capacity,
      dockerNetwork: n.dockerNetwork.name,
    });
  return {
    networks: { "dcos-1": allocation(dcos1), "dcos-2": allocation(dcos2) },
    apps: {
      "/my-networking": pulumi.output({ network: seed.network, instances: seed.instances, servicePorts: seed.servicePorts, dnsNames: seed.aliases }),
    },
  };
}
