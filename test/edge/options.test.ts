/** Options are checked once, with messages naming the field; a taken port fails fast naming it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createEdge } from '../../src/edge/index.js';
import type { EdgeOptions } from '../../src/edge/index.js';
import { TEST_TIMEOUT_MS, startEdge } from './edge-lab.js';

const VALID: EdgeOptions = { name: 'cafe', host: '127.0.0.1', port: 0, healthPath: '/health', healthIntervalMs: 1_000, healthTimeoutMs: 500 };

test('invalid options are refused with the field, what was expected and what arrived', async () => {
  const cases: Array<[Partial<EdgeOptions>, string]> = [
    [{ name: '' }, 'edge name must be a non-empty string, received ""'],
    [{ port: 70_000 }, 'edge port must be an integer from 0 to 65535, received 70000'],
    [{ port: 1.5 }, 'edge port must be an integer from 0 to 65535, received 1.5'],
    [{ healthPath: 'health' }, 'edge healthPath must be a path starting with "/" (or null for passive checks only), received "health"'],
    [{ healthIntervalMs: 0 }, 'edge healthIntervalMs must be a positive number of milliseconds, received 0'],
    [{ healthTimeoutMs: Number.NaN }, 'edge healthTimeoutMs must be a positive number of milliseconds, received null'],
    [{ unhealthyThreshold: 0 }, 'edge unhealthyThreshold must be a positive integer, received 0'],
    [{ healthyThreshold: 1.5 }, 'edge healthyThreshold must be a positive integer, received 1.5'],
    [{ requestTimeoutMs: -1 }, 'edge requestTimeoutMs must be a positive number of milliseconds, received -1'],
  ];
  for (const [override, message] of cases) {
    await assert.rejects(createEdge({ ...VALID, ...override }), { name: 'LabError', code: 'LAB_EDGE_INVALID_OPTIONS', statusCode: 400, message });
  }
});

test('a port in use fails fast with LAB_EDGE_LISTEN_FAILED naming the address', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const first = await startEdge(t, []);
  await assert.rejects(createEdge({ ...VALID, port: first.port }), {
    code: 'LAB_EDGE_LISTEN_FAILED',
    statusCode: 500,
    message: `the edge of cafe cannot listen on 127.0.0.1:${first.port}: address already in use; publish the service on another port (0 picks a free one) or stop what listens there`,
  });
});
