import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createMetricStore } from '../../../src/telemetry/metrics/index.js';
import type { Matcher } from '../../../src/telemetry/contracts.js';

const eq = (name: string, value: string): Matcher => ({ name, type: '=', value });

function times(store: ReturnType<typeof createMetricStore>, matchers: Matcher[], from = 0, to = Infinity): number[][] {
  return store.select(matchers, from, to).map((s) => Array.from(s.timestamps));
}

test('series are keyed by their sorted label set; empty labels do not count', () => {
  const store = createMetricStore({ clock: () => 10_000 });
  store.append([
    { labels: { __name__: 'up', job: 'a', x: '' }, timeMs: 1000, value: 1 },
    { labels: { job: 'a', __name__: 'up' }, timeMs: 2000, value: 2 },
  ]);
  const [s] = store.select([eq('__name__', 'up')], 0, 10_000);
  assert.equal(store.stats().series, 1);
  assert.deepEqual(s!.labels, { __name__: 'up', job: 'a' });
  assert.deepEqual(Array.from(s!.timestamps), [1000, 2000]);
  assert.deepEqual(Array.from(s!.values), [1, 2]);
});

test('out-of-order and conflicting duplicate samples are dropped and counted, as Prometheus does', () => {
  const store = createMetricStore({ clock: () => 10_000 });
  const labels = { __name__: 'c' };
  assert.equal(store.append([{ labels, timeMs: 5000, value: 1 }, { labels, timeMs: 4000, value: 2 }]), 1);
  assert.equal(store.append([{ labels, timeMs: 5000, value: 1 }]), 0); // same time, same value: ignored silently
  assert.equal(store.append([{ labels, timeMs: 5000, value: 3 }]), 0); // same time, another value
  store.append([{ labels, timeMs: 6000, value: 4 }]);
  const stats = store.stats();
  assert.equal(stats.droppedSamples.outOfOrder, 1);
  assert.equal(stats.droppedSamples.duplicate, 1);
  assert.equal(stats.samples, 2);
  assert.deepEqual(times(store, [eq('__name__', 'c')]), [[5000, 6000]]);
});

test('a series keeps at most maxSamplesPerSeries samples, oldest overwritten first', () => {
  const store = createMetricStore({ clock: () => 1_000_000, limits: { maxSamplesPerSeries: 5 } });
  const labels = { __name__: 'g' };
  for (let t = 1; t <= 12; t++) store.append([{ labels, timeMs: t * 1000, value: t }]);
  const [s] = store.select([eq('__name__', 'g')], 0, Infinity);
  assert.deepEqual(Array.from(s!.timestamps), [8000, 9000, 10000, 11000, 12000]);
  assert.deepEqual(Array.from(s!.values), [8, 9, 10, 11, 12]);
  // A window inside the wrapped ring is contiguous and exact.
  const [w] = store.select([eq('__name__', 'g')], 9000, 11_000);
  assert.deepEqual(Array.from(w!.values), [9, 10, 11]);
  assert.equal(store.stats().droppedSamples.overwritten, 7);
  assert.equal(store.stats().samples, 5);
});

test('retention by the injected clock: too-old samples refused, old ones pruned, empty series removed', () => {
  let now = 100_000;
  const store = createMetricStore({ clock: () => now, limits: { retentionMs: 60_000 }, pruneIntervalMs: 1_000_000 });
  const a = { __name__: 'a' };
  const b = { __name__: 'b' };
  store.append([
    { labels: a, timeMs: 30_000, value: 1 }, // older than 100 s - 60 s: refused
    { labels: a, timeMs: 50_000, value: 2 },
    { labels: a, timeMs: 90_000, value: 3 },
    { labels: b, timeMs: 60_000, value: 4 },
  ]);
  assert.equal(store.stats().droppedSamples.tooOld, 1);
  now = 125_000; // horizon 65 s: a keeps 90 s, b keeps nothing
  // select hides expired samples even before a prune.
  assert.deepEqual(times(store, [eq('__name__', 'a')]), [[90_000]]);
  assert.deepEqual(times(store, [eq('__name__', 'b')]), []);
  store.prune();
  const stats = store.stats();
  assert.equal(stats.series, 1);
  assert.equal(stats.samples, 1);
  assert.equal(stats.droppedSamples.expired, 2);
  assert.equal(stats.droppedSeries.expired, 1);
  assert.deepEqual(store.labelValues('__name__', [], 0, Infinity), ['a']);
});

test('append prunes on its own every pruneIntervalMs of clock time', () => {
  let now = 100_000;
  const store = createMetricStore({ clock: () => now, limits: { retentionMs: 10_000 }, pruneIntervalMs: 5_000 });
  store.append([{ labels: { __name__: 'old' }, timeMs: 95_000, value: 1 }]);
  now = 120_000;
  store.append([{ labels: { __name__: 'new' }, timeMs: 119_000, value: 1 }]);
  assert.equal(store.stats().series, 1);
  assert.equal(store.stats().droppedSeries.expired, 1);
});

test('past maxSeries the least recently written series is evicted', () => {
  const store = createMetricStore({ clock: () => 1_000_000, limits: { maxSeries: 3 } });
  const s = (name: string, t: number) => ({ labels: { __name__: name }, timeMs: t, value: 1 });
  store.append([s('a', 1000), s('b', 1000), s('c', 1000)]);
  store.append([s('a', 2000)]); // a is now the most recently written; b the least
  store.append([s('d', 2000)]);
  assert.deepEqual(store.labelValues('__name__', [], 0, Infinity), ['a', 'c', 'd']);
  const stats = store.stats();
  assert.equal(stats.droppedSeries.evicted, 1);
  assert.equal(stats.droppedSamples.evicted, 1);
  assert.equal(stats.series, 3);
});

test('matchers: =, !=, =~, !~ with missing labels matching the empty string', () => {
  const store = createMetricStore({ clock: () => 10_000 });
  const add = (labels: Record<string, string>) => store.append([{ labels, timeMs: 1000, value: 1 }]);
  add({ __name__: 'req', route: '/a', code: '200' });
  add({ __name__: 'req', route: '/b', code: '500' });
  add({ __name__: 'req', route: '/c' });
  add({ __name__: 'other', route: '/a' });
  const routes = (matchers: Matcher[]) => store.select(matchers, 0, 10_000).map((s) => `${s.labels['__name__']}${s.labels['route']}`).sort();
  assert.deepEqual(routes([eq('__name__', 'req'), { name: 'code', type: '!=', value: '200' }]), ['req/b', 'req/c']);
  assert.deepEqual(routes([eq('__name__', 'req'), eq('code', '')]), ['req/c']);
  assert.deepEqual(routes([{ name: 'route', type: '=~', value: '/a|/c' }]), ['other/a', 'req/a', 'req/c']);
  assert.deepEqual(routes([{ name: 'route', type: '=~', value: '/' }]), []); // anchored
  assert.deepEqual(routes([eq('__name__', 'req'), { name: 'code', type: '!~', value: '5..' }]), ['req/a', 'req/c']);
  assert.deepEqual(routes([{ name: 'code', type: '=~', value: '.+' }]), ['req/a', 'req/b']);
  assert.deepEqual(routes([{ name: 'route', type: '=~', value: '(?i)/A' }]), ['other/a', 'req/a']);
  assert.deepEqual(routes([eq('__name__', 'nope')]), []);
});

test('labelNames and labelValues honour selectors and the time range', () => {
  const store = createMetricStore({ clock: () => 100_000 });
  store.append([
    { labels: { __name__: 'a', x: '1' }, timeMs: 10_000, value: 1 },
    { labels: { __name__: 'b', y: '2' }, timeMs: 50_000, value: 1 },
  ]);
  assert.deepEqual(store.labelNames([], 0, 100_000), ['__name__', 'x', 'y']);
  assert.deepEqual(store.labelNames([[eq('__name__', 'b')]], 0, 100_000), ['__name__', 'y']);
  assert.deepEqual(store.labelNames([], 20_000, 100_000), ['__name__', 'y']);
  assert.deepEqual(store.labelValues('__name__', [], 0, 100_000), ['a', 'b']);
  assert.deepEqual(store.labelValues('x', [[eq('__name__', 'b')]], 0, 100_000), []);
  assert.deepEqual(store.labelValues('__name__', [[eq('x', '1')], [eq('y', '2')]], 0, 100_000), ['a', 'b']);
});

// How fast the index answers is measured in benchmarks/telemetry.mjs (query_range over many
// series), not here: a timed assertion fails on a busy machine.
test('selecting a few of 10,000 series by label finds exactly those', () => {
  const store = createMetricStore({ clock: () => 1_000_000 });
  const batch = [];
  for (let i = 0; i < 10_000; i++) batch.push({ labels: { __name__: 'm', pod: `p${i}`, zone: `z${i % 10}` }, timeMs: 1000, value: i });
  store.append(batch);
  for (let i = 0; i < 100; i++) {
    const found = store.select([eq('__name__', 'm'), eq('pod', `p${i}`)], 0, 2000);
    assert.equal(found.length, 1);
    assert.equal(found[0]?.labels.pod, `p${i}`);
  }
  assert.equal(store.select([eq('zone', 'z3'), { name: 'pod', type: '=~', value: 'p1.*' }], 0, 2000).length, 111);
});

test('the store answers like a plain list of samples (model-based)', () => {
  const op = fc.record({ series: fc.integer({ min: 0, max: 4 }), dt: fc.integer({ min: -3, max: 5 }), value: fc.integer({ min: 0, max: 100 }), advance: fc.integer({ min: 0, max: 4 }) });
  fc.assert(
    fc.property(fc.array(op, { maxLength: 200 }), fc.integer({ min: 1, max: 8 }), (ops, maxSamples) => {
      let now = 1_000;
      const retentionMs = 20;
      const store = createMetricStore({ clock: () => now, limits: { retentionMs, maxSamplesPerSeries: maxSamples, maxSeries: 3 }, pruneIntervalMs: 7 });
      // The model: per series, its samples; series in order of last write.
      const model = new Map<number, [number, number][]>();
      const last = new Map<number, number>();
      let lastPrune = -Infinity;
      for (const o of ops) {
        now += o.advance;
        // The store prunes expired samples, and series left empty, every pruneIntervalMs.
        if (now - lastPrune >= 7) {
          lastPrune = now;
          for (const [series, list] of model) {
            const kept = list.filter(([t]) => t >= now - retentionMs);
            if (kept.length > 0) model.set(series, kept);
            else {
              model.delete(series);
              last.delete(series);
            }
          }
        }
        const t = (last.get(o.series) ?? now) + o.dt;
        store.append([{ labels: { __name__: 's', n: String(o.series) }, timeMs: t, value: o.value }]);
        const list = model.get(o.series) ?? [];
        const newest = list.length > 0 ? list[list.length - 1]![0] : -Infinity;
        if (t < now - retentionMs || t <= newest) continue;
        list.push([t, o.value]);
        if (list.length > maxSamples) list.shift();
        model.delete(o.series);
        model.set(o.series, list);
        last.set(o.series, t);
        while (model.size > 3) {
          const oldest = model.keys().next().value!;
          model.delete(oldest);
          last.delete(oldest);
        }
      }
      const got = new Map(store.select([eq('__name__', 's')], -Infinity, Infinity).map((s) => [Number(s.labels['n']), Array.from(s.timestamps, (t, i) => [t, s.values[i]!])]));
      for (const [series, list] of model) {
        const kept = list.filter(([t]) => t >= now - retentionMs);
        if (kept.length === 0) assert.ok(!got.has(series));
        else assert.deepEqual(got.get(series), kept, `series ${series}`);
      }
      for (const series of got.keys()) assert.ok(model.has(series), `unexpected series ${series}`);
    }),
    { numRuns: 300 },
  );
});
