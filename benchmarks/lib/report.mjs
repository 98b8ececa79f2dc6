// Turns the measured rounds into the summary, the target verdicts, a terminal table
// and a markdown section.
//
// Each round holds, per path, two HTTP runs and two bulk transfers taken there and back
// (A B C D D C B A). A figure is the median of all of a path's runs. A ratio to the bare
// pipe is taken within each round (the path's two runs against the pipe's two, which the
// there-and-back order keeps close in time), then the median over the rounds: on a
// shared machine that stays put far better than dividing two figures from different
// moments would.
import { median } from './stats.mjs';

/** The bare pipe is the yardstick: the least any Node proxy costs. */
export const BASELINE = 'pipe';

/** Ratio name: the test and the figure it compares. */
const RATIOS = {
  reqRatio: ['http', 'reqPerS'],
  p50Ratio: ['http', 'p50Ms'],
  p99Ratio: ['http', 'p99Ms'],
  bulkRatio: ['bulk', 'mbPerS'],
};

export const TARGETS = Object.freeze([
  { path: 'cloudlab', ratio: 'reqRatio', min: 0.9, text: 'req/s >= 90% of the bare pipe' },
  { path: 'cloudlab', ratio: 'bulkRatio', min: 0.9, text: 'bulk MB/s >= 90% of the bare pipe' },
  { path: 'cloudlab', ratio: 'p50Ratio', max: 1.1, text: 'p50 latency <= 110% of the bare pipe' },
  { path: 'latency0', ratio: 'reqRatio', min: 0.75, text: 'req/s >= 75% of the bare pipe' },
  { path: 'latency0', ratio: 'bulkRatio', min: 0.75, text: 'bulk MB/s >= 75% of the bare pipe' },
]);

const int = (n) => Math.round(n).toLocaleString('en-US');
const ms = (n) => n.toFixed(2);
const pct = (r) => `${(r * 100).toFixed(1)}%`;
const opt = (n, digits) => (Number.isFinite(n) ? n.toFixed(digits) : '-');

const total = (runs, key) => runs.reduce((n, r) => n + r[key], 0);

/**
 * A path's figures: the median of all its runs.
 * @param {{ http: object[], bulk: object[] }[]} rounds
 */
export function figures(rounds) {
  const http = rounds.flatMap((r) => r.http);
  const bulk = rounds.flatMap((r) => r.bulk);
  return {
    reqPerS: median(http.map((r) => r.reqPerS)),
    p50Ms: median(http.map((r) => r.p50Ms)),
    p99Ms: median(http.map((r) => r.p99Ms)),
    cpuUsPerReq: median(http.map((r) => r.cpuUsPerReq)),
    mbPerS: median(bulk.map((r) => r.mbPerS)),
    cpuSPerGiB: median(bulk.map((r) => r.cpuSPerGiB)),
    errors: total(http, 'errors'),
  };
}

/** Each ratio of a path to the baseline: per round, then the median over rounds. */
export function ratios(rounds, baseRounds) {
  return Object.fromEntries(
    Object.entries(RATIOS).map(([name, [test, key]]) => [
      name,
      median(rounds.map((round, i) => total(round[test], key) / total(baseRounds[i][test], key))),
    ]),
  );
}

/** Summary rows with their ratios to the baseline, and the verdict of each target. */
export function summarize(paths, runsById) {
  const baseRounds = runsById.get(BASELINE);
  const rows = paths.map((p) => ({ ...p, ...figures(runsById.get(p.id)), ...ratios(runsById.get(p.id), baseRounds) }));
  const verdicts = TARGETS.map((t) => {
    const row = rows.find((r) => r.id === t.path);
    const ratio = row[t.ratio];
    const pass = t.min !== undefined ? ratio >= t.min : ratio <= t.max;
    return { ...t, label: row.label, ratio, pass };
  });
  return { rows, verdicts };
}

function columns(rows) {
  return [
    ['path', ...rows.map((r) => r.label)],
    ['req/s', ...rows.map((r) => int(r.reqPerS))],
    ['p50 ms', ...rows.map((r) => ms(r.p50Ms))],
    ['p99 ms', ...rows.map((r) => ms(r.p99Ms))],
    ['bulk MB/s', ...rows.map((r) => int(r.mbPerS))],
    ['proxy CPU µs/req', ...rows.map((r) => opt(r.cpuUsPerReq, 1))],
    ['proxy CPU s/GiB', ...rows.map((r) => opt(r.cpuSPerGiB, 2))],
    ['req/s vs pipe', ...rows.map((r) => pct(r.reqRatio))],
    ['p50 vs pipe', ...rows.map((r) => pct(r.p50Ratio))],
    ['p99 vs pipe', ...rows.map((r) => pct(r.p99Ratio))],
    ['bulk vs pipe', ...rows.map((r) => pct(r.bulkRatio))],
  ];
}

/** The results as an aligned plain-text table plus the target verdicts. */
export function renderText({ rows, verdicts }) {
  const cols = columns(rows);
  const widths = cols.map((c) => Math.max(...c.map((cell) => cell.length)));
  const lines = cols[0].map((_, i) =>
    cols.map((c, j) => (j === 0 ? c[i].padEnd(widths[j]) : c[i].padStart(widths[j]))).join('  '),
  );
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  lines.push('(figures: median of all runs; ratios: median over rounds of each round\'s ratio)');
  lines.push('', 'targets (vs the bare pipe):');
  for (const v of verdicts) lines.push(`  ${v.pass ? 'PASS' : 'FAIL'}  ${v.label}: ${v.text} (measured ${pct(v.ratio)})`);
  const failed = verdicts.filter((v) => !v.pass).length;
  lines.push('', failed === 0 ? 'all targets met' : `${failed} of ${verdicts.length} targets missed`);
  for (const r of rows.filter((row) => row.errors > 0)) {
    lines.push(`warning: ${r.label} had ${r.errors} HTTP errors, timeouts or non-2xx answers`);
  }
  return lines.join('\n');
}

function mdTable(header, body) {
  const align = header.map((_, i) => (i === 0 ? '---' : '---:'));
  return [header, align, ...body].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

const both = (runs, format) => runs.map(format).join(', ');

/** The markdown section written into docs/benchmarks.md. */
export function renderMarkdown({ rows, verdicts }, { config, command, machine, date, paths, runsById }) {
  const cols = columns(rows);
  const header = cols.map((c) => c[0]);
  const body = rows.map((_, i) => cols.map((c) => c[i + 1]));
  const targetRows = verdicts.map((v) => [v.label, v.text, pct(v.ratio), v.pass ? '**PASS**' : '**FAIL**']);
  const roundRows = paths.flatMap((p) =>
    runsById.get(p.id).map(({ http, bulk }, i) => [
      p.label,
      String(i + 1),
      both(http, (h) => int(h.reqPerS)),
      both(http, (h) => ms(h.p50Ms)),
      both(http, (h) => ms(h.p99Ms)),
      both(http, (h) => opt(h.cpuUsPerReq, 1)),
      both(bulk, (b) => int(b.mbPerS)),
      both(bulk, (b) => opt(b.cpuSPerGiB, 2)),
    ]),
  );
  const rounds = `${config.rounds} round${config.rounds === 1 ? '' : 's'}`;
  return [
    `Measured ${date} with \`${command}\`.`,
    '',
    `- Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memory} memory`,
    `- ${machine.os}, Node.js ${machine.node}`,
    `- Load average when the run started: ${machine.loadAtStart} (1, 5, 15 min; anything else running skews the figures)`,
    `- Settings: ${config.connections} connections, ${config.durationS} s per HTTP run (${config.warmupS} s of warm-up first), ` +
      `${config.bulkMiB} MiB per bulk transfer; ${rounds}, each with two HTTP runs and two bulk transfers per path`,
    '',
    mdTable(header, body),
    '',
    'Figures are the median of all runs of a path; ratios, the median over rounds of each round\'s ratio to the bare pipe.',
    '',
    mdTable(['path', 'target', 'measured', 'verdict'], targetRows),
    '',
    '<details><summary>Every run (two per round, there and back)</summary>',
    '',
    mdTable(['path', 'round', 'req/s', 'p50 ms', 'p99 ms', 'proxy CPU µs/req', 'bulk MB/s', 'proxy CPU s/GiB'], roundRows),
    '',
    '</details>',
  ].join('\n');
}
