/** What the runner reports while it runs, for a live line (a terminal) or plain lines (CI). */
import type { ProbeResult, Verdict } from '../types.js';

export type DrillPhaseName = 'before' | 'method' | 'rollbacks' | 'after' | 'invariants' | 'report';

export type DrillProgress =
  | { type: 'phase'; phase: DrillPhaseName; text: string }
  /** A round of probes (before, after and during the method). */
  | { type: 'round'; elapsedMs: number; faultsActive: number; results: ProbeResult[] }
  | { type: 'fault'; action: 'inject' | 'remove'; text: string }
  | { type: 'load'; second: number; rps: number; p95Ms: number; errors: number }
  | { type: 'note'; text: string }
  | { type: 'verdict'; verdict: Verdict; reasons: string[] };
