// A running DC/OS cluster for adoption tests: the Marathon double (1.5 or 1.10) serving the overlay
// master's state of test/fixtures/cluster/overlay-master-state.json, with the 60 apps and 6 pods of
// test/fixtures/cluster/marathon-{apps,pods}.json stored as if their users had POSTed them long ago
// (normalised as that Marathon stores them; no request recorded, no deployment running).
import * as fs from "fs";
import * as path from "path";
import { startFakeMarathon, FakeMarathon, FakeMarathonOptions } from "./fakeMarathon";
import { ROOT } from "./paths";

const CLUSTER = path.join(ROOT, "test", "fixtures", "cluster");
const read = (file: string) => JSON.parse(fs.readFileSync(path.join(CLUSTER, file), "utf8"));

/** The definitions as their users wrote them. */
export const seededApps = (): Record<string, unknown>[] => read("marathon-apps.json");
export const seededPods = (): Record<string, unknown>[] => read("marathon-pods.json");
export const seededOverlayState = (): unknown => read("overlay-master-state.json");

/** Ids of the seeded apps that use a field this project does not model (see the fixture's README). */
export const UNSUPPORTED_APPS = ["/ops/checker", "/ops/burst"];

export async function startSeededCluster(options: FakeMarathonOptions = {}): Promise<FakeMarathon> {
  const fake = await startFakeMarathon({ overlayState: seededOverlayState(), ...options });
  for (const app of seededApps()) fake.seed(app);
  for (const pod of seededPods()) fake.seedPod(pod);
  return fake;
}
