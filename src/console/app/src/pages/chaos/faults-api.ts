/**
 * The control API's chaos routes (`/api/chaos*`), typed for the Chaos page. The shapes
 * restate src/chaos/types.ts (the browser bundle does not import server code); keep the two
 * in step.
 */
import { post, request } from '../../api.js';

/** One named scenario (`GET /api/chaos/scenarios`). */
export interface ChaosScenarioInfo {
  name: string;
  summary: string;
  value: { name: string; unit: string; required: boolean; default: number | string | null } | null;
  target: { name: string; required: boolean; default: string | null } | null;
  /** Happens at once and leaves nothing to undo: no duration. */
  instant: boolean;
  fisAction: string;
  available: boolean;
  reason: string | null;
}

/** The body of `POST /api/chaos`. */
export interface ChaosRequest {
  scenario: string;
  value?: number | string;
  target?: string;
  durationMs?: number;
  toxic?: { type: string; name?: string; stream?: 'upstream' | 'downstream'; toxicity?: number; attributes?: Record<string, number | string> };
}

/** Something that makes the lab misbehave now (`GET /api/chaos`). */
export interface ActiveFault {
  /** `f1`, … for chaos faults; `toxic:<proxy>/<toxic>`, `proxy:<proxy>`, `flag:<key>` for the others. */
  id: string;
  origin: 'chaos' | 'proxy' | 'flag';
  scenario: string;
  value: number | string | null;
  target: string | null;
  detail: string;
  startedAtMs: number | null;
  /** When the lab removes it by itself, or null. */
  expiresAtMs: number | null;
}

export async function listScenarios(): Promise<ChaosScenarioInfo[]> {
  return (await request<{ scenarios: ChaosScenarioInfo[] }>('/api/chaos/scenarios')).scenarios;
}

export async function listFaults(): Promise<ActiveFault[]> {
  return (await request<{ faults: ActiveFault[] }>('/api/chaos')).faults;
}

/** Answers the fault (201); an instant scenario's fault is not kept as active. */
export async function inject(body: ChaosRequest): Promise<ActiveFault> {
  return (await post<{ fault: ActiveFault }>('/api/chaos', body)).fault;
}

export async function removeFault(id: string): Promise<ActiveFault[]> {
  return (await request<{ removed: ActiveFault[] }>(`/api/chaos/${encodeURIComponent(id)}`, { method: 'DELETE' })).removed;
}

/** Removes every fault, every toxic and every flag. */
export async function resetChaos(): Promise<ActiveFault[]> {
  return (await post<{ removed: ActiveFault[] }>('/api/chaos/reset')).removed;
}
