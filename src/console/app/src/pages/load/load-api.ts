/** The control API's load routes (GET/POST/DELETE /api/load), typed for the Load page. */
import { request, post } from '../../api.js';

export const SCENARIOS = ['steady', 'morning-rush', 'spike'] as const;
export const ERROR_KINDS = ['connect', 'timeout', 'reset', 'http_4xx', 'http_5xx', 'check', 'dropped', 'other'] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

export interface Interval {
  second: number;
  users: number;
  requests: number;
  errors: Partial<Record<ErrorKind, number>>;
  p50: number;
  p95: number;
  p99: number;
}

export interface LoadSummary {
  requests: number;
  requestsPerSecond: number;
  errorRatio: number;
  errors: Partial<Record<ErrorKind, number>>;
  interrupted: boolean;
  responseTime: { p50: number; p95: number; p99: number; max: number };
  thresholds: Array<{ threshold: string; metric: string; passed: boolean; actual: number }>;
}

export interface LoadRunState {
  state: 'idle' | 'running' | 'stopping' | 'done' | 'failed';
  scenario: string | null;
  target: string | null;
  model: 'closed' | 'open' | null;
  startedAtMs: number | null;
  totalMs: number | null;
  intervals: Interval[];
  summary: LoadSummary | null;
  reportFile: string | null;
  error: { code: string; message: string } | null;
}

export interface LoadStart {
  scenario: string;
  target?: string;
  vus?: number;
  durationMs?: number;
  rate?: number;
}

export const loadState = (): Promise<LoadRunState> => request<LoadRunState>('/api/load');
export const startLoad = (body: LoadStart): Promise<LoadRunState> => post<LoadRunState>('/api/load', body);
export const stopLoad = (): Promise<LoadRunState> => request<LoadRunState>('/api/load', { method: 'DELETE' });
