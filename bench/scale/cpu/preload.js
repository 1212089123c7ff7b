// Preloaded (node -r) into every Node.js process the Pulumi CLI starts during the scale benchmark
// (see ../cpuSplit.ts): on exit, appends "<role> <cpu seconds>" to $DCOS_VNET_BENCH_CPU_FILE, the
// role being the Pulumi program, the dynamic provider, or another node process (module lookups).
// The dynamic provider ends on a signal from the CLI, so the signals end the process here too.
const fs = require("fs");
const file = process.env.DCOS_VNET_BENCH_CPU_FILE;
if (file) {
  const script = process.argv[1] || "";
  const role = script.includes("cmd/run") ? "program" : script.includes("cmd/dynamic-provider") ? "provider" : "other";
  let written = false;
  const record = () => {
    if (written) return;
    written = true;
    const u = process.cpuUsage();
    fs.appendFileSync(file, `${role} ${(u.user + u.system) / 1e6}\n`);
  };
  process.on("exit", record);
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.on(signal, () => {
      record();
      process.exit(0);
    });
  }
}
