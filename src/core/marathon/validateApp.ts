// Validation of a whole app definition as the user wrote it: one failure per bad field, named by its JSON path
// in the user's definition, in Marathon's wording where Marathon has one. Never throws, whatever the input.
import { Failure } from "../common/failure";
import { validateAppId } from "./appId";
import { checkKnownKeys, isObject, typeFailure } from "./jsonChecks";
import { APP_FIELDS } from "./rules";
import { validateCommand, validateEnvironment, validateResources } from "./validateBasics";
import { validateContainer } from "./validateContainer";
import { validateHealthChecks } from "./validateHealthChecks";
import { NetworkOptions, validateNetworks } from "./validateNetworks";
import { validatePorts } from "./validatePorts";
import { validateScheduling } from "./validateScheduling";

export type ValidateOptions = NetworkOptions;

export function validateApp(app: unknown, opts: ValidateOptions = {}): Failure[] {
  if (!isObject(app)) return [typeFailure("", "a JSON object (a Marathon app definition)", app)];
  const networks = validateNetworks(app, opts);
  // Port rules depend on the networks; they are skipped (not guessed) when the networks are broken.
  const ports = validatePorts(app, networks.networks);
  return [
    ...checkKnownKeys("", app, APP_FIELDS, "a Marathon app definition"),
    ...validateAppId(app.id),
    ...validateCommand(app),
    ...validateResources(app),
    ...validateEnvironment(app),
    ...validateContainer(app),
    ...networks.failures,
    ...ports.failures,
    ...validateScheduling(app),
    ...validateHealthChecks(app, ports.portCount),
  ];
}
