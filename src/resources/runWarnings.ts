// Warnings that every run of a program prints, `pulumi preview` and `pulumi up` alike: the program
// runs on each, so the resources say them as they are declared. Each is said once per run however
// many resources call for it. Values not known yet (a preview of inputs that are created first)
// are looked at when they are.
import * as pulumi from "@pulumi/pulumi";
import * as fs from "fs";
import type { EngineRef } from "../backends/docker/engines";
import { MarathonConnection, hasCredentials, insecureHttpWarning, sendsCredentialsInClear, skipVerifyWarning } from "../core/marathon/connection";
import { insecureEngineWarning, insecureEngines, plainDockerHostWarning } from "../core/local/engineTransport";
import { defaultPassphraseWarning } from "../config/passphrase";

const said = new Set<string>();

function warnOnce(message: string | undefined): void {
  if (message === undefined || said.has(message)) return;
  said.add(message);
  void pulumi.log.warn(message);
}

/** What Pulumi encrypts this stack's secrets with, when it is a passphrase at all. */
function passphrase(): string | undefined {
  if (process.env.PULUMI_CONFIG_PASSPHRASE !== undefined) return process.env.PULUMI_CONFIG_PASSPHRASE;
  const file = process.env.PULUMI_CONFIG_PASSPHRASE_FILE;
  if (!file) return undefined;
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return undefined; // Pulumi itself says so
  }
}

/** The stack holds secrets: said when they are encrypted with the documented default passphrase. */
export function warnIfDefaultPassphrase(): void {
  warnOnce(defaultPassphraseWarning(passphrase(), true));
}

/** Engines reached over plain HTTP by choice, each named; TLS client keys are secrets. */
export function warnAboutEngines(engines: EngineRef[]): void {
  for (const e of insecureEngines(engines)) warnOnce(insecureEngineWarning(e));
  if (engines.some((e) => e.tls !== undefined)) warnIfDefaultPassphrase();
}

/** The one engine of DOCKER_HOST (no hosts of a cluster), when it is reached over plain HTTP. */
export function warnAboutDockerHost(): void {
  warnOnce(plainDockerHostWarning(process.env.DOCKER_HOST, process.env.DOCKER_TLS_VERIFY));
}

/** Marathon without TLS verification, or credentials over http:// by choice; a token or password is a secret. */
export function warnAboutConnection(connection: Pick<MarathonConnection, "url" | "insecureSkipVerify" | "token" | "password" | "uid" | "allowInsecureHttp">): void {
  // Over http:// there is no certificate to skip (and credentials there are refused unless allowed).
  if (connection.insecureSkipVerify && /^https:/i.test(connection.url)) warnOnce(skipVerifyWarning(connection.url));
  const withCredentials = hasCredentials(connection);
  if (connection.allowInsecureHttp === true && sendsCredentialsInClear(connection.url, withCredentials)) warnOnce(insecureHttpWarning(connection.url));
  if (withCredentials) warnIfDefaultPassphrase();
}

/** The inputs of a resource that call for a warning: secret env values, a Marathon connection, engines. */
export function warnAboutInputs(inputs: {
  secretEnv?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  connection?: pulumi.Input<MarathonConnection>;
  engines?: pulumi.Output<EngineRef[]>;
}): void {
  if (inputs.secretEnv !== undefined) {
    pulumi.output(inputs.secretEnv).apply((env) => Object.keys(env ?? {}).length > 0 && warnIfDefaultPassphrase());
  }
  if (inputs.connection !== undefined) pulumi.output(inputs.connection).apply((c) => c && warnAboutConnection(c));
  inputs.engines?.apply((list) => warnAboutEngines(list ?? []));
}
