import { readCommonConfig, readInt, readNumber } from '../shared/config.js';
import type { CommonConfig, Env } from '../shared/config.js';

export interface PaymentsConfig extends CommonConfig {
  /** Added before every charge is processed. */
  latencyMs: number;
  /** Fraction (0..1) of charges answered 503 on purpose. */
  errorRate: number;
}

export function readPaymentsConfig(env: Env): Readonly<PaymentsConfig> {
  return Object.freeze({
    ...readCommonConfig(env, 8081),
    latencyMs: readInt(env, 'PAYMENTS_LATENCY_MS', { default: 0, min: 0, max: 600_000 }),
    errorRate: readNumber(env, 'PAYMENTS_ERROR_RATE', { default: 0, min: 0, max: 1 }),
  });
}
