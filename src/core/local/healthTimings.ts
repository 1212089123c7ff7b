// How long a health check's timings may be on the local cluster: one day each. Marathon bounds
// them only by int32 (68 years), but here `pulumi up` itself waits for new instances to turn
// healthy or fail (settleBoundSeconds), so these seconds are how long a deploy can hang. A day is
// more than any grace period, interval, timeout or delay a DC/OS operator runs; it also keeps each
// wait far below what a timer can hold (setTimeout's 2^31-1 ms is 24.8 days), though the backend
// polls rather than sleeping for the whole wait.
import { Failure } from "../common/failure";

export const LOCAL_HEALTH_SECONDS_MAX = 86_400;
const SECONDS = ["gracePeriodSeconds", "intervalSeconds", "timeoutSeconds", "delaySeconds"] as const;

type Timings = Partial<Record<(typeof SECONDS)[number] | "maxConsecutiveFailures", unknown>>;

/**
 * Failures for each timing of `hc` beyond a day, and else for a whole wait beyond a day: `up` waits
 * for a new instance to turn healthy or fail for up to its start period plus
 * (maxConsecutiveFailures + 1) probes of (interval + timeout) each (settleBoundSeconds), so a
 * count of failures within Marathon's int32 could still make that wait thousands of years.
 * `defaults` are what an unset field reads as; `at(field)` is the failure's property.
 */
export function localHealthTimingFailures(hc: Timings, at: (field: string) => string, defaults: Required<Timings> & Record<keyof Required<Timings>, number>): Failure[] {
  const each = SECONDS.flatMap((k) => {
    const value = hc[k];
    return typeof value === "number" && value > LOCAL_HEALTH_SECONDS_MAX
      ? [{ property: at(k), reason: `must be at most ${LOCAL_HEALTH_SECONDS_MAX} (one day) on the local cluster, whose up waits on health checks; got ${value}` }]
      : [];
  });
  if (each.length > 0) return each;
  const n = (k: keyof Timings) => (typeof hc[k] === "number" ? (hc[k] as number) : defaults[k]);
  const start = Math.max(n("gracePeriodSeconds"), n("delaySeconds"));
  const probes = Math.max(1, n("maxConsecutiveFailures")) + 1;
  const wait = start + probes * (Math.max(1, n("intervalSeconds")) + Math.max(1, n("timeoutSeconds")));
  if (wait <= LOCAL_HEALTH_SECONDS_MAX) return [];
  return [
    {
      property: at("maxConsecutiveFailures"),
      reason:
        `up waits for a new instance to turn healthy or fail for up to max(gracePeriodSeconds, delaySeconds) + (maxConsecutiveFailures + 1) × ` +
        `(intervalSeconds + timeoutSeconds) = ${wait} s with these values; on the local cluster that must be at most ${LOCAL_HEALTH_SECONDS_MAX} (one day)`,
    },
  ];
}
