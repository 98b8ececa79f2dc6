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
import { OpenFeature, ProviderEvents } from '@openfeature/server-sdk';
import type { Client } from '@openfeature/server-sdk';
import { FileFlagProvider } from './file-flag-provider.js';
import type { Logger } from './logger.js';

/**
 * The flags' current values. Read on every request, so they are plain synchronous
 * reads of a snapshot: the snapshot is evaluated through the OpenFeature client
 * (provider, hooks and all) at start and again each time the provider reports a
 * configuration change, not once per flag per request.
 */
export interface Flags {
  slowMenuQueryMs(): number;
  paymentFailureRate(): number;
  cpuHog(): number;
  memoryLeak(): number;
  cacheDisabled(): boolean;
  close(): Promise<void>;
}

interface Snapshot {
  slowMenuQueryMs: number;
  paymentFailureRate: number;
  cpuHog: number;
  memoryLeak: number;
  cacheDisabled: boolean;
}

function nonNegative(value: number): number {
  return Number.isFinite(value) && value > 0 ? value : 0;
}

async function evaluate(client: Client): Promise<Snapshot> {
  const [slowMenuQueryMs, paymentFailureRate, cpuHog, memoryLeak, cacheDisabled] = await Promise.all([
    client.getNumberValue('slowMenuQueryMs', 0),
    client.getNumberValue('paymentFailureRate', 0),
    client.getNumberValue('cpuHog', 0),
    client.getNumberValue('memoryLeak', 0),
    client.getBooleanValue('cacheDisabled', false),
  ]);
  return {
    slowMenuQueryMs: nonNegative(slowMenuQueryMs),
    paymentFailureRate: Math.min(1, nonNegative(paymentFailureRate)),
    cpuHog: nonNegative(cpuHog),
    memoryLeak: nonNegative(memoryLeak),
    cacheDisabled,
  };
}

export async function createFlags(path: string | undefined, logger: Logger, domain: string): Promise<Flags> {
  const provider = new FileFlagProvider(path, logger);
  await OpenFeature.setProviderAndWait(domain, provider);
  const client: Client = OpenFeature.getClient(domain);

  let snapshot = await evaluate(client);
  // Each change bumps the version; an evaluation only lands if no later change started
  // after it, so a slow re-evaluation never overwrites a newer one.
  let version = 0;
  const refresh = (): void => {
    const mine = ++version;
    evaluate(client).then(
      (next) => {
        if (mine === version) snapshot = next;
      },
      (err: unknown) => logger.error({ err }, `flags re-evaluation failed; keeping the previous values`),
    );
  };
  client.addHandler(ProviderEvents.ConfigurationChanged, refresh);
  client.addHandler(ProviderEvents.Ready, refresh);

  return {
    slowMenuQueryMs: () => snapshot.slowMenuQueryMs,
    paymentFailureRate: () => snapshot.paymentFailureRate,
    cpuHog: () => snapshot.cpuHog,
    memoryLeak: () => snapshot.memoryLeak,
    cacheDisabled: () => snapshot.cacheDisabled,
    close: () => {
      client.removeHandler(ProviderEvents.ConfigurationChanged, refresh);
      client.removeHandler(ProviderEvents.Ready, refresh);
      return OpenFeature.close();
    },
  };
}
