/** Rollbacks, in order, whatever happened before: `chaos: reset` and flags set or removed. */
import { answerError, callControl } from '../lab-api.js';
import type { DrillLab } from '../lab-api.js';
import type { Rollback, RollbackRecord } from '../types.js';

export function describeRollback(r: Rollback): string {
  return r.kind === 'chaos-reset' ? 'chaos: reset' : r.value === null ? `flag ${r.key}: remove` : `flag ${r.key} = ${JSON.stringify(r.value)}`;
}

async function runOne(lab: DrillLab, r: Rollback): Promise<{ ok: boolean; detail: string }> {
  if (r.kind === 'chaos-reset') {
    const call = await callControl(lab, 'POST', '/api/chaos/reset');
    if (call.kind === 'answer' && call.status >= 200 && call.status < 300) {
      const removed = (call.body as { removed?: unknown[] } | null)?.removed;
      return { ok: true, detail: Array.isArray(removed) ? `${removed.length} active fault(s) removed` : 'every fault removed' };
    }
    return { ok: false, detail: answerError(call, 'POST /api/chaos/reset') };
  }
  const path = `/api/flags/${encodeURIComponent(r.key)}`;
  if (r.value === null) {
    const call = await callControl(lab, 'DELETE', path);
    if (call.kind === 'answer' && call.status >= 200 && call.status < 300) return { ok: true, detail: `flag ${r.key} removed` };
    if (call.kind === 'answer' && call.status === 404) return { ok: true, detail: `flag ${r.key} was not set` };
    return { ok: false, detail: answerError(call, `DELETE ${path}`) };
  }
  const call = await callControl(lab, 'PUT', path, { value: r.value });
  if (call.kind === 'answer' && call.status >= 200 && call.status < 300) return { ok: true, detail: `flag ${r.key} set to ${JSON.stringify(r.value)}` };
  return { ok: false, detail: answerError(call, `PUT ${path}`) };
}

/** Runs every rollback even when one fails. */
export async function runRollbacks(lab: DrillLab, rollbacks: readonly Rollback[], now: () => number = Date.now): Promise<RollbackRecord[]> {
  const records: RollbackRecord[] = [];
  for (const r of rollbacks) {
    const timeMs = now();
    const { ok, detail } = await runOne(lab, r);
    records.push({ action: describeRollback(r), ok, detail, timeMs });
  }
  return records;
}
