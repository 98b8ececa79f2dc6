/**
 * Holds idle connections to Postgres so that services cannot open new ones ("fill the
 * pool"): a fixed count, or as many as the server still takes from an ordinary role
 * (max_connections minus the reserved slots, read with SHOW, minus what is open). In
 * fill mode it tops up every second: a slot a service's pool lets go of is taken too.
 */
import pg from 'pg';

export interface HeldConnections {
  /** Connections held now (fill mode: grows as slots free up). */
  readonly count: number;
  /** Slots the server had for ordinary roles (fill mode), for the detail line. */
  readonly limit: number | null;
  release(): Promise<void>;
}

const BATCH = 10;
const TOP_UP_EVERY_MS = 1000;

async function open(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  // A held connection that the server drops (a restart) must not crash the lab.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (err) {
    client.end().catch(() => undefined);
    throw err;
  }
  return client;
}

async function endAll(clients: pg.Client[]): Promise<void> {
  await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
}

const setting = async (client: pg.Client, name: string): Promise<number> => {
  const rows = (await client.query<Record<string, string>>(`SHOW ${name}`)).rows;
  return Number(rows[0]?.[name] ?? 0);
};

/** How many more connections an ordinary role may open now; the probe counts as one of them (kept open). */
async function freeSlots(probe: pg.Client): Promise<{ limit: number; free: number }> {
  const max = await setting(probe, 'max_connections');
  const superuser = await setting(probe, 'superuser_reserved_connections');
  // PostgreSQL 16+ also reserves slots for pg_use_reserved_connections.
  const reserved = await setting(probe, 'reserved_connections').catch(() => 0);
  const open = Number((await probe.query<{ n: string }>(`SELECT count(*) AS n FROM pg_stat_activity WHERE backend_type = 'client backend'`)).rows[0]?.n ?? 0);
  const limit = max - superuser - reserved;
  return { limit, free: Math.max(0, limit - open) };
}

/**
 * Opens `count` connections (all or nothing: on a failure it closes those it opened and
 * rethrows), or with `count` null fills every free slot, keeping what it got when the
 * server refuses earlier (services took a slot meanwhile).
 */
export async function holdConnections(url: string, count: number | null): Promise<HeldConnections> {
  const clients: pg.Client[] = [];
  let limit: number | null = null;
  try {
    let wanted = count ?? 0;
    if (count === null) {
      const probe = await open(url);
      clients.push(probe);
      const slots = await freeSlots(probe);
      limit = slots.limit;
      wanted = 1 + slots.free;
    }
    while (clients.length < wanted) {
      const batch = Math.min(BATCH, wanted - clients.length);
      const settled = await Promise.allSettled(Array.from({ length: batch }, () => open(url)));
      for (const s of settled) if (s.status === 'fulfilled') clients.push(s.value);
      const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
      if (failed) {
        if (count === null) break;
        throw failed.reason;
      }
    }
  } catch (err) {
    await endAll(clients);
    throw err;
  }
  let released = false;
  let topping: Promise<void> | null = null;
  /** Opens connections one at a time until the server refuses one (or the hold is released). */
  const topUp = async (): Promise<void> => {
    while (!released) {
      let client: pg.Client;
      try {
        client = await open(url);
      } catch {
        return;
      }
      if (released) {
        await client.end().catch(() => undefined);
        return;
      }
      clients.push(client);
    }
  };
  const tick = (): void => {
    topping ??= topUp().finally(() => {
      topping = null;
    });
  };
  const timer = count === null ? setInterval(tick, TOP_UP_EVERY_MS).unref() : null;
  return {
    get count() {
      return clients.length;
    },
    limit,
    async release() {
      if (released) return;
      released = true;
      if (timer) clearInterval(timer);
      await topping;
      await endAll(clients);
    },
  };
}
