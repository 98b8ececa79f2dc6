/**
 * The drill's progress: in a terminal one live line redrawn in place (phase, time,
 * faults active, last probe results, the load), with finished steps as lines above it;
 * elsewhere plain timestamped lines per phase and per probe round.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createDrillProgressView } from '../../src/drill/index.js';
import type { DrillProgress } from '../../src/drill/index.js';

function sink(tty: boolean): Writable & { isTTY: boolean; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString('utf8');
      done();
    },
  }) as Writable & { isTTY: boolean; text: () => string };
  stream.isTTY = tty;
  stream.text = () => text;
  return stream;
}

const EVENTS: DrillProgress[] = [
  { type: 'phase', phase: 'method', text: 'method for 30.0 s' },
  { type: 'fault', action: 'inject', text: 'postgres-outage (f1) for 10 s' },
  { type: 'load', second: 3, rps: 42, p95Ms: 180.4, errors: 2 },
  { type: 'round', elapsedMs: 4000, faultsActive: 1, results: [{ phase: 'method', name: 'orders fail fast', timeMs: 0, ok: false, value: 1.8, tolerance: '<= 1', reason: '1.8 is above the maximum 1' }] },
];

test('in a terminal: finished steps as lines, one live line redrawn in place', (t) => {
  const saved = process.env['CI'];
  delete process.env['CI'];
  t.after(() => {
    if (saved !== undefined) process.env['CI'] = saved;
  });
  let now = 1000;
  const out = sink(true);
  const view = createDrillProgressView(out, () => now);
  for (const e of EVENTS) {
    now += 1000;
    view.progress(e);
  }
  view.done();
  const text = out.text();
  assert.match(text, /▸ method: method for 30\.0 s\n/);
  assert.match(text, /⚡ injected postgres-outage \(f1\) for 10 s\n/);
  const ESC = String.fromCharCode(27);
  assert.match(text, new RegExp(`\\r${ESC}\\[2Kmethod \\d+\\.\\ds \\| faults active 1 \\| 42 req/s p95 180 ms 2 errors \\| orders fail fast ✘ 1\\.8`));
  assert.ok(text.endsWith('\r\x1b[2K'), 'done() clears the live line');
});

test('elsewhere: plain timestamped lines per phase and per probe round, no escape codes', () => {
  let now = 1000;
  const out = sink(false);
  const view = createDrillProgressView(out, () => now);
  for (const e of EVENTS) {
    now += 500;
    view.progress(e);
  }
  const lines = out.text().split('\n').filter(Boolean);
  assert.deepEqual(lines, [
    '[   0.5s] ▸ method: method for 30.0 s',
    '[   1.0s]   ⚡ injected postgres-outage (f1) for 10 s',
    '[   2.0s]   method +4.0s faults active 1: orders fail fast ✘ 1.8 (1.8 is above the maximum 1)',
  ]);
  assert.ok(!out.text().includes(String.fromCharCode(27)), 'no escape codes');
});
