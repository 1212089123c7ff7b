// The Marathon double as a process, for trying target marathon by hand (README, "Virtual networks
// on a real cluster"): serves Marathon and the overlay master's state read from FILE, prints the
// cluster URL, and reads FILE again on SIGHUP (an agent registering or leaving). No token.
// Run: node -r ts-node/register/transpile-only test/support/serveMarathonDouble.ts FILE
import * as fs from "fs";
import { startFakeMarathon } from "./fakeMarathon";

async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file) throw new Error("usage: serveMarathonDouble.ts OVERLAY_STATE.json");
  const read = () => JSON.parse(fs.readFileSync(file, "utf8"));
  const fake = await startFakeMarathon({ overlayState: read() });
  process.on("SIGHUP", () => fake.setOverlayState(read()));
  // Nothing to keep: the double holds its state in memory only.
  process.on("SIGTERM", () => process.exit(0));
  console.log(fake.clusterUrl);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
