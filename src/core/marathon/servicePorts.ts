// Service ports: the stack-wide "well-known" port of each port mapping that a load balancer listens on.
// Marathon keeps them unique across the cluster and assigns servicePort 0 (or absent) from 10000–20000.
import { Failure } from "../common/failure";
import { field, item } from "./paths";

export const SERVICE_PORT_MIN = 10000;
export const SERVICE_PORT_MAX = 20000;

export interface ServicePortRequest {
  id: string;
  portMappings: { servicePort?: number }[];
}

export interface ServicePortAssignment {
  /** App id → one service port per port mapping, in mapping order. */
  ports: Record<string, number[]>;
  failures: Failure[];
}

const at = (i: number, j: number) => field(item(field(item("apps", i), "portMappings"), j), "servicePort");

/**
 * Deterministic: explicit ports are claimed first (first app in order wins a clash); then each 0/absent port,
 * in app and mapping order, gets the lowest port of the range that no explicit or earlier assigned port uses.
 */
export function assignServicePorts(apps: ServicePortRequest[], range = { min: SERVICE_PORT_MIN, max: SERVICE_PORT_MAX }): ServicePortAssignment {
  const failures: Failure[] = [];
  const owner = new Map<number, string>();
  const seenIds = new Set<string>();
  apps.forEach((app, i) => {
    if (seenIds.has(app.id)) failures.push({ property: field(item("apps", i), "id"), reason: `app id ${app.id} appears twice in the stack` });
    seenIds.add(app.id);
    app.portMappings.forEach((m, j) => {
      const port = m.servicePort ?? 0;
      if (port === 0) return;
      const taken = owner.get(port);
      if (taken !== undefined) failures.push({ property: at(i, j), reason: `servicePort ${port} is already used by app ${taken}` });
      else owner.set(port, app.id);
    });
  });

  // Null prototype while filling, so an id such as "__proto__" is an ordinary key; copied to a plain object below.
  const ports: Record<string, number[]> = Object.create(null);
  let next = range.min;
  apps.forEach((app, i) => {
    ports[app.id] = app.portMappings.map((m, j) => {
      const explicit = m.servicePort ?? 0;
      if (explicit !== 0) return explicit;
      while (next <= range.max && owner.has(next)) next++;
      if (next > range.max) {
        failures.push({ property: at(i, j), reason: `no free service port left in ${range.min}-${range.max}; give this mapping an explicit servicePort` });
        return 0;
      }
      owner.set(next, app.id);
      return next++;
    });
  });
  return { ports: { ...ports }, failures };
}
