/** GET /menu and GET /menu/:id: Postgres behind the cache-aside MenuCache. */
import type { FastifyInstance } from 'fastify';
import { badRequest, describe, notFound } from '../shared/errors.js';
import { checkPoolPressure } from '../shared/db.js';
import type { Pool } from '../shared/db.js';
import type { Flags } from '../shared/flags.js';
import type { MenuCache } from './cache.js';
import { traced } from '../shared/trace-context.js';

export interface MenuItem {
  id: number;
  name: string;
  description: string;
  category: string;
  priceCents: number;
}

interface MenuRow {
  id: number;
  name: string;
  description: string;
  category: string;
  price_cents: number;
}

function toItem(row: MenuRow): MenuItem {
  return { id: row.id, name: row.name, description: row.description, category: row.category, priceCents: row.price_cents };
}

const MAX_ID = 2_147_483_647;

/** Parses a path id: a positive integer, or a 400 naming the parameter. */
export function parseId(raw: unknown, name: string): number {
  const value = typeof raw === 'string' && /^\d{1,10}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(value) || value < 1 || value > MAX_ID) {
    throw badRequest('INVALID_ID', `${name} must be a positive integer, received ${describe(raw)}`);
  }
  return value;
}

export interface MenuRoutesOptions {
  pool: Pool;
  cache: MenuCache;
  flags: Flags;
  shedPoolWaiting: number;
}

export function registerMenuRoutes(app: FastifyInstance, options: MenuRoutesOptions): void {
  const { pool, cache, flags } = options;

  // slowMenuQueryMs: the sleep runs inside the same statement, so statement_timeout applies to it.
  async function query(where: string, params: unknown[]): Promise<MenuRow[]> {
    checkPoolPressure(pool, options.shedPoolWaiting);
    const slowMs = flags.slowMenuQueryMs();
    const sleep = slowMs > 0 ? `CROSS JOIN pg_sleep(${(slowMs / 1000).toFixed(3)})` : '';
    const result = await pool.query<MenuRow>(`SELECT id, name, description, category, price_cents FROM menu_items ${sleep} ${where} ORDER BY id`, params);
    return result.rows;
  }

  app.get('/menu', async (request, reply) => {
    const read = await traced(request, () => cache.read('cafe:menu:v1', async () => (await query('', [])).map(toItem), flags.cacheDisabled()));
    return reply.header('x-cache', read.result).send({ items: read.value ?? [] });
  });

  app.get('/menu/:id', async (request, reply) => {
    const id = parseId((request.params as { id?: unknown }).id, 'id');
    const read = await traced(request, () =>
      cache.read(
        `cafe:menu:v1:item:${id}`,
        async () => {
          const row = (await query('WHERE id = $1', [id]))[0];
          return row === undefined ? undefined : toItem(row);
        },
        flags.cacheDisabled(),
      ),
    );
    void reply.header('x-cache', read.result);
    if (read.value === undefined) throw notFound('MENU_ITEM_NOT_FOUND', `no menu item with id ${id}`);
    return reply.send(read.value);
  });
}
