/**
 * The HTML report: one self-contained file (no script, no link, nothing fetched from
 * another host) that carries the verdict and its reasons, the story, the fault windows
 * on the timeline and charts, and every probe by name.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderReport } from '../../src/drill/index.js';
import { fixtureJournal } from './helpers/journal.js';

test('the report is self-contained: inline CSS and SVG, no script, nothing from another host', () => {
  const html = renderReport(fixtureJournal());
  assert.match(html, /^<!doctype html>/);
  assert.doesNotMatch(html, /<script/i);
  assert.doesNotMatch(html, /<link/i);
  assert.doesNotMatch(html, /<img/i);
  assert.doesNotMatch(html, /@import|url\(/i);
  assert.doesNotMatch(html, /\b(?:src|href|xlink:href)\s*=\s*["']?(?:https?:)?\/\//i, 'no src or href to another host');
  assert.match(html, /<style>[\s\S]*prefers-color-scheme: dark[\s\S]*<\/style>/, 'readable in dark mode');
  assert.match(html, /<svg class="chart"/);
});

test('the report tells the story: verdict and reasons first, then the description, fault windows and probes', () => {
  const html = renderReport(fixtureJournal());
  const banner = /<header class="banner failed">([\s\S]*?)<\/header>/.exec(html)?.[1] ?? '';
  assert.match(banner, /<div class="verdict">failed<\/div>/);
  assert.match(banner, /<h1>database-outage<\/h1>/);
  assert.match(banner, /<li>during the method, orders fail fast failed 1 of 2 samples/);
  assert.match(banner, /<li>invariant &quot;every acknowledged order exists exactly once&quot; broken: 3 acknowledged orders missing: k1, k2, k3/);
  assert.ok(html.indexOf('class="banner') < html.indexOf('class="story"'), 'the verdict comes before the story');
  assert.match(html, /<div class="story">Postgres goes down for 30 s while customers order\.\nNo acknowledged order may be lost\.<\/div>/);

  // The fault's window, shaded and labelled on every chart (load rps, load p95, the probe).
  const windows = html.match(/<rect class="fault-window"[^>]*><title>postgres-outage \(f1\)<\/title><\/rect>/g) ?? [];
  assert.equal(windows.length, 3);
  assert.match(html, /<text class="fault-label"[^>]*>postgres-outage \(f1\)<\/text>/);
  // On the timeline: the phases and the fault, in seconds from the method's start (injected at 10.1 s, removed at 40.1 s).
  assert.match(html, /<rect class="bar fault"[^>]*><title>postgres-outage: 10\.1s to 40\.1s<\/title>/);
  assert.match(html, /<text class="row-label"[^>]*>method: done<\/text>/);
  // The probe's chart with its tolerance as a dashed line.
  assert.match(html, /<text class="chart-title"[^>]*>orders fail fast<\/text>/);
  assert.match(html, /<line class="tolerance"[^>]*\/><text class="tolerance-label"[^>]*>max 1<\/text>/);
  for (const name of ['menu answers', 'orders fail fast', 'error ratio above 50%', 'every acknowledged order exists exactly once', 'chaos: reset']) {
    assert.ok(html.includes(`<td>${name}</td>`), `the report names ${name}`);
  }
  assert.match(html, /the load could not run: target unreachable/);
  assert.match(html, /by the lab, time up/);
});

test('text from the drill file is escaped, never markup', () => {
  const journal = fixtureJournal();
  const html = renderReport({ ...journal, drill: { ...journal.drill, description: '<script>alert(1)</script> & <img src="http://evil.example/x">' }, reasons: ['<b>bold</b>'] });
  assert.doesNotMatch(html, /<script>alert/);
  assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt; &amp; &lt;img src=&quot;http:\/\/evil\.example\/x&quot;&gt;/);
  assert.match(html, /<li>&lt;b&gt;bold&lt;\/b&gt;<\/li>/);
});

test('every verdict has its banner and headline', () => {
  for (const [verdict, words] of [['passed', /held before, during and after/], ['aborted', /A stop condition was crossed/], ['interrupted', /was interrupted/], ['error', /could not run as designed/]] as const) {
    const html = renderReport(fixtureJournal({ verdict, reasons: [] }));
    assert.match(html, new RegExp(`<header class="banner ${verdict}">`));
    assert.match(html, words);
  }
});
