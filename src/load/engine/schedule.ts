/**
 * Schedules of a load model: users (closed) and arrival rate (open) over time, with
 * linear ramps between stages, as k6's ramping-vus and ramping-arrival-rate do.
 * Pure functions of the model and the elapsed time, so tests need no clock.
 */
import type { LoadModel, OpenModel } from '../types.js';

function startValue(model: LoadModel): number {
  return model.kind === 'closed' ? model.startUsers : model.startRate;
}

/** The stage value at `elapsedMs`: linear from the previous target; 0 after the last stage. */
function valueAt(model: LoadModel, elapsedMs: number): number {
  let from = startValue(model);
  let t = Math.max(0, elapsedMs);
  for (const stage of model.stages) {
    if (t < stage.durationMs) return from + ((stage.target - from) * t) / stage.durationMs;
    t -= stage.durationMs;
    from = stage.target;
  }
  return model.stages.length === 0 && elapsedMs <= 0 ? from : 0;
}

/** The whole run: the sum of the stages. */
export function totalDurationMs(model: LoadModel): number {
  return model.stages.reduce((sum, stage) => sum + stage.durationMs, 0);
}

/** Virtual users the closed model runs at `elapsedMs` (rounded down; 0 once the stages end). */
export function usersAt(model: LoadModel, elapsedMs: number): number {
  if (elapsedMs >= totalDurationMs(model)) return 0;
  return Math.max(0, Math.floor(valueAt(model, elapsedMs) + 1e-9));
}

/** The open model's arrival rate (requests/s) at `elapsedMs` (0 once the stages end). */
export function rateAt(model: LoadModel, elapsedMs: number): number {
  if (elapsedMs >= totalDurationMs(model)) return 0;
  return Math.max(0, valueAt(model, elapsedMs));
}

/** This shard's part of a total split over `count` shards: the first `total % count` get one more. */
export function shareOf(total: number, index: number, count: number): number {
  return Math.floor(total / count) + (index < total % count ? 1 : 0);
}

/**
 * The intended start times (ms since the start) of the open model's arrivals: arrival k
 * is due when the integral of the rate reaches k + 0.5, so a constant 10/s over 1 s
 * gives 50, 150, ..., 950 ms. Computed from the rate alone, never from timers firing.
 */
export function* arrivalTimesMs(model: OpenModel): Generator<number, void, undefined> {
  let stageStartMs = 0;
  let from = model.startRate;
  let due = 0.5; // requests still to accumulate, within the current stage, before the next arrival
  for (const stage of model.stages) {
    const seconds = stage.durationMs / 1000;
    const to = stage.target;
    if (seconds <= 0) {
      from = to;
      continue;
    }
    const a = (to - from) / (2 * seconds); // count(τ) = from·τ + a·τ², τ in seconds
    const stageCount = from * seconds + a * seconds * seconds;
    let consumed = 0;
    while (consumed + due <= stageCount + 1e-9) {
      const m = consumed + due;
      const disc = Math.sqrt(Math.max(0, from * from + 4 * a * m));
      const tau = from + disc > 0 ? (2 * m) / (from + disc) : seconds;
      yield stageStartMs + Math.min(tau, seconds) * 1000;
      consumed = m;
      due = 1;
    }
    due -= Math.max(0, stageCount - consumed);
    stageStartMs += stage.durationMs;
    from = to;
  }
}
