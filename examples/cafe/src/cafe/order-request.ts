/** Validation of POST /orders: the Idempotency-Key header and the body. */
import { createHash } from 'node:crypto';
import { badRequest, describe } from '../shared/errors.js';

export interface OrderLine {
  menuItemId: number;
  quantity: number;
}

export interface OrderRequest {
  items: OrderLine[];
  customer: string | null;
}

export const MAX_LINES = 50;
export const MAX_QUANTITY = 20;
export const MAX_KEY_LENGTH = 200;
export const MAX_CUSTOMER_LENGTH = 200;

export function validateIdempotencyKey(raw: unknown): string {
  const value: unknown = Array.isArray(raw) ? (raw as unknown[])[0] : raw;
  if (typeof value !== 'string' || value.length < 1 || value.length > MAX_KEY_LENGTH) {
    const got = value === undefined ? 'no header' : typeof value === 'string' ? `${value.length} characters` : describe(value);
    throw badRequest('INVALID_IDEMPOTENCY_KEY', `header Idempotency-Key must be 1 to ${MAX_KEY_LENGTH} characters, received ${got}`);
  }
  return value;
}

function isInt(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value);
}

export function validateOrder(body: unknown): OrderRequest {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw badRequest('INVALID_BODY', `body must be a JSON object { items: [{ menuItemId, quantity }], customer? }, received ${describe(body)}`);
  }
  const { items, customer } = body as Record<string, unknown>;
  if (!Array.isArray(items) || items.length < 1 || items.length > MAX_LINES) {
    throw badRequest('INVALID_BODY', `items must be an array of 1 to ${MAX_LINES} { menuItemId, quantity } objects, received ${describe(items)}`);
  }
  const lines = items.map((item: unknown, i): OrderLine => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      throw badRequest('INVALID_BODY', `items[${i}] must be an object { menuItemId, quantity }, received ${describe(item)}`);
    }
    const { menuItemId, quantity } = item as Record<string, unknown>;
    if (!isInt(menuItemId) || menuItemId < 1 || menuItemId > 2_147_483_647) {
      throw badRequest('INVALID_BODY', `items[${i}].menuItemId must be a positive integer, received ${describe(menuItemId)}`);
    }
    if (!isInt(quantity) || quantity < 1 || quantity > MAX_QUANTITY) {
      throw badRequest('INVALID_BODY', `items[${i}].quantity must be an integer from 1 to ${MAX_QUANTITY}, received ${describe(quantity)}`);
    }
    return { menuItemId, quantity };
  });
  if (customer !== undefined && customer !== null && (typeof customer !== 'string' || customer.length < 1 || customer.length > MAX_CUSTOMER_LENGTH)) {
    throw badRequest('INVALID_BODY', `customer must be a string of 1 to ${MAX_CUSTOMER_LENGTH} characters when given, received ${describe(customer)}`);
  }
  return { items: lines, customer: typeof customer === 'string' ? customer : null };
}

/** The request's fingerprint, stored with the key: the same key with another body is a 422. */
export function requestHash(order: OrderRequest): string {
  return createHash('sha256').update(JSON.stringify([order.items.map((l) => [l.menuItemId, l.quantity]), order.customer])).digest('hex');
}
