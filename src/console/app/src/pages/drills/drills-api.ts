/**
 * The control API's drill routes (`/api/drills*`), typed for the Drills page. The shapes
 * restate the parts of src/drill/types.ts (DrillListing, Journal) the page reads; the browser
 * bundle does not import server code.
 */
import { request } from '../../api.js';

export type Verdict = 'passed' | 'failed' | 'aborted' | 'interrupted' | 'error';

/** One past drill (`GET /api/drills`, newest first). */
export interface DrillListing {
  id: string;
  name: string;
  verdict: Verdict;
  reasons: string[];
  startedAtMs: number;
  endedAtMs: number;
}

export interface PhaseRecord {
  name: 'before' | 'method' | 'rollbacks' | 'after' | 'invariants';
  startedAtMs: number;
  endedAtMs: number;
  status: 'passed' | 'failed' | 'skipped' | 'done' | 'aborted' | 'interrupted' | 'error';
  note: string | null;
}

export interface FaultRecord {
  scenario: string;
  value: number | string | null;
  target: string | null;
  atMs: number;
  durationMs: number | null;
  id: string | null;
  detail: string | null;
  injectedAtMs: number | null;
  removedAtMs: number | null;
  removedBy: 'lab' | 'drill' | 'instant' | null;
  error: string | null;
}

export interface ProbeResult {
  phase: 'before' | 'method' | 'stop' | 'after' | 'invariants';
  name: string;
  timeMs: number;
  ok: boolean;
  value: number | string | null;
  tolerance: string;
  reason: string | null;
}

/** What a run recorded (`GET /api/drills/{id}`): the parts the summary shows. */
export interface Journal {
  id: string;
  drill: { name: string; description: string; file: string };
  startedAtMs: number;
  endedAtMs: number;
  phases: PhaseRecord[];
  results: ProbeResult[];
  faults: FaultRecord[];
  load: { summary: { scenario: string; requests: number; requestsPerSecond: number; errorRatio: number; responseTime: { p95: number } } | null; error: string | null } | null;
  capacity: { objectiveP95Ms: number; crossed: boolean; capacityRps: number | null; ok: boolean } | null;
  invariants: Array<{ name: string; ok: boolean; detail: string }>;
  rollbacks: Array<{ action: string; ok: boolean; detail: string }>;
  verdict: Verdict;
  reasons: string[];
}

export async function listDrills(): Promise<DrillListing[]> {
  return (await request<{ drills: DrillListing[] }>('/api/drills')).drills;
}

export const drillJournal = (id: string): Promise<Journal> => request<Journal>(`/api/drills/${encodeURIComponent(id)}`);

/** The self-contained HTML report (the token cookie goes with it: same origin). */
export const reportUrl = (id: string): string => `/api/drills/${encodeURIComponent(id)}/report`;
