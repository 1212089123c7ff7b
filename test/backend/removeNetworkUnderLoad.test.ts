// A network removed right after its many containers, on the real engine, through the backend's
// own calls: 30 app containers started at once, parked at once and started again as a roll does
// (twice), then listed and all removed at once as an app's delete does, and the network removed the
// moment the last removal returns, as `pulumi destroy` does. dockerd 20.10 loses count of a
// network's endpoints when several are released at once, and then refuses to remove it for good
// (403 "has active endpoints" with no container left; seen in CI in the interruptions and races
// fault tests' destroy). The backend releases a network's endpoints one at a time
// (endpointRelease.ts). The loss is a race: with the releases concurrent, 1 round in 8 of this test
// at 50 containers and 3 parkings failed so; so for a stress run:
//   DCOS_VNET_NETRM_ROUNDS=8 DCOS_VNET_NETRM_CONTAINERS=50 DCOS_VNET_NETRM_PARKINGS=3 \
//     bash scripts/test.sh test/backend/removeNetworkUnderLoad.test.ts
import { strict as assert } from "assert";
import { randomBytes } from "crypto";
import { Owner } from "../../src/core/local/dockerNetworkSpec";
import { removeNetwork } from "../../src/backends/docker/networks";
import { APP_LABELS, listAppContainers, removeContainer, restartContainer, runContainer } from "../../src/backends/docker/containers";
import { parkInstance } from "../../src/backends/docker/healthChecks";
import { engine, networkOrUndefined, requireDocker, removeMade } from "../support/docker";
import { createTestNetwork } from "../support/backendNetwork";

const suffix = randomBytes(3).toString("hex");
const owner: Owner = { project: "dcos-vnet", stack: `netrm-${suffix}` };
const ROUNDS = Number(process.env.DCOS_VNET_NETRM_ROUNDS ?? 1);
const CONTAINERS = Number(process.env.DCOS_VNET_NETRM_CONTAINERS ?? 30);
const PARKINGS = Number(process.env.DCOS_VNET_NETRM_PARKINGS ?? 2);
const APPS = ["/load-a", "/load-b", "/load-c", "/load-d"];

describe("removing a network right after its many containers, on the real engine", function () {
  this.timeout(120_000 * ROUNDS);
  const made = { networks: new Set<string>(), containers: new Set<string>() };

  before(requireDocker);
  after(() => removeMade(made));

  for (let round = 1; round <= ROUNDS; round++) {
    it(`round ${round}: ${CONTAINERS} containers parked and started again at once ${PARKINGS} times, then removed at once with their network`, async function () {
      const network = `netrm-${suffix}-${round}`;
      const prefix = (await createTestNetwork(network, owner, 245)).split(".").slice(0, 3).join(".");
      made.networks.add(network);
      const ids = await Promise.all(
        Array.from({ length: CONTAINERS }, async (_, i) => {
          const c = await runContainer(
            {
              name: `${network}.load.${i}`, image: "busybox:latest", cmd: ["sh", "-c", "exec sleep 3600"], env: {},
              labels: { [APP_LABELS.app]: APPS[i % APPS.length] }, network, ip: `${prefix}.${130 + i}`, aliases: [APPS[i % APPS.length].slice(1)],
            },
            owner,
          );
          made.containers.add(c.id);
          return c.id;
        }),
      );
      for (let k = 0; k < PARKINGS; k++) {
        await Promise.all(ids.map((id) => parkInstance(id)));
        await Promise.all(ids.map((id, i) => restartContainer(id, network, `${prefix}.${130 + i}`)));
      }

      // As an app's delete does: its containers listed once, then all removed at once.
      const listed = (await Promise.all(APPS.map((app) => listAppContainers(owner, app, "app")))).flat();
      assert.equal(listed.length, CONTAINERS);
      await Promise.all(listed.map((c) => removeContainer(c.id, owner, c)));
      const { Id } = await engine.getNetwork(network).inspect();
      await removeNetwork(Id, network, owner);
      assert.equal(await networkOrUndefined(network), undefined, `network ${network} is gone`);
      made.networks.delete(network);
    });
  }
});
