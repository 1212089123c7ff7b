// Runs until stopped. Writes its pid to <dir>/started; on SIGINT writes <dir>/stopped and exits 0,
// so the test can tell a graceful stop (SIGINT) from a kill.
const fs = require("fs");
const path = require("path");
const pulumi = require("@pulumi/pulumi");
const dir = new pulumi.Config().require("dir");
process.on("SIGINT", () => {
  fs.writeFileSync(path.join(dir, "stopped"), "SIGINT");
  process.exit(0);
});
setInterval(() => {}, 1000);
fs.writeFileSync(path.join(dir, "started"), String(process.pid));
