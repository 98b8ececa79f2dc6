/**
 * `cloudlab load <scenario|file>`: runs a load scenario (built-in or file) against a
 * target, with live progress, OTLP export of its own metrics, reports, and the
 * threshold verdicts as the exit code (0 pass, 99 failed, as k6; 1 on errors).
 * `cloudlab load <report.json> --compare <other.json>` prints the differences.
 */
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { LabError } from '../errors.js';
import { BUILTIN_SCENARIOS, compareSummaries, createLoadOtlpExporter, evaluateThresholds, formatSummary, loadScenario, otlpMetricsUrl, readSummary, runLoad, totalDurationMs, writeReports } from '../load/index.js';
import type { LoadOtlpExporter } from '../load/index.js';
import { countFlag, durationFlag, parseFlags } from './args.js';
import { labDefaults, labLoadFile, markLoad } from './load-lab.js';
import { createLoadProgress } from './load-progress.js';

export const LOAD_HELP = `Usage: cloudlab load <scenario|file> [flags]
       cloudlab load <report.json> --compare <other.json>

Runs a built-in scenario (${BUILTIN_SCENARIOS.join(', ')}) or a scenario file (.yaml, .yml, .json,
.js, .mjs, .ts; see docs/load.md). In a directory with a running lab, built-in scenarios target
the lab's edge, metrics go to the lab's hub, and reports and recorded orders go to
.cloudlab/load/.

Flags:
      --target <URL>      the base URL to load (overrides the scenario's)
      --vus <N>           virtual users (closed model; the peak of a staged one)
      --duration <time>   how long (30s, 5m); a staged scenario is scaled to it
      --rate <N>          requests per second (open model; the peak of a staged one)
      --workers <N>       worker threads (default 1)
      --out <file.json>   write the JSON summary there and the HTML report beside it
      --record <file>     append recorded orders (JSON lines) there
      --otlp <URL>        export the generator's metrics over OTLP/HTTP to this endpoint
                          (default: the lab's hub, or OTEL_EXPORTER_OTLP_ENDPOINT)
      --no-otlp           export no metrics
      --compare <file>    compare <report.json> with this report and exit
      --file <path>       the lab's config file (default ./cloudlab.yaml)
  -h, --help              show this help

Exit codes: 0 every threshold passed, 99 a threshold failed, 1 an error.
`;

/** The exit code when a threshold failed (k6's). */
export const THRESHOLDS_FAILED_EXIT = 99;

export async function runLoadCommand(argv: string[], out: NodeJS.WritableStream): Promise<number> {
  const { values, positionals } = parseFlags('load', argv, {
    target: { type: 'string' },
    vus: { type: 'string' },
    duration: { type: 'string' },
    rate: { type: 'string' },
    workers: { type: 'string' },
    out: { type: 'string' },
    record: { type: 'string' },
    otlp: { type: 'string' },
    'no-otlp': { type: 'boolean' },
    compare: { type: 'string' },
    file: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    out.write(LOAD_HELP);
    return 0;
  }
  const [what, ...extra] = positionals;
  if (what === undefined || extra.length > 0) {
    throw new LabError('LAB_CLI_BAD_FLAG', `cloudlab load takes one scenario (a built-in: ${BUILTIN_SCENARIOS.join(', ')}, or a file), received ${positionals.length === 0 ? 'none' : positionals.map((p) => JSON.stringify(p)).join(' ')}; see cloudlab load --help`);
  }
  const cwd = process.cwd();
  if (values.compare !== undefined) {
    const [a, b] = await Promise.all([readSummary(resolve(cwd, what)), readSummary(resolve(cwd, values.compare))]);
    out.write(compareSummaries(a, b));
    return 0;
  }
  if (values.otlp !== undefined && values['no-otlp']) throw new LabError('LAB_CLI_BAD_FLAG', 'cloudlab load: --otlp and --no-otlp contradict each other; pass one');

  const overrides = {
    ...(values.target !== undefined ? { target: values.target } : {}),
    ...(values.vus !== undefined ? { vus: countFlag('load', 'vus', values.vus, 1) } : {}),
    ...(values.duration !== undefined ? { durationMs: durationFlag('load', 'duration', values.duration, 1) } : {}),
    ...(values.rate !== undefined ? { rate: countFlag('load', 'rate', values.rate, 1) } : {}),
  };
  const workers = countFlag('load', 'workers', values.workers, 1);
  const lab = await labDefaults(cwd, values.file);
  if (lab?.target && overrides.target === undefined && BUILTIN_SCENARIOS.includes(what)) overrides.target = lab.target;
  const scenario = await loadScenario(what, { cwd, overrides });

  const startedAtMs = Date.now();
  const records = scenario.tasks.some((t) => t.record);
  const recordFile = values.record !== undefined ? resolve(cwd, values.record) : lab && records ? labLoadFile(lab.stateDir, 'orders', 'jsonl', startedAtMs) : null;
  if (recordFile) await mkdir(dirname(recordFile), { recursive: true });
  const outFile = values.out !== undefined ? resolve(cwd, values.out) : lab ? labLoadFile(lab.stateDir, 'report', 'json', startedAtMs) : null;
  const otlpUrl = values['no-otlp'] ? null : otlpMetricsUrl(values.otlp ?? null) ?? (lab?.otlpEndpoint ? otlpMetricsUrl(lab.otlpEndpoint) : null);
  const exporter: LoadOtlpExporter | null = otlpUrl ? createLoadOtlpExporter({ endpoint: otlpUrl }) : null;

  out.write(`cloudlab load: ${scenario.name} (${scenario.source}) against ${scenario.target}, ${scenario.model.kind} model, ${(totalDurationMs(scenario.model) / 1000).toFixed(0)} s${workers > 1 ? `, ${workers} workers` : ''}${exporter ? `; metrics to ${exporter.url}` : ''}\n`);
  const progress = createLoadProgress({ out, totalMs: totalDurationMs(scenario.model) });
  const controller = new AbortController();
  let signals = 0;
  const stop = (): void => {
    signals++;
    if (signals === 1) {
      progress.done();
      out.write('stopping (Ctrl-C again to quit at once)...\n');
      controller.abort();
    } else process.exit(130);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const markNote = lab ? await markLoad(lab, 'start', `cloudlab load ${scenario.name} against ${scenario.target}`) : null;
  let summary;
  try {
    summary = await runLoad({
      scenario,
      workers,
      signal: controller.signal,
      recordFile,
      onInterval: (interval) => {
        progress.interval(interval);
        exporter?.record(interval);
      },
    });
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    progress.done();
    if (exporter) {
      exporter.setUsers(0);
      await exporter.close();
    }
  }
  summary.thresholds = evaluateThresholds(scenario.thresholds, summary);
  if (lab && markNote === null) {
    await markLoad(lab, 'stop', `cloudlab load ${scenario.name}: ${summary.requests} requests${summary.interrupted ? ', interrupted' : ''}`);
  }
  out.write(`\n${formatSummary(summary)}`);
  if (outFile) {
    const files = await writeReports(summary, outFile);
    out.write(`\nreports: ${files.json}\n         ${files.html}\n`);
  }
  if (recordFile) out.write(`orders recorded in ${recordFile}\n`);
  if (markNote !== null) out.write(`note: the lab's chart markers for this run were not added: ${markNote}\n`);
  if (exporter && exporter.stats().failed > 0) out.write(`note: ${exporter.stats().failed} metric export(s) failed: ${exporter.stats().lastError}\n`);
  return summary.thresholds.every((t) => t.passed) ? 0 : THRESHOLDS_FAILED_EXIT;
}
