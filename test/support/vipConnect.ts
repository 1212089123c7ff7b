// Connections through a VIP from a client container, as the VIP e2e tests make them.
import { strict as assert } from "assert";
import { dockerExec } from "./net";

/**
 * `count` connections, one after another, each an HTTP GET bounded by nc's 2 s; what each answer
 * says after `task=` (the answering task), or "" for a connection that got no answer.
 */
export async function connectMany(from: string, host: string, port: number, count: number): Promise<string[]> {
  const r = await dockerExec(
    from,
    `for i in $(seq 1 ${count}); do printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 2 ${host} ${port} 2>/dev/null | grep -o 'task=[^ ]*' || echo none; done`,
    count * 5000,
  );
  const lines = r.out.split("\n").map((l) => l.trim()).filter(Boolean);
  assert.equal(lines.length, count, `one line per connection: ${r.out}`);
  return lines.map((l) => (l === "none" ? "" : l.replace(/^task=/, "")));
}

/** MESOS_TASK_ID of an instance container of the app, as the local cluster sets it. */
export function taskOf(appId: string, container: string): string {
  return `${appId.replace(/^\//, "").split("/").join(".")}.instance-${container}`;
}
