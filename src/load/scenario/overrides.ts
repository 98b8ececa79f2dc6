/**
 * Command-line overrides on top of a scenario (--target, --vus, --duration, --rate).
 * A constant model takes the value as is; a staged model keeps its shape, scaled so its
 * peak (users or rate) or its total duration becomes the value given.
 */
import { LabError, describeValue } from '../../errors.js';
import type { LoadModel } from '../types.js';
import { DEFAULT_MAX_IN_FLIGHT } from './model.js';

export interface ScenarioOverrides {
  target?: string;
  vus?: number;
  durationMs?: number;
  rate?: number;
}

function invalid(flag: string, expected: string, received: unknown, fix: string): never {
  throw new LabError('LAB_LOAD_SCENARIO_INVALID', `${flag} ${expected}, received ${describeValue(received)}; fix: ${fix}`);
}

/** A target base URL without its trailing slash, or null when it is not http(s) without query. */
export function normalizeTarget(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return null;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.search !== '' || url.hash !== '' || url.username !== '') return null;
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

function total(model: LoadModel): number {
  return model.stages.reduce((sum, s) => sum + s.durationMs, 0);
}

function isConstant(model: LoadModel): boolean {
  const start = model.kind === 'closed' ? model.startUsers : model.startRate;
  return model.stages.every((s) => s.target === start);
}

/** Scales every stage so the total is `durationMs` (the last stage that has a duration takes the rounding). */
function withDuration(model: LoadModel, durationMs: number): LoadModel {
  const before = total(model);
  const last = model.stages.findLastIndex((s) => s.durationMs > 0);
  const stages = model.stages.map((s) => ({ durationMs: Math.round((s.durationMs * durationMs) / before), target: s.target }));
  const stage = stages[last];
  if (stage) stage.durationMs += durationMs - total({ ...model, stages });
  return { ...model, stages };
}

/** Scales the targets (and start) so the peak is `peak`; users are rounded to whole numbers. */
function withPeak(model: LoadModel, peak: number): LoadModel {
  const start = model.kind === 'closed' ? model.startUsers : model.startRate;
  const highest = Math.max(start, ...model.stages.map((s) => s.target));
  const scale = (v: number): number => {
    const scaled = highest === 0 ? peak : (v * peak) / highest;
    return model.kind === 'closed' ? Math.round(scaled) : scaled;
  };
  const stages = model.stages.map((s) => ({ durationMs: s.durationMs, target: scale(s.target) }));
  return model.kind === 'closed' ? { ...model, startUsers: isConstant(model) ? peak : scale(start), stages } : { ...model, startRate: isConstant(model) ? peak : scale(start), stages };
}

function positive(flag: string, value: number | undefined, integer: boolean, example: string): number | undefined {
  if (value === undefined) return undefined;
  const ok = Number.isFinite(value) && value > 0 && (!integer || Number.isInteger(value));
  return ok ? value : invalid(flag, `must be a ${integer ? 'whole number' : 'number'} above 0`, value, `give ${flag} ${example}`);
}

/** Applies overrides; throws LAB_LOAD_SCENARIO_INVALID naming the flag for a bad value. */
export function applyOverrides(model: LoadModel, target: string | undefined, overrides: ScenarioOverrides): { model: LoadModel; target: string | undefined } {
  const vus = positive('--vus', overrides.vus, true, '50');
  const durationMs = positive('--duration', overrides.durationMs, true, '30s');
  const rate = positive('--rate', overrides.rate, false, '100');
  let out = model;
  if (rate !== undefined) {
    // --rate on a closed model turns it into an open one at that rate, for the same time.
    out = out.kind === 'open' ? withPeak(out, rate) : { kind: 'open', startRate: rate, stages: [{ durationMs: total(out), target: rate }], maxInFlight: DEFAULT_MAX_IN_FLIGHT };
  }
  if (durationMs !== undefined) out = withDuration(out, durationMs);
  if (vus !== undefined) out = out.kind === 'closed' ? withPeak(out, vus) : { ...out, maxInFlight: vus };
  let base = target;
  if (overrides.target !== undefined) {
    base = normalizeTarget(overrides.target) ?? invalid('--target', 'must be an http:// or https:// base URL without query', overrides.target, 'give --target http://127.0.0.1:8000');
  }
  return { model: out, target: base };
}
