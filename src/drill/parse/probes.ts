/**
 * Probes in a drill file (hypothesis, method.probes, stop_conditions, invariants): a
 * name and exactly one of `http`, `promql` or `sql`, with its tolerance.
 */
import type { DuringProbe, HttpProbe, Probe } from '../types.js';
import { checkKeys, formatPath, isRecord } from './problems.js';
import type { KeyPath, Problems } from './problems.js';
import { TOLERANCE_KEYS, readDuration, readInteger, readNoData, readString, readTolerance } from './values.js';

export const PROBE_KINDS = ['http', 'promql', 'sql'] as const;
const PROBE_KEYS = ['name', ...PROBE_KINDS, ...TOLERANCE_KEYS, 'no_data'];
const HTTP_KEYS = ['path', 'url', 'method', 'status', 'body_includes', 'max_latency'];
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
export const DURING_KEYS = ['allowed_failures', 'from', 'until'];

export interface ProbeOptions {
  /** Keys allowed beside the probe's own (a during-probe's window, an invariant's recorded_orders). */
  extraKeys?: readonly string[];
  /** What no data means when `no_data` is not written. */
  noData?: 'fail' | 'pass';
}

function readHttp(raw: unknown, path: KeyPath, problems: Problems): Omit<HttpProbe, 'name' | 'noData'> | undefined {
  if (!isRecord(raw)) return problems.add(path, 'must be a map such as { path: /menu, status: 200 }', raw, 'write http: { path: /menu, status: 200, max_latency: 500ms }');
  checkKeys(raw, path, HTTP_KEYS, problems);
  let url: string | null = null;
  let relative: string | null = null;
  if (raw['path'] !== undefined && raw['url'] !== undefined) problems.add([...path, 'url'], 'cannot stand beside path', raw['url'], 'keep path (relative to the lab\'s edge) or url (absolute), not both');
  else if (raw['url'] !== undefined) {
    const text = readString(raw['url'], [...path, 'url'], problems, 'http://127.0.0.1:8000/menu');
    if (text !== undefined) {
      if (/^https?:\/\/[^/]/.test(text) && URL.canParse(text)) url = text;
      else problems.add([...path, 'url'], 'must be an absolute http:// or https:// URL', text, 'write url: http://127.0.0.1:8000/menu, or path: /menu for the lab\'s edge');
    }
  } else if (raw['path'] !== undefined) {
    const text = readString(raw['path'], [...path, 'path'], problems, '/menu');
    if (text !== undefined) {
      if (text.startsWith('/')) relative = text;
      else problems.add([...path, 'path'], 'must start with /', text, `write path: /${text}`);
    }
  } else problems.add(path, 'must have a path (relative to the lab\'s edge) or a url', raw, 'add path: /menu');
  let method = 'GET';
  if (raw['method'] !== undefined) {
    const m = typeof raw['method'] === 'string' ? raw['method'].toUpperCase() : '';
    if (METHODS.includes(m)) method = m;
    else problems.add([...path, 'method'], `must be one of ${METHODS.join(', ')}`, raw['method'], 'write method: GET');
  }
  const status = raw['status'] === undefined ? null : readInteger(raw['status'], [...path, 'status'], problems, 100, 599) ?? null;
  const bodyIncludes = raw['body_includes'] === undefined ? null : readString(raw['body_includes'], [...path, 'body_includes'], problems, 'Espresso') ?? null;
  const maxLatencyMs = raw['max_latency'] === undefined ? null : readDuration(raw['max_latency'], [...path, 'max_latency'], problems, 1) ?? null;
  return { kind: 'http', url, path: relative, method, status, bodyIncludes, maxLatencyMs };
}

/** One probe; undefined (with problems recorded) when it is wrong. */
export function readProbe(raw: unknown, path: KeyPath, problems: Problems, options: ProbeOptions = {}): Probe | undefined {
  if (!isRecord(raw)) return problems.add(path, 'must be a map with a name and one of http, promql or sql', raw, "write - name: menu answers\n    http: { path: /menu, status: 200 }");
  checkKeys(raw, path, [...PROBE_KEYS, ...(options.extraKeys ?? [])], problems);
  const name = readString(raw['name'], [...path, 'name'], problems, 'orders error ratio under 1%');
  const kinds = PROBE_KINDS.filter((k) => raw[k] !== undefined);
  if (kinds.length !== 1) {
    const [first, second] = kinds;
    if (first !== undefined && second !== undefined) return problems.add([...path, second], `cannot stand beside ${first}: a probe has exactly one of http, promql or sql`, raw[second], `split it into two probes, one with ${first} and one with ${second}`);
    return problems.add(path, 'must have exactly one of http, promql or sql', raw, 'add promql: \'sum(rate(...[30s]))\' with max: (or http: { path: /menu }, or sql: \'SELECT ...\' with min:)');
  }
  const kind = kinds[0]!;
  const noData = readNoData(raw['no_data'], [...path, 'no_data'], problems, options.noData ?? 'fail');
  if (kind === 'http') {
    for (const key of [...TOLERANCE_KEYS, 'no_data']) {
      if (raw[key] !== undefined) problems.add([...path, key], 'applies to promql and sql probes, not to http', raw[key], 'write status, body_includes or max_latency inside http: { ... }');
    }
    const http = readHttp(raw['http'], [...path, 'http'], problems);
    if (name === undefined || http === undefined) return undefined;
    return { ...http, name, noData };
  }
  const query = readString(raw[kind], [...path, kind], problems, kind === 'sql' ? "'SELECT count(*) FROM menu_items'" : "'sum(rate(http_server_request_duration_seconds_count[30s]))'");
  const tolerance = readTolerance(raw, path, problems);
  if (name === undefined || query === undefined) return undefined;
  return { kind, name, query, tolerance, noData };
}

/** A probe of method.probes: a probe with allowed_failures and an optional from/until window. */
export function readDuringProbe(raw: unknown, path: KeyPath, problems: Problems): DuringProbe | undefined {
  const probe = readProbe(raw, path, problems, { extraKeys: DURING_KEYS });
  if (!isRecord(raw)) return undefined;
  const allowedFailures = raw['allowed_failures'] === undefined ? 0 : readInteger(raw['allowed_failures'], [...path, 'allowed_failures'], problems, 0);
  const fromMs = raw['from'] === undefined ? null : readDuration(raw['from'], [...path, 'from'], problems) ?? null;
  const untilMs = raw['until'] === undefined ? null : readDuration(raw['until'], [...path, 'until'], problems) ?? null;
  if (fromMs !== null && untilMs !== null && untilMs <= fromMs) problems.add([...path, 'until'], `must be after from (${formatPath([...path, 'from'])})`, raw['until'], 'make the window end after it starts');
  if (probe === undefined || allowedFailures === undefined) return undefined;
  return { probe, allowedFailures, fromMs, untilMs };
}

/** A list of probes under `key`, with unique names. */
export function readProbeList(raw: unknown, path: KeyPath, problems: Problems, options: ProbeOptions = {}): Probe[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    problems.add(path, 'must be a list of probes', raw, `write ${formatPath(path)}:\n  - name: menu answers\n    http: { path: /menu }`);
    return [];
  }
  const read = raw.map((item, i) => readProbe(item, [...path, i], problems, options));
  uniqueNames(read.map((p) => p?.name), path, problems);
  return read.filter((p): p is Probe => p !== undefined);
}

/** Names by list index (undefined for an item that did not parse): each must be unique. */
export function uniqueNames(names: Array<string | undefined>, path: KeyPath, problems: Problems): void {
  const seen = new Set<string>();
  names.forEach((name, i) => {
    if (name === undefined) return;
    if (seen.has(name)) problems.add([...path, i, 'name'], 'must be unique in its list', name, 'rename one of them');
    seen.add(name);
  });
}
