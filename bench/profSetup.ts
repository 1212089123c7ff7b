// TEMP (not committed): brings a 20x100 stack up on a private engine, keeps a copy of its state.
import * as fs from "fs";
import * as path from "path";
import { startPrivateEngine } from "../test/support/privateEngine";
import { createTestStack } from "../test/support/pulumi";
import { tempDir } from "../test/support/project";
import { stackConfig, writeApps } from "./scale/spec";
(async () => {
  const size = { networks: Number(process.argv[2] ?? 20), apps: Number(process.argv[3] ?? 100) };
  const engine = await startPrivateEngine("prof");
  process.env.DOCKER_HOST = engine.host;
  const appsDir = "/work/prof/apps"; fs.mkdirSync(appsDir, { recursive: true });
  writeApps(appsDir, size);
  const t = await createTestStack("prof", stackConfig(size, appsDir));
  try {
    const t0 = Date.now();
    await t.stack.up({ parallel: 16 });
    console.log("up ms", Date.now() - t0);
    fs.rmSync("/work/prof/backend", { recursive: true, force: true });
    fs.cpSync(t.backendDir, "/work/prof/backend", { recursive: true });
    fs.copyFileSync(path.join(__dirname, "..", `Pulumi.${t.name}.yaml`), `/work/prof/Pulumi.prof.yaml`);
    fs.writeFileSync("/work/prof/name", t.name);
    fs.writeFileSync("/work/prof/export.json", await t.cli(["stack", "export"]));
  } finally { await t.dispose(); await engine.dispose(); }
})().catch((e) => { console.error(e); process.exit(1); });
