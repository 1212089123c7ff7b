// Images as Mesos' Docker containerizer handles them: before an app's instances start, an image
// missing from the engine is pulled, and `container.docker.forcePullImage: true` pulls it every
// time instances start (a tag moved in the registry is picked up). Credentials come as Marathon
// gives them: a Docker config JSON in the secret that `container.docker.pullConfig` names. A pull
// that fails stops the operation before any container exists, with the image, the registry and
// the reason (unreachable, unauthorised, not found). Long pulls report their progress.
import { ResolvedApp } from "../../core/marathon/appInputs";
import { imageFor } from "../../core/local/instanceSpec";
import { ImageRef, parseImageRef, pullParameters } from "../../core/local/imageRef";
import { RegistryAuth, credentialsFor, parseDockerConfig } from "../../core/local/dockerConfig";
import { pullConfigOf } from "../../core/local/imageChecks";
import { PullEvent, PullProgress } from "../../core/local/pullProgress";
import { pullFailureMessage } from "../../core/local/pullFailure";
import { docker, engineAddress, engineCall, statusOf } from "./client";

export class ImagePullError extends Error {
  constructor(message: string, readonly image: string, readonly registry: string) {
    super(message);
    this.name = "ImagePullError";
  }
}

/** At most one progress line per image this often, besides one per finished layer. */
const PROGRESS_EVERY_MS = 2_000;

/**
 * Progress goes to the provider process's stdout, which the Pulumi engine shows as info
 * diagnostics of the run (a dynamic provider has no engine connection of its own to log through:
 * pulumi.log in its process also ends up writing to stdout).
 */
function report(line: string): void {
  process.stdout.write(`${line}\n`);
}

// One pull per app operation (create or update), however many times its instances start.
const prepared = new WeakMap<ResolvedApp, Promise<void>>();

/**
 * Makes the app's image available before its instances start: pulled when missing, or always with
 * forcePullImage. Marathon pulls only to launch tasks, so an app of 0 instances pulls nothing.
 */
export function prepareImage(inputs: ResolvedApp): Promise<void> {
  let done = prepared.get(inputs);
  if (!done) {
    done = inputs.canonical.instances > 0 ? ensureImage(inputs) : Promise.resolve();
    prepared.set(inputs, done);
  }
  return done;
}

async function ensureImage(inputs: ResolvedApp): Promise<void> {
  const app = inputs.canonical;
  const image = imageFor(app);
  const parsed = parseImageRef(image);
  // check refuses such references at preview; a state from elsewhere still fails clearly here.
  if (!parsed.ok) throw new ImagePullError(`app ${app.id}: image ${JSON.stringify(image)}: ${parsed.reason}`, image, "");
  const ref = parsed.value;
  if (!app.container?.docker?.forcePullImage && (await isPresent(image))) return;
  await pull(inputs, ref, authFor(inputs, ref));
}

async function isPresent(image: string): Promise<boolean> {
  try {
    await engineCall(`inspect image ${image}`, () => docker().getImage(image).inspect());
    return true;
  } catch (err) {
    if (statusOf(err) === 404) return false;
    throw err;
  }
}

/** Credentials for the image's registry from the pullConfig secret's Docker config, if it has some. */
function authFor(inputs: ResolvedApp, ref: ImageRef): RegistryAuth | undefined {
  const pull = pullConfigOf(inputs.app);
  if (!pull) return undefined;
  const text = inputs.secretEnv?.[pull.source];
  if (text === undefined) {
    throw new ImagePullError(`app ${inputs.canonical.id}: secret source ${pull.source} of container.docker.pullConfig is not among the stack's secrets (dcos-vnet:secrets)`, ref.original, ref.registry);
  }
  const config = parseDockerConfig(text, `secret ${pull.secret} (source ${pull.source})`);
  if (!config.ok) throw new ImagePullError(`app ${inputs.canonical.id}: ${config.reason}`, ref.original, ref.registry);
  return credentialsFor(config.value, ref.registry);
}

async function pull(inputs: ResolvedApp, ref: ImageRef, auth: RegistryAuth | undefined): Promise<void> {
  const context = {
    appId: inputs.canonical.id,
    image: ref.original,
    registry: ref.registry,
    ...(auth ? { pullConfigSecret: pullConfigOf(inputs.app)?.secret } : {}),
  };
  const fail = (message: string, status?: number) => new ImagePullError(pullFailureMessage(context, message, status), ref.original, ref.registry);
  const began = Date.now();
  report(`app ${inputs.canonical.id}: pulling image ${ref.original} from ${ref.registry}${auth ? " (with the pullConfig credentials)" : ""}`);
  let stream: NodeJS.ReadableStream;
  try {
    stream = (await docker().createImage(auth as any, pullParameters(ref))) as NodeJS.ReadableStream;
  } catch (err) {
    // The engine answers most failures (registry down, refused credentials, unknown tag) with an
    // HTTP status before streaming anything: those are the registry's. No status means the engine
    // itself did not answer, which engineCall words as such.
    if (statusOf(err) === undefined) return engineCall(`pull image ${ref.original}`, () => Promise.reject(err));
    throw fail((err as Error).message, statusOf(err));
  }
  const progress = new PullProgress();
  let lastReport = began;
  await new Promise<void>((resolve, reject) => {
    docker().modem.followProgress(
      stream,
      (err: Error | null) => (err ? reject(fail(err.message)) : resolve()),
      (event: PullEvent) => {
        if (event.error || event.errorDetail) return; // followProgress ends with it as the error
        const layerDone = progress.add(event);
        const now = Date.now();
        if (layerDone || now - lastReport >= PROGRESS_EVERY_MS) {
          lastReport = now;
          report(`app ${inputs.canonical.id}: pulling image ${ref.original}: ${progress.summary()}`);
        }
      },
    );
  });
  report(`app ${inputs.canonical.id}: pulled image ${ref.original} (${progress.summary()}) in ${((Date.now() - began) / 1000).toFixed(1)} s on ${engineAddress()}`);
}
