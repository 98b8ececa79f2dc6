/** Messages between runLoad() and its worker threads (worker.ts). Plain data only. */
import type { Scenario } from '../types.js';
import type { TransportKind } from './request.js';
import type { IntervalSnapshot, MetricsSnapshot } from './metrics.js';

export interface WorkerInput {
  scenario: Scenario;
  index: number;
  count: number;
  connections: number;
  transport: TransportKind;
  recording: boolean;
}

export type ToWorker =
  | { type: 'start'; t0: number }
  | { type: 'tick'; id: number }
  | { type: 'abort' };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'interval'; id: number; interval: IntervalSnapshot; records: string[] }
  | { type: 'done'; snapshot: MetricsSnapshot; interval: IntervalSnapshot; records: string[] }
  | { type: 'failed'; message: string; stack: string };
