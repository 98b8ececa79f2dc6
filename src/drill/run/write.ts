/**
 * The run's files: chart data queried from the hub over the whole run (each promql
 * probe and stop condition, step 1 s; 2 s past 15 minutes), then the JSON journal and
 * the self-contained HTML report beside it.
 */
import { join } from 'node:path';
import { writeAtomic } from '../journal.js';
import { queryRange } from '../probes/promql.js';
import { renderReport } from '../report/html.js';
import type { ChartSeries, Journal, Probe } from '../types.js';

function promqlProbes(journal: Journal): Probe[] {
  const d = journal.drill;
  const all = [...d.method.probes.map((p) => p.probe), ...d.stopConditions, ...d.hypothesis, ...d.invariants.flatMap((i) => (i.kind === 'probe' ? [i.probe] : []))];
  const seen = new Set<string>();
  return all.filter((p) => {
    if (p.kind !== 'promql' || seen.has(p.query)) return false;
    seen.add(p.query);
    return true;
  });
}

export async function chartSeries(journal: Journal, hubUrl: string | null): Promise<ChartSeries[]> {
  const probes = promqlProbes(journal);
  const start = journal.startedAtMs;
  const end = Math.max(journal.endedAtMs, start + 1000);
  return Promise.all(probes.map((p) => (p.kind === 'promql' ? queryRange(hubUrl, p.name, p.query, p.tolerance, start, end) : Promise.reject(new Error('unreachable')))));
}

export async function writeJournalAndReport(journal: Journal, outDir: string, hubUrl: string | null): Promise<{ json: string; html: string }> {
  journal.charts.probes = await chartSeries(journal, hubUrl);
  const json = join(outDir, `${journal.id}.json`);
  const html = join(outDir, `${journal.id}.html`);
  // The report first: a journal on disk means its report is there too.
  await writeAtomic(html, renderReport(journal));
  await writeAtomic(json, `${JSON.stringify(journal, null, 2)}\n`);
  return { json, html };
}
