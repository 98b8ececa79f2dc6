/**
 * Words and marks for the Drills page: each verdict's badge (an icon and a word beside the
 * colour, so colour is never the only cue), durations and "how long ago".
 * No imports: test/console/console-units.test.ts runs it under Node.
 */
export type VerdictName = 'passed' | 'failed' | 'aborted' | 'interrupted' | 'error';

export interface VerdictBadge {
  /** The CSS class: good (green), bad (red), warn (amber), muted (grey). */
  tone: 'good' | 'bad' | 'warn' | 'muted';
  icon: string;
  label: string;
  /** What the verdict means, for the badge's title and screen readers. */
  meaning: string;
}

const BADGES: Record<VerdictName, VerdictBadge> = {
  passed: { tone: 'good', icon: '✔', label: 'passed', meaning: 'the steady state held before and after, the probes held during the faults, every invariant held' },
  failed: { tone: 'bad', icon: '✖', label: 'failed', meaning: 'a probe, the recovery or an invariant did not hold (or the steady state did not hold before, so nothing was injected)' },
  aborted: { tone: 'warn', icon: '■', label: 'aborted', meaning: 'a stop condition ended the method early; the rollbacks ran' },
  interrupted: { tone: 'warn', icon: '⏸', label: 'interrupted', meaning: 'stopped before its end (Ctrl-C, or the lab went away)' },
  error: { tone: 'muted', icon: '!', label: 'error', meaning: 'a step of the drill itself broke: the reasons say which' },
};

export function verdictBadge(verdict: string): VerdictBadge {
  return BADGES[verdict as VerdictName] ?? { tone: 'muted', icon: '?', label: verdict, meaning: `a verdict this console does not know: ${verdict}` };
}

/** 850 ms, 4.2 s, 1 min 05 s, 1 h 02 min. */
export function formatDurationMs(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

/** "just now", "5 min ago", "3 h ago", "2 days ago". */
export function ago(thenMs: number, nowMs: number): string {
  const s = Math.max(0, Math.round((nowMs - thenMs) / 1000));
  if (s < 45) return 'just now';
  if (s < 3600) return `${Math.max(1, Math.round(s / 60))} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  const days = Math.round(s / 86_400);
  return `${days} day${days === 1 ? '' : 's'} ago`;
}
