// The Marathon double and its overlay master as a server of their own, seeded with adoptSeed's apps
// and pods, for trying `dcos-vnet adopt` by hand (README "Adopt a running cluster"). Prints the
// cluster URL on its first line and runs until killed. Token: $DCOS_DOUBLE_TOKEN (default below).
import * as fs from "fs";
import * as path from "path";
import { startFakeMarathon } from "./fakeMarathon";
import { seedOverHttp } from "./adoptSeed";
import { ROOT } from "./paths";

async function main(): Promise<void> {
  const token = process.env.DCOS_DOUBLE_TOKEN ?? "double-token";
  const overlayState = JSON.parse(fs.readFileSync(path.join(ROOT, "test/fixtures/cluster/overlay-master-state.json"), "utf8"));
  const fake = await startFakeMarathon({ token, deploymentMs: 50, overlayState });
  await seedOverHttp(fake, token);
  console.log(fake.clusterUrl);
  const stop = () => void fake.close().then(() => process.exit(0));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

void main();
