import { startSeededCluster } from "../test/support/seededCluster";
import { createTestStack } from "../test/support/pulumi";
import { runDcosVnet } from "../test/support/adoptCli";
import * as fs from "fs";
(async () => {
  const version = (process.argv[2] ?? "1.10") as any;
  const fake = await startSeededCluster({ version, token: "tok", deploymentMs: 20 });
  const t = await createTestStack("scratch", {});
  const out = "/tmp/scratch-adopt-" + version;
  fs.rmSync(out, { recursive: true, force: true });
  const r = await runDcosVnet(["adopt", "--stack", t.name, "--url", fake.clusterUrl, "--allow-insecure-http", "--out", out], { ...t.env, DCOS_VNET_MARATHON_TOKEN: "tok" });
  console.log(r.code, r.stdout.slice(-3000), r.stderr.slice(-3000));
  fs.copyFileSync(`Pulumi.${t.name}.yaml`, out + "/stack.yaml");
  const p = await t.stack.preview({ diff: true } as any);
  console.log(JSON.stringify(p.changeSummary)); console.log(p.stdout.slice(-6000));
  await t.dispose(); await fake.close();
})();
