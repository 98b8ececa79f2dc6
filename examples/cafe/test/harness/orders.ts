/** Shapes of the cafe's API and small helpers the tests share. */
import { randomUUID } from 'node:crypto';
import { request } from './net.js';
import type { HttpResponse } from './net.js';

export interface MenuItem {
  id: number | string;
  name: string;
  priceCents: number;
  [key: string]: unknown;
}

export interface OrderLine {
  menuItemId: number | string;
  quantity: number;
}

export interface Order {
  id: string | number;
  status: string;
  totalCents: number;
  items: unknown[];
  paymentId: string | number;
  [key: string]: unknown;
}

export interface ErrorBody {
  error: { code: string; message: string };
}

export async function getMenu(baseUrl: string): Promise<MenuItem[]> {
  const res = await request(`${baseUrl}/menu`);
  if (res.status !== 200) throw new Error(`GET /menu answered ${res.status}: ${res.text}`);
  return res.json<{ items: MenuItem[] }>().items;
}

export function newKey(label = 'order'): string {
  return `${label}-${randomUUID()}`;
}

/** POST /orders with this Idempotency-Key (a fresh one by default; null sends none). */
export function postOrder(baseUrl: string, body: unknown, key: string | null = newKey(), timeoutMs?: number): Promise<HttpResponse> {
  return request(`${baseUrl}/orders`, {
    method: 'POST',
    headers: key === null ? {} : { 'idempotency-key': key },
    body,
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
}

/** One line of the first menu item, with its expected total. */
export function simpleOrder(menu: MenuItem[], quantity = 2): { body: { items: OrderLine[] }; totalCents: number } {
  const item = menu[0];
  if (item === undefined) throw new Error('the seeded menu is empty');
  return { body: { items: [{ menuItemId: item.id, quantity }] }, totalCents: item.priceCents * quantity };
}
