/**
 * Thresholds in k6's form, `thresholds: { http_req_duration: ['p(95)<250'],
 * http_req_failed: ['rate<0.01'], 'http_req_duration{task:menu}': ['p(99)<400'] }`,
 * and their verdicts on a run's summary.
 */
import { LabError } from '../../errors.js';
import type { LatencySummary, RunSummary, TaskSummary, Threshold } from '../types.js';
import { formatProblem, isRecord, suggest } from './problems.js';
import type { Problems } from './problems.js';

type Aggregate = Threshold['aggregate'];

/** The aggregates each metric takes, as in k6 (a trend, a rate, a counter). */
export const THRESHOLD_METRICS: Readonly<Record<string, readonly Aggregate[]>> = {
  http_req_duration: ['p', 'avg', 'min', 'max', 'med'],
  http_req_failed: ['rate'],
  http_reqs: ['count', 'rate'],
};
/** The percentiles a summary holds. */
export const THRESHOLD_PERCENTILES: readonly number[] = [50, 90, 95, 99, 99.9];

const KEY = /^([A-Za-z_]+)(?:\{([^:}]*):([^}]*)\})?$/;
const EXPRESSION = /^\s*(p\(\s*([\d.]+)\s*\)|avg|min|max|med|rate|count)\s*(<=|>=|==|!=|<|>)\s*(-?\d+(?:\.\d+)?)\s*$/;
const KEY_FIX = `write one of ${Object.keys(THRESHOLD_METRICS).join(', ')}, optionally with {task:<name>}`;

type Checked = { ok: true; threshold: Threshold } | { ok: false; onKey: boolean; expected: string; fix: string };

function fail(onKey: boolean, expected: string, fix: string): Checked {
  return { ok: false, onKey, expected, fix };
}

/** Checks one threshold; `tasks` (the scenario's task names) checks {task:name} when given. */
function check(key: string, expression: unknown, tasks: readonly string[] | null): Checked {
  const keyMatch = KEY.exec(key);
  const metric = keyMatch?.[1] ?? '';
  const allowed = THRESHOLD_METRICS[metric];
  if (!keyMatch || !allowed) {
    const near = suggest(metric || key, Object.keys(THRESHOLD_METRICS));
    return fail(true, 'is not a known threshold metric', near ? `did you mean ${near}? ${KEY_FIX}` : KEY_FIX);
  }
  const [, , tag, task] = keyMatch;
  if (tag !== undefined && tag !== 'task') return fail(true, `filters on tag "${tag}", but only {task:<name>} is supported`, `write ${metric}{task:<name>}`);
  if (task !== undefined && tasks !== null && !tasks.includes(task)) {
    return fail(true, `names task "${task}", which is not among the tasks`, `use one of ${tasks.join(', ')}`);
  }
  const exampleOf = (a: Aggregate): string => (a === 'p' ? 'p(95)<250' : a === 'rate' ? (metric === 'http_reqs' ? 'rate>100' : 'rate<0.01') : `${a}${a === 'count' ? '>100' : '<250'}`);
  const examples = allowed.length === 1 ? exampleOf(allowed[0] ?? 'rate') : `one of ${allowed.map(exampleOf).join(', ')}`;
  const match = typeof expression === 'string' ? EXPRESSION.exec(expression) : null;
  if (!match) return fail(false, `must be an expression such as ${exampleOf(allowed[0] ?? 'p')}`, `write ${examples}`);
  const [, head = '', percentileText, op = '<', valueText = '0'] = match;
  const aggregate = (percentileText === undefined ? head : 'p') as Aggregate;
  if (!allowed.includes(aggregate)) return fail(false, `uses ${aggregate === 'p' ? 'p(...)' : aggregate}, which ${metric} does not have`, `write ${examples}`);
  const percentile = percentileText === undefined ? null : Number(percentileText);
  if (percentile !== null && !THRESHOLD_PERCENTILES.includes(percentile)) {
    return fail(false, `asks for p(${percentileText}), but the summary holds p(${THRESHOLD_PERCENTILES.join('), p(')})`, 'use one of those percentiles');
  }
  const threshold: Threshold = { metric, task: task ?? null, expression: String(expression).trim(), aggregate, percentile, op: op as Threshold['op'], value: Number(valueText) };
  return { ok: true, threshold };
}

/** Parses one threshold (`http_req_duration{task:menu}`, `p(99)<400`); throws LAB_LOAD_SCENARIO_INVALID naming the key. */
export function parseThreshold(key: string, expression: string, tasks: readonly string[] | null = null): Threshold {
  const result = check(key, expression, tasks);
  if (result.ok) return result.threshold;
  const problem = { path: result.onKey ? ['thresholds', key] : ['thresholds', key, 0], expected: result.expected, received: result.onKey ? key : expression, fix: result.fix };
  throw new LabError('LAB_LOAD_SCENARIO_INVALID', formatProblem(problem, () => '').trimStart());
}

/** Reads `thresholds`: a map of metric to a list of expressions (a single string, or k6's { threshold } objects, also pass). */
export function readThresholds(raw: unknown, tasks: readonly string[], problems: Problems): Threshold[] {
  if (raw === undefined) return [];
  if (!isRecord(raw)) {
    problems.add(['thresholds'], 'must be a map of metric to expressions', raw, "write thresholds: { http_req_duration: ['p(95)<250'] }");
    return [];
  }
  const out: Threshold[] = [];
  for (const [key, value] of Object.entries(raw)) {
    const list: unknown[] = Array.isArray(value) ? value : [value];
    if (list.length === 0) problems.add(['thresholds', key], 'must list at least one expression', value, "write ['p(95)<250']");
    list.forEach((item, i) => {
      const path = Array.isArray(value) ? ['thresholds', key, i] : ['thresholds', key];
      let expression = item;
      if (isRecord(item)) {
        const extra = Object.keys(item).find((k) => k !== 'threshold');
        if (extra !== undefined) return problems.add([...path, extra], 'is not supported', item[extra], 'write only { threshold: "p(95)<250" }, or the expression alone');
        expression = item.threshold;
      }
      const result = check(key, expression, tasks);
      if (result.ok) out.push(result.threshold);
      else if (result.onKey && i === 0) problems.add(['thresholds', key], result.expected, key, result.fix);
      else if (!result.onKey) problems.add(path, result.expected, expression, result.fix);
      return undefined;
    });
  }
  return out;
}

const EMPTY: LatencySummary = { count: 0, min: 0, mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0 };

function latency(summary: LatencySummary, t: Threshold): number {
  switch (t.aggregate) {
    case 'avg':
      return summary.mean;
    case 'min':
      return summary.min;
    case 'max':
      return summary.max;
    case 'med':
      return summary.p50;
    default: {
      const key = ({ 50: 'p50', 90: 'p90', 95: 'p95', 99: 'p99', 99.9: 'p999' } as const)[t.percentile as 50 | 90 | 95 | 99 | 99.9];
      return key === undefined ? Number.NaN : summary[key];
    }
  }
}

function errorCount(errors: TaskSummary['errors']): number {
  return Object.values(errors).reduce<number>((sum, n) => sum + (n ?? 0), 0);
}

/** Errors over attempts (requests, and arrivals dropped at maxInFlight), as the engine counts summary.errorRatio. */
function ratioOf(task: TaskSummary | undefined): number {
  if (task === undefined) return 0;
  const attempts = task.requests + (task.errors.dropped ?? 0);
  return attempts === 0 ? 0 : errorCount(task.errors) / attempts;
}

/** The value a threshold compares: latency in ms, error ratio 0-1, request count, or requests/s. */
export function thresholdActual(t: Threshold, summary: RunSummary): number {
  const task = t.task === null ? null : summary.tasks.find((s) => s.name === t.task);
  const requests = task === null ? summary.requests : (task?.requests ?? 0);
  switch (t.metric) {
    case 'http_req_duration':
      return latency(task === null ? summary.responseTime : (task?.responseTime ?? EMPTY), t);
    case 'http_req_failed':
      if (task === null) return summary.errorRatio;
      return ratioOf(task);
    default:
      if (t.aggregate === 'count') return requests;
      return task === null ? summary.requestsPerSecond : summary.durationMs > 0 ? requests / (summary.durationMs / 1000) : 0;
  }
}

function compare(actual: number, op: Threshold['op'], value: number): boolean {
  switch (op) {
    case '<':
      return actual < value;
    case '<=':
      return actual <= value;
    case '>':
      return actual > value;
    case '>=':
      return actual >= value;
    case '==':
      return actual === value;
    case '!=':
      return actual !== value;
  }
}

/** The verdict of each threshold on a run's summary (a task without requests counts as zeros). */
export function evaluateThresholds(thresholds: Threshold[], summary: RunSummary): RunSummary['thresholds'] {
  return thresholds.map((t) => {
    const actual = thresholdActual(t, summary);
    const metric = t.task === null ? t.metric : `${t.metric}{task:${t.task}}`;
    return { threshold: t.expression, metric, passed: !Number.isNaN(actual) && compare(actual, t.op, t.value), actual };
  });
}
