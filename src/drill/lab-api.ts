/**
 * How a drill reaches the running lab: its control API (Bearer token) for faults,
 * flags and chart markers, the edge for http probes and load, the hub for PromQL and
 * OTLP, Postgres directly for SQL. Found through the lab's state file.
 */
import type { ActiveFault, ChaosRequest } from '../chaos/index.js';
import type { LabState } from '../control/index.js';
import { scenariosFromApi } from './scenarios.js';
import type { KnownScenario } from './scenarios.js';

export interface DrillLab {
  controlUrl: string;
  token: string;
  stateDir: string;
  edgeUrl: string | null;
  hubUrl: string | null;
  /** OTLP/HTTP base URL of the hub, for the load's own metrics. */
  otlpUrl: string | null;
  /** The DIRECT database URL, with its password: never printed. */
  postgresUrl: string | null;
}

/** The drill's view of a lab from its state file. */
export function drillLabFromState(state: LabState, stateDir: string): DrillLab {
  const urls = state.urls;
  const edge = urls['cafe (edge)'] ?? Object.entries(urls).find(([name]) => name.includes('(edge)'))?.[1] ?? null;
  const hub = urls['hub (queries, Prometheus API)'] ?? Object.entries(urls).find(([name]) => name.includes('Prometheus'))?.[1] ?? null;
  return { controlUrl: state.controlUrl, token: state.token, stateDir, edgeUrl: edge, hubUrl: hub, otlpUrl: urls['hub (OTLP/HTTP)'] ?? null, postgresUrl: state.connections?.postgres ?? null };
}

export type Call = { kind: 'answer'; status: number; body: unknown } | { kind: 'unreachable'; reason: string };

const TIMEOUT_MS = 15_000;

export async function callControl(lab: Pick<DrillLab, 'controlUrl' | 'token'>, method: string, path: string, body?: unknown): Promise<Call> {
  try {
    const res = await fetch(`${lab.controlUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${lab.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const text = await res.text();
    let parsed: unknown = null;
    try {
      parsed = text === '' ? null : JSON.parse(text);
    } catch {
      parsed = text;
    }
    return { kind: 'answer', status: res.status, body: parsed };
  } catch (err) {
    const cause = (err as { cause?: { message?: string } }).cause;
    return { kind: 'unreachable', reason: `the lab's control API (${lab.controlUrl}) does not answer: ${cause?.message ?? (err as Error).message}` };
  }
}

/** The API's error message from an answer, or its status. */
export function answerError(call: Call, what: string): string {
  if (call.kind === 'unreachable') return call.reason;
  const error = (call.body as { error?: { code?: string; message?: string } } | null)?.error;
  return error?.message ? `${what}: ${error.message}${error.code ? ` [${error.code}]` : ''}` : `${what} answered ${call.status}`;
}

/** The lab's scenarios, or null when it does not list them (no chaos routes yet, or unreachable). */
export async function fetchScenarios(lab: DrillLab): Promise<KnownScenario[] | null> {
  const call = await callControl(lab, 'GET', '/api/chaos/scenarios');
  if (call.kind !== 'answer' || call.status !== 200) return null;
  return scenariosFromApi(call.body);
}

export type Injected = { ok: true; fault: ActiveFault } | { ok: false; reason: string; unreachable: boolean };

export async function injectFault(lab: DrillLab, request: ChaosRequest): Promise<Injected> {
  const call = await callControl(lab, 'POST', '/api/chaos', request);
  if (call.kind === 'answer' && call.status >= 200 && call.status < 300) {
    const fault = (call.body as { fault?: ActiveFault } | null)?.fault;
    if (fault && typeof fault.id === 'string') return { ok: true, fault };
    return { ok: false, reason: `POST /api/chaos answered ${call.status} without a fault`, unreachable: false };
  }
  return { ok: false, reason: answerError(call, `POST /api/chaos (${request.scenario})`), unreachable: call.kind === 'unreachable' };
}

/** Removes a fault; one already gone (404) counts as removed. */
export async function removeFault(lab: DrillLab, id: string): Promise<{ ok: boolean; reason: string | null }> {
  const call = await callControl(lab, 'DELETE', `/api/chaos/${encodeURIComponent(id)}`);
  if (call.kind === 'answer' && ((call.status >= 200 && call.status < 300) || call.status === 404)) return { ok: true, reason: null };
  return { ok: false, reason: answerError(call, `DELETE /api/chaos/${id}`) };
}

/** The active faults, or null when the lab does not say. */
export async function activeFaults(lab: DrillLab): Promise<ActiveFault[] | null> {
  const call = await callControl(lab, 'GET', '/api/chaos');
  if (call.kind !== 'answer' || call.status !== 200) return null;
  const faults = (call.body as { faults?: unknown } | null)?.faults;
  return Array.isArray(faults) ? (faults as ActiveFault[]) : null;
}

/** Posts a chart marker (kind "drill"); best effort: a marker never fails a drill. */
export async function postDrillEvent(lab: DrillLab, action: string, detail: string): Promise<void> {
  await callControl(lab, 'POST', '/api/events', { kind: 'drill', action, detail: detail.length > 500 ? `${detail.slice(0, 497)}...` : detail });
}
