// `dcos-vnet map --stack NAME --out plan.svg|plan.html`: the stack's address plan as a picture,
// drawn from its outputs (what is really allocated and running, not what the config asks for).
// The backend and passphrase are the environment's when set (scripts/env.sh only fills them in
// when unset), so the command works on any stack the caller can reach.
import * as fs from "fs";
import * as path from "path";
import { ParsedArgs, requireFlag, UsageError } from "./args";
import { pulumi } from "./stackFiles";
import { PlanOutputs, renderPlanHtml, renderPlanSvg } from "../report/map";

const RENDERERS: Record<string, (outputs: PlanOutputs, opts: { title: string }) => string> = {
  ".svg": renderPlanSvg,
  ".html": renderPlanHtml,
  ".htm": renderPlanHtml,
};

export async function map(args: ParsedArgs): Promise<number> {
  const stack = requireFlag(args, "stack");
  const out = requireFlag(args, "out");
  const render = RENDERERS[path.extname(out).toLowerCase()];
  if (!render) throw new UsageError(`--out must end in .svg or .html, got ${out}`);

  const outputs = JSON.parse(await pulumi(["stack", "output", "--json", "--stack", stack])) as PlanOutputs;
  // `npm run dcos-vnet` runs in the project root; a relative --out means the caller's directory.
  const file = path.resolve(process.env.INIT_CWD ?? process.cwd(), out);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, render(outputs, { title: `Address plan of stack ${stack}` }));
  console.log(file);
  return 0;
}
