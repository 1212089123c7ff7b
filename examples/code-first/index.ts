// Two DC/OS virtual networks and the seed app, declared in code with the DcosCluster component:
// one VirtualNetwork (the agent-block allocation) and one Docker network per overlay, and one
// container per app instance with its own IP, all children of the component.
// `pulumi config set form resources` runs the same cluster declared resource by resource instead
// (resources.ts).
import * as pulumi from "@pulumi/pulumi";
import { DcosCluster } from "pulumi-dcos-vnet";
import { resourceByResource } from "./resources";

function withTheComponent() {
  const cluster = new DcosCluster("local", {
    cluster: { target: "local", agents: ["agent-1", "agent-2", "agent-3"] },
    networks: [
      // Each agent gets one /24 of the overlay, halved: Mesos containers | Docker containers.
      { name: "dcos-1", subnet: "9.10.0.0/16", prefix: 24 },
      { name: "dcos-2", subnet: "9.11.0.0/16", prefix: 24 },
    ],
    // The seed's Marathon JSON as is ("ipAddress": {"networkName": "dcos-1"}); paths are relative
    // to this project (baseDir). An inline definition works too: { app: { id: "...", ... } }.
    apps: [{ file: "../seed-app/app.json" }],
  });
  return { networks: cluster.virtualNetworkOutputs(), apps: cluster.appOutputs() };
}

const declared = new pulumi.Config().get("form") === "resources" ? resourceByResource() : withTheComponent();

/** Per network: its subnet, each agent's block (and its Mesos and Docker halves), capacity, Docker network. */
export const networks = declared.networks;
/** Per app (by Marathon id): the network it joined, its instances with agent, IP and container, service ports, DNS names. */
export const apps = declared.apps;
