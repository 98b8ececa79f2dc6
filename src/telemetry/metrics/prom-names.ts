/**
 * OpenTelemetry names to Prometheus names, as the Collector's Prometheus exporter
 * builds them (prometheus/otlptranslator with suffixes on, UTF-8 escaped):
 * name tokens split on anything outside [a-zA-Z0-9:], the unit appended
 * (`s` -> `seconds`, `By/s` -> `bytes_per_second`, `{request}` and `1` add
 * nothing), `_total` for monotonic sums, `_ratio` for gauges of unit `1`.
 */

const UNITS: Record<string, string> = {
  d: 'days', h: 'hours', min: 'minutes', s: 'seconds', ms: 'milliseconds', us: 'microseconds', ns: 'nanoseconds',
  By: 'bytes', KiBy: 'kibibytes', MiBy: 'mebibytes', GiBy: 'gibibytes', TiBy: 'tibibytes',
  KBy: 'kilobytes', MBy: 'megabytes', GBy: 'gigabytes', TBy: 'terabytes',
  m: 'meters', V: 'volts', A: 'amperes', J: 'joules', W: 'watts', g: 'grams',
  Cel: 'celsius', Hz: 'hertz', '1': '', '%': 'percent',
};

const PER_UNITS: Record<string, string> = { s: 'second', m: 'minute', h: 'hour', d: 'day', w: 'week', mo: 'month', y: 'year' };

/** What a metric becomes in Prometheus, which decides its suffixes. */
export type PromKind = 'gauge' | 'counter' | 'non-monotonic-counter' | 'histogram' | 'summary';

function cleanUpUnit(unit: string): string {
  return unit.replace(/[^a-zA-Z0-9:]/g, '_').replace(/__+/g, '_').replace(/^_/, '');
}

/** The `main` and `per_x` unit suffixes of a UCUM unit, uncleaned. */
export function unitSuffixes(unit: string): [string, string] {
  const slash = unit.indexOf('/');
  const mainOtel = (slash === -1 ? unit : unit.slice(0, slash)).trim();
  const perRaw = slash === -1 ? '' : unit.slice(slash + 1);
  let main = '';
  let per = '';
  if (mainOtel !== '' && !/[{}]/.test(mainOtel)) main = UNITS[mainOtel] ?? mainOtel;
  if (perRaw !== '') {
    const perOtel = perRaw.trim();
    if (perOtel !== '' && !/[{}]/.test(perOtel)) per = PER_UNITS[perOtel] ?? perOtel;
    if (per !== '') per = `per_${per}`;
  }
  return [main, per];
}

/** The Prometheus metric name of an OpenTelemetry metric (before `_bucket`/`_sum`/`_count`). */
export function prometheusMetricName(name: string, unit: string, kind: PromKind): string {
  let tokens = name.split(/[^a-zA-Z0-9:]+/).filter((t) => t !== '');
  const [mainRaw, perRaw] = unitSuffixes(unit);
  let main = cleanUpUnit(mainRaw);
  let per = cleanUpUnit(perRaw);
  if (tokens.includes(main)) main = '';
  if (per === 'per_') per = '';
  else {
    per = per.replace(/_$/, '');
    if (tokens.includes(per)) per = '';
  }
  if (per !== '') main = main.replace(/_$/, '');
  if (main !== '') tokens.push(main);
  if (per !== '') tokens.push(per);
  if (kind === 'counter') tokens = [...tokens.filter((t) => t !== 'total'), 'total'];
  if (unit === '1' && kind === 'gauge') tokens = [...tokens.filter((t) => t !== 'ratio'), 'ratio'];
  let out = tokens.join('_');
  if (/^[0-9]/.test(out)) out = `_${out}`;
  return out;
}

/**
 * An attribute key as a Prometheus label name: characters outside [a-zA-Z0-9_]
 * become `_`; a leading digit gets `key_`, a single leading `_` gets `key`
 * (`__reserved` names are kept).
 */
export function prometheusLabelName(key: string): string {
  if (key === '') return key;
  let label = key.replace(/[^a-zA-Z0-9_]/g, '_');
  if (/^[0-9]/.test(label)) label = `key_${label}`;
  else if (label.startsWith('_') && !label.startsWith('__')) label = `key${label}`;
  return label;
}

/**
 * A float as Go's strconv.FormatFloat(f, 'g', -1, 64) writes it, which is how the
 * Prometheus client library writes `le` and `quantile` label values: the shortest
 * digits that read back exactly, in exponent form when the decimal exponent is
 * below -4 or at least 6 (`1e+06`, `2.5e-05`), else plain (`0.005`, `250000`).
 */
export function formatGoFloat(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (f === Infinity) return '+Inf';
  if (f === -Infinity) return '-Inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const [mantissa, expText] = f.toExponential().split('e') as [string, string];
  const exp = Number(expText);
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  let out: string;
  if (exp < -4 || exp >= 6) {
    const frac = digits.slice(1);
    const e = Math.abs(exp);
    out = `${digits[0]}${frac ? `.${frac}` : ''}e${exp < 0 ? '-' : '+'}${e < 10 ? `0${e}` : e}`;
  } else if (exp < 0) out = `0.${'0'.repeat(-exp - 1)}${digits}`;
  else if (digits.length <= exp + 1) out = digits + '0'.repeat(exp + 1 - digits.length);
  else out = `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  return negative ? `-${out}` : out;
}
