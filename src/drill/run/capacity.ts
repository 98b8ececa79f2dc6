/**
 * The capacity search: fed the load engine's own per-second intervals, it reports when
 * p95 has been over the objective for `for` consecutive seconds (then the load stops),
 * and the capacity: the most requests/s of a second whose p95 met the objective before
 * the crossing (the peak when it was never crossed).
 */
import type { Interval } from '../../load/index.js';
import type { CapacityRecord, CapacitySpec } from '../types.js';

export interface CapacityTracker {
  /** Feeds one second; true once the objective has been crossed for long enough. */
  push(interval: Interval): boolean;
  result(): CapacityRecord;
}

export function createCapacityTracker(spec: CapacitySpec): CapacityTracker {
  const needed = Math.max(1, Math.ceil(spec.forMs / 1000));
  let streak = 0;
  let streakStart: number | null = null;
  let best: number | null = null;
  let crossedAt: number | null = null;
  return {
    push(interval) {
      if (crossedAt !== null) return true;
      if (interval.requests === 0) return false;
      if (interval.p95 > spec.objectiveP95Ms) {
        if (streak === 0) streakStart = interval.second;
        streak++;
        if (streak >= needed) crossedAt = streakStart;
        return crossedAt !== null;
      }
      streak = 0;
      streakStart = null;
      best = Math.max(best ?? 0, interval.requests);
      return false;
    },
    result() {
      const crossed = crossedAt !== null;
      const capacityRps = best ?? (crossed ? 0 : null);
      const ok = spec.minRps === null || (capacityRps !== null && capacityRps >= spec.minRps);
      return { objectiveP95Ms: spec.objectiveP95Ms, forMs: spec.forMs, minRps: spec.minRps, crossed, capacityRps, crossedAtSecond: crossedAt, ok };
    },
  };
}
