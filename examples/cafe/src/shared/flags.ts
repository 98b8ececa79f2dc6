/**
 * The demo's failure flags, read through OpenFeature. All are off by default.
 *
 * | flag                | type    | effect                                                        |
 * |---------------------|---------|---------------------------------------------------------------|
 * | slowMenuQueryMs     | number  | the menu query also sleeps this long in Postgres (pg_sleep)   |
 * | paymentFailureRate  | number  | payments answers 503 for this fraction (0..1) of charges      |
 * | cpuHog              | number  | each cafe request busy-loops this many ms on the event loop   |
 * | memoryLeak          | number  | each cafe request retains this many KiB until the flag is 0   |
 * | cacheDisabled       | boolean | the menu skips Valkey/Redis entirely (reads Postgres)         |
 */
import { OpenFeature } from '@openfeature/server-sdk';
import type { Client } from '@openfeature/server-sdk';
import { FileFlagProvider } from './file-flag-provider.js';
import type { Logger } from './logger.js';

export interface Flags {
  slowMenuQueryMs(): Promise<number>;
  paymentFailureRate(): Promise<number>;
  cpuHog(): Promise<number>;
  memoryLeak(): Promise<number>;
  cacheDisabled(): Promise<boolean>;
  close(): Promise<void>;
}

function nonNegative(value: number): number {
  return Number.isFinite(value) && value > 0 ? value : 0;
}

export async function createFlags(path: string | undefined, logger: Logger, domain: string): Promise<Flags> {
  const provider = new FileFlagProvider(path, logger);
  await OpenFeature.setProviderAndWait(domain, provider);
  const client: Client = OpenFeature.getClient(domain);
  return {
    slowMenuQueryMs: async () => nonNegative(await client.getNumberValue('slowMenuQueryMs', 0)),
    paymentFailureRate: async () => Math.min(1, nonNegative(await client.getNumberValue('paymentFailureRate', 0))),
    cpuHog: async () => nonNegative(await client.getNumberValue('cpuHog', 0)),
    memoryLeak: async () => nonNegative(await client.getNumberValue('memoryLeak', 0)),
    cacheDisabled: () => client.getBooleanValue('cacheDisabled', false),
    close: () => OpenFeature.close(),
  };
}
