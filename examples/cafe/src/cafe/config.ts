import { readCommonConfig, readInt, readUrl } from '../shared/config.js';
import type { CommonConfig, Env } from '../shared/config.js';

export interface CafeConfig extends CommonConfig {
  valkeyUrl: string;
  paymentsUrl: string;
  /** Per attempt, not for the whole call with its retries. */
  paymentsTimeoutMs: number;
  /** Retries after the first attempt, with jittered exponential backoff. */
  paymentsRetries: number;
  /** Consecutive failed payment attempts that open the circuit. */
  circuitFailureThreshold: number;
  /** How long the circuit stays open before one trial call (half-open). */
  circuitHalfOpenAfterMs: number;
  menuCacheTtlS: number;
  /** How long a menu request waits for a slow database before serving the stale copy (0: no limit). */
  menuRefreshTimeoutMs: number;
}

export function readCafeConfig(env: Env): Readonly<CafeConfig> {
  return Object.freeze({
    ...readCommonConfig(env, 8000),
    valkeyUrl: readUrl(env, 'VALKEY_URL', { protocols: ['redis:', 'rediss:', 'valkey:', 'valkeys:'] }),
    paymentsUrl: readUrl(env, 'PAYMENTS_URL', { protocols: ['http:', 'https:'], default: 'http://127.0.0.1:8081' }).replace(/\/+$/, ''),
    paymentsTimeoutMs: readInt(env, 'PAYMENTS_TIMEOUT_MS', { default: 1000, min: 1, max: 600_000 }),
    paymentsRetries: readInt(env, 'PAYMENTS_RETRIES', { default: 2, min: 0, max: 10 }),
    circuitFailureThreshold: readInt(env, 'CIRCUIT_FAILURE_THRESHOLD', { default: 5, min: 1, max: 1000 }),
    circuitHalfOpenAfterMs: readInt(env, 'CIRCUIT_HALF_OPEN_AFTER_MS', { default: 5000, min: 1, max: 3_600_000 }),
    menuCacheTtlS: readInt(env, 'MENU_CACHE_TTL_S', { default: 30, min: 1, max: 86_400 }),
    menuRefreshTimeoutMs: readInt(env, 'MENU_REFRESH_TIMEOUT_MS', { default: 250, min: 0, max: 600_000 }),
  });
}
