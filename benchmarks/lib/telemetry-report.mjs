// The telemetry benchmark's output: progress on stderr, the table on stdout, and its
// section of docs/benchmarks.md (between its own markers; the rest of the file is left
// as it is, since benchmarks/run.mjs rewrites its own part).
import { writeSection as writeDocsSection } from './sections.mjs';
export { describeMachine, loadAverage } from './machine.mjs';

export const TARGETS = Object.freeze({ spansPerCpuS: 50_000, bytesPerSpan: 1_500, queryMs: 50 });

const START = '<!-- bench:telemetry:start -->';
const END = '<!-- bench:telemetry:end -->';

const tty = Boolean(process.stderr.isTTY);
/** A step starts (a plain line when stderr is not a terminal). */
export const step = (line) => process.stderr.write(tty ? `\r\x1b[K${line}` : `${line}\n`);
/** A live figure within a step: drawn on a terminal only. */
export const live = (line) => tty && process.stderr.write(`\r\x1b[K${line}`);
/** A step is done: its line stays. */
export const done = (line) => process.stderr.write(tty ? `\r\x1b[K${line}\n` : `${line}\n`);

const int = (n) => Math.round(n).toLocaleString('en-US');
const ms = (n) => n.toFixed(1);
const verdict = (ok) => (ok ? 'PASS' : 'FAIL');

/** The rows of the table: [figure, measured, target, verdict]. */
export function tableRows({ ingest, queries, dataset }) {
  const rows = [
    ['ingest: spans/s accepted (wall clock)', int(ingest.spansPerS), '', ''],
    ['ingest: hub CPU use', `${ingest.hubCores.toFixed(2)} cores`, '', ''],
    ['ingest: spans per hub CPU-second (one core)', int(ingest.spansPerCpuS), `>= ${int(TARGETS.spansPerCpuS)}`, verdict(ingest.spansPerCpuS >= TARGETS.spansPerCpuS)],
    ['ingest: hub CPU s, main thread / other threads', Number.isFinite(ingest.hubMainCpuS) ? `${ingest.hubMainCpuS.toFixed(2)} / ${ingest.hubOtherCpuS.toFixed(2)}` : 'n/a', '', ''],
    ['ingest: spans per main-thread CPU-second', Number.isFinite(ingest.spansPerMainCpuS) ? int(ingest.spansPerMainCpuS) : 'n/a', '', ''],
    ['ingest: client CPU use', `${ingest.clientCores.toFixed(2)} cores`, '', ''],
    ['ingest: requests (512 spans each)', `${int(ingest.batches)} ok, ${int(ingest.failed)} failed, ${(ingest.bodyBytes / 1024).toFixed(0)} KiB each`, '', ''],
    ['memory: spans stored (evicted)', `${int(ingest.stored)} (${int(ingest.dropped)})`, '', ''],
    ['memory: resident (RSS) per stored span', `${int(ingest.rssPerSpan)} B`, `<= ${int(TARGETS.bytesPerSpan)} B`, verdict(ingest.rssPerSpan <= TARGETS.bytesPerSpan)],
    ['memory: JS heap per stored span', `${int(ingest.heapPerSpan)} B`, '', ''],
    [
      'query data: series, samples',
      `${int(dataset.counterSeries)} + ${int(dataset.bucketSeries)} (+${int(dataset.otherSeries)}), ${int(dataset.samples)}`,
      '',
      '',
    ],
  ];
  for (const q of queries) {
    rows.push([
      `query_range ${q.label}: p50 / p90 / max ms`,
      `${ms(q.p50)} / ${ms(q.p90)} / ${ms(q.max)}`,
      `p90 <= ${TARGETS.queryMs} ms`,
      verdict(q.p90 <= TARGETS.queryMs),
    ]);
    rows.push([`query_range ${q.label}: hub CPU ms per query (median)`, ms(q.cpuP50), '', '']);
  }
  return rows;
}

export function renderText(results) {
  const rows = [['figure', 'measured', 'target', 'verdict'], ...tableRows(results)];
  const widths = [0, 1, 2, 3].map((c) => Math.max(...rows.map((r) => r[c].length)));
  const line = (r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ').trimEnd();
  return ['Telemetry hub', line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

export function renderMarkdown(results, { command, date, machine, settings }) {
  const table = tableRows(results).map(([a, b, c, d]) => `| ${a} | ${b} | ${c || '-'} | ${d ? `**${d}**` : '-'} |`);
  const queries = results.queries.map((q) => `  - ${q.label}: \`${q.query}\` (${q.series} series of ${q.points} points in the answer)`);
  return [
    `Measured ${date} with \`${command}\`.`,
    '',
    `- Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memory} memory`,
    `- ${machine.os}, Node.js ${machine.node}`,
    `- Load average when the run started: ${machine.loadAtStart}, when it ended: ${machine.loadAtEnd} (1, 5, 15 min; anything else running on the machine skews the wall-clock figures)`,
    `- Settings: ${settings.warmupS} s of warm-up, then ${settings.durationS} s of ingest with ${settings.concurrency} requests in flight; ` +
      `${settings.queryWarmup} warm-up and ${settings.queryRuns} measured runs of each query`,
    '',
    '| figure | measured | target | verdict |',
    '| --- | ---: | ---: | ---: |',
    ...table,
    '',
    'What the figures mean:',
    '',
    '- **Ingest** runs the real hub (`createHub`, real stores) in one child process and an OTLP/HTTP client in another. The client ' +
      `posts protobuf \`ExportTraceServiceRequest\`s of 512 HTTP server spans (ten attributes each, encoded by the OpenTelemetry JS ` +
      `SDK's http/protobuf exporter) with ${settings.concurrency} requests in flight, each batch stamped with new trace and span ids. ` +
      '*spans/s accepted* is what the hub stored during the measured seconds (its trace store count) over the wall-clock time; ' +
      "*hub CPU use* is the hub process's user + system CPU time over the same time (all its threads, GC helpers included); " +
      '*spans per hub CPU-second* divides the two, the rate one fully used core would sustain, which is the figure the target ' +
      'is about: on a shared machine the wall-clock rate depends on what else runs. The hub\'s CPU time is split between its ' +
      'main thread (decoding, storing, the event loop) and its other threads (mostly V8\'s parallel and concurrent GC), ' +
      'from `/proc/self/task` (Linux only); *spans per main-thread CPU-second* leaves the GC helpers out.',
    "- **Memory** is the hub process's resident set size after a forced full GC (`--expose-gc`), after ingest minus before it, " +
      'divided by the spans stored (warm-up included; nothing is evicted, the span limit is set above what the run can send). ' +
      'The JS heap figure is the same for `heapUsed`, the part the stores themselves hold. The target reads 1.5 KB as 1,500 bytes.',
    '- **Queries** fill a second hub process through `sink.addSamples`, a scrape every 15 s for 1 h 10 min: 1,000 series of ' +
      '`http_server_requests_total` (10 routes x 100 instances) and 1,000 series of `http_server_request_duration_seconds_bucket` ' +
      '(10 routes x 10 instances x 10 buckets), plus their `_count` and `_sum`. The benchmark then asks `/api/v1/query_range` over ' +
      'HTTP for the last hour at a 15 s step (241 points), one request at a time, and times each from sending the request to ' +
      'the last byte of the JSON answer, so the figure includes parsing, evaluation, encoding and the HTTP API. ' +
      'The target applies to p90 of the measured runs. *Hub CPU per query* is the hub process\'s CPU time over each request ' +
      '(median), which depends less than the latency on what else runs on the machine. The queries:',
    ...queries,
    '',
    'CPU time per span moves with the load of the machine too (other processes compete for caches and memory bandwidth, ' +
      'and on a VM for the host\'s cores): on a shared machine, compare a few runs before reading a verdict near its threshold.',
  ].join('\n');
}

/** Replaces the section between the telemetry markers, or appends it (with a heading) at the end of the file. */
export function writeSection(fileUrl, section) {
  return writeDocsSection(fileUrl, { start: START, end: END, heading: '## Telemetry hub' }, section);
}
