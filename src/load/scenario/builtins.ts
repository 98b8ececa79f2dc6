/**
 * Built-in scenarios for the cafe (examples/cafe), written in the scenario file format
 * so they go through the same validation as a file. Their target defaults to the
 * cafe's http://127.0.0.1:8000; --target, --vus, --duration and --rate apply on top.
 */

export const BUILTIN_TARGET = 'http://127.0.0.1:8000';

const menu = { name: 'menu', weight: 6, method: 'GET', path: '/menu', check: { status: [200] } };
const menuItem = { name: 'menu-item', weight: 3, method: 'GET', path: '/menu/{{randomInt 1 8}}', check: { status: [200] } };
/** About one request in ten: an order with a fresh idempotency key, recorded for drills. */
const order = {
  name: 'order',
  weight: 1,
  method: 'POST',
  path: '/orders',
  headers: { 'Idempotency-Key': '{{uuid}}' },
  // A string that is only a template renders to its value: a number here.
  body: { items: [{ menuItemId: '{{randomInt 1 8}}', quantity: 1 }] },
  check: { status: [200, 201] },
  record: true,
};

const thresholds = { http_req_duration: ['p(95)<500'], http_req_failed: ['rate<0.05'] };

const BUILTINS: Readonly<Record<string, Record<string, unknown>>> = {
  /** 20 users for a minute, with think time: a calm, steady background. */
  steady: {
    name: 'steady',
    executor: 'constant-vus',
    vus: 20,
    duration: '60s',
    tasks: [menu, menuItem, order].map((t) => ({ ...t, think: '1s-3s' })),
    thresholds,
  },
  /** Ramp 0 -> 100 users over 60s, hold 120s, ramp down over 30s. */
  'morning-rush': {
    name: 'morning-rush',
    executor: 'ramping-vus',
    startVUs: 0,
    stages: [
      { duration: '60s', target: 100 },
      { duration: '120s', target: 100 },
      { duration: '30s', target: 0 },
    ],
    tasks: [menu, menuItem, order].map((t) => ({ ...t, think: '500ms-1500ms' })),
    thresholds,
  },
  /** Open model: 20 req/s, a jump to 300 req/s for 20s, back to 20 req/s. */
  spike: {
    name: 'spike',
    executor: 'ramping-arrival-rate',
    startRate: 20,
    maxVUs: 1000,
    stages: [
      { duration: '30s', target: 20 },
      { duration: '0s', target: 300 },
      { duration: '20s', target: 300 },
      { duration: '0s', target: 20 },
      { duration: '30s', target: 20 },
    ],
    tasks: [menu, menuItem],
    thresholds,
  },
};

export const BUILTIN_SCENARIOS: readonly string[] = Object.freeze(Object.keys(BUILTINS));

/** The data of a built-in scenario, or undefined for an unknown name. */
export function builtinData(name: string): Record<string, unknown> | undefined {
  return Object.hasOwn(BUILTINS, name) ? structuredClone(BUILTINS[name]) : undefined;
}
