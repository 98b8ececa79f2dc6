/** What one probe run gives back before it is stamped with its phase and time. */
export interface ProbeOutcome {
  ok: boolean;
  value: number | string | null;
  reason: string | null;
}

/** A network error's useful part: `connect ECONNREFUSED 127.0.0.1:8000` rather than `fetch failed`. */
export function networkReason(err: unknown): string {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return 'no answer in time';
  const cause = e?.cause;
  if (cause?.message) return cause.code && !cause.message.includes(cause.code) ? `${cause.code}: ${cause.message}` : cause.message;
  return e?.message ?? String(err);
}
