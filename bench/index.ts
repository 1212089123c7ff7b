// `npm run bench`: every benchmark of the project, printed as Markdown tables with the ratios
// measured side by side in this one run. Benchmarks, not tests: nothing here passes or fails on
// speed; goals are printed next to the figures. `npm run bench -- scale` (or `ipam`, `startup`)
// runs one.
import { benchIpam } from "./ipam.bench";
import { benchScale } from "./scale.bench";
import { benchStartup } from "./startup.bench";

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const lines: string[] = [`# pulumi-dcos-vnet benchmarks (${new Date().toISOString()}, node ${process.version})`, ""];
  if (only.length === 0 || only.includes("ipam")) lines.push(...benchIpam());
  if (only.length === 0 || only.includes("startup")) lines.push(...(await benchStartup()));
  if (only.length === 0 || only.includes("scale")) lines.push(...(await benchScale()));
  console.log(lines.join("\n"));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
