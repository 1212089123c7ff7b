// A command run inside a container through the Engine API's exec (what `docker exec` does): its
// output, stdout and stderr demultiplexed into one text, and its exit code.
import { PassThrough } from "stream";
import { docker, engineCall } from "./client";

export async function runInContainer(container: string, cmd: string[]): Promise<{ output: string; exitCode: number }> {
  const exec = await engineCall(`exec in ${container}`, () =>
    docker().getContainer(container).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true }),
  );
  const stream = await engineCall(`exec in ${container}`, () => exec.start({ hijack: true, stdin: false }));
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on("data", (c: Buffer) => chunks.push(c));
  docker().modem.demuxStream(stream, out, out);
  await new Promise<void>((resolve, reject) => {
    stream.on("end", resolve);
    stream.on("close", resolve);
    stream.on("error", reject);
  });
  const info = await engineCall(`inspect exec in ${container}`, () => exec.inspect());
  return { output: Buffer.concat(chunks).toString("utf8"), exitCode: info.ExitCode ?? -1 };
}
