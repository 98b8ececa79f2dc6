/**
 * The method's faults: each injected through `POST /api/chaos` at its offset, with
 * `durationMs` so the lab removes it by itself even if the drill dies. A fault without
 * a duration lasts until the method ends: it is sent with the method's remaining time
 * plus a margin (the same safety net) and removed by the drill when the method ends.
 */
import type { ActiveFault, ChaosRequest } from '../../chaos/index.js';
import { injectFault, removeFault } from '../lab-api.js';
import type { DrillLab } from '../lab-api.js';
import type { FaultRecord, FaultSpec } from '../types.js';

/** How long past the method's planned end an open-ended fault may outlive a dead drill. */
export const OPEN_FAULT_MARGIN_MS = 60_000;
/** The lab's longest fault (docs/chaos.md). */
const MAX_FAULT_MS = 24 * 3_600_000;

export function faultRecord(spec: FaultSpec): FaultRecord {
  return { scenario: spec.scenario, value: spec.value, target: spec.target, atMs: spec.atMs, durationMs: spec.durationMs, id: null, detail: null, injectedAtMs: null, removedAtMs: null, removedBy: null, error: null };
}

export function describeFault(spec: Pick<FaultSpec, 'scenario' | 'value' | 'target'>): string {
  return `${spec.scenario}${spec.value !== null ? ` ${spec.value}` : ''}${spec.target !== null ? ` on ${spec.target}` : ''}`;
}

export function chaosRequest(spec: FaultSpec, methodDurationMs: number): ChaosRequest {
  const request: ChaosRequest = { scenario: spec.scenario };
  if (spec.value !== null) request.value = spec.value;
  if (spec.target !== null) request.target = spec.target;
  if (spec.toxic !== null) request.toxic = spec.toxic as unknown as NonNullable<ChaosRequest['toxic']>;
  if (!spec.instant) request.durationMs = spec.durationMs ?? Math.min(Math.max(0, methodDurationMs - spec.atMs) + OPEN_FAULT_MARGIN_MS, MAX_FAULT_MS);
  return request;
}

/** Injects one fault and fills its record; the failure reason (and whether the lab is gone) otherwise. */
export async function injectInto(lab: DrillLab, spec: FaultSpec, record: FaultRecord, methodDurationMs: number, now: () => number): Promise<{ ok: true } | { ok: false; reason: string; unreachable: boolean }> {
  const injected = await injectFault(lab, chaosRequest(spec, methodDurationMs));
  if (!injected.ok) {
    record.error = injected.reason;
    return injected;
  }
  const at = now();
  record.id = injected.fault.id;
  record.detail = injected.fault.detail;
  record.injectedAtMs = injected.fault.startedAtMs ?? at;
  if (spec.instant) {
    record.removedAtMs = record.injectedAtMs;
    record.removedBy = 'instant';
  }
  return { ok: true };
}

/** Whether the drill still counts the fault as active at `timeMs`. */
export function isActive(record: FaultRecord, timeMs: number): boolean {
  if (record.injectedAtMs === null || record.removedAtMs !== null) return false;
  return record.durationMs === null || timeMs < record.injectedAtMs + record.durationMs;
}

/** Marks faults the lab no longer lists (or whose time is up) as removed by the lab. */
export function noteRemovals(records: readonly FaultRecord[], active: readonly ActiveFault[] | null, timeMs: number, consider: (r: FaultRecord) => boolean = () => true): void {
  const ids = active === null ? null : new Set(active.map((f) => f.id));
  for (const r of records) {
    if (r.id === null || r.removedAtMs !== null || r.injectedAtMs === null || !consider(r)) continue;
    const expiry = r.durationMs === null ? null : r.injectedAtMs + r.durationMs;
    const gone = ids !== null ? !ids.has(r.id) : expiry !== null && timeMs >= expiry;
    if (gone) {
      r.removedAtMs = expiry !== null ? Math.min(timeMs, Math.max(expiry, r.injectedAtMs)) : timeMs;
      r.removedBy = 'lab';
    }
  }
}

/** At the method's end: removes every fault the drill injected that is still on. */
export async function removeRemaining(lab: DrillLab, records: readonly FaultRecord[], now: () => number): Promise<string[]> {
  const problems: string[] = [];
  for (const r of records) {
    if (r.id === null || r.removedAtMs !== null) continue;
    const t = now();
    const expiry = r.durationMs === null ? null : (r.injectedAtMs ?? t) + r.durationMs;
    if (expiry !== null && t >= expiry) {
      r.removedAtMs = expiry;
      r.removedBy = 'lab';
      continue;
    }
    const removed = await removeFault(lab, r.id);
    if (removed.ok) {
      r.removedAtMs = now();
      r.removedBy = 'drill';
    } else {
      problems.push(`fault ${r.id} (${r.scenario}) could not be removed: ${removed.reason}`);
      r.error = removed.reason;
    }
  }
  return problems;
}
