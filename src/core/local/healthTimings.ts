// How long a health check's timings may be on the local cluster: one day each. Marathon bounds
// them only by int32 (68 years), but here `pulumi up` itself waits for new instances to turn
// healthy or fail (settleBoundSeconds), so these seconds are how long a deploy can hang. A day is
// more than any grace period, interval, timeout or delay a DC/OS operator runs; it also keeps each
// wait far below what a timer can hold (setTimeout's 2^31-1 ms is 24.8 days), though the backend
// polls rather than sleeping for the whole wait.
import { Failure } from "../common/failure";

export const LOCAL_HEALTH_SECONDS_MAX = 86_400;
const SECONDS = ["gracePeriodSeconds", "intervalSeconds", "timeoutSeconds", "delaySeconds"] as const;

/** Failures for each timing of `hc` beyond a day; `at(field)` is the failure's property. */
export function localHealthTimingFailures(hc: Partial<Record<(typeof SECONDS)[number], unknown>>, at: (field: string) => string): Failure[] {
  return SECONDS.flatMap((k) => {
    const value = hc[k];
    return typeof value === "number" && value > LOCAL_HEALTH_SECONDS_MAX
      ? [{ property: at(k), reason: `must be at most ${LOCAL_HEALTH_SECONDS_MAX} (one day) on the local cluster, whose up waits on health checks; got ${value}` }]
      : [];
  });
}
