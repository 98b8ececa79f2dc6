/**
 * Which PromQL functions and aggregations the hub evaluates, with the argument
 * types Prometheus's parser checks. Names Prometheus knows but the hub does not
 * evaluate are refused with LAB_PROMQL_UNSUPPORTED; unknown names are parse errors,
 * as in Prometheus.
 */
import type { ValueType } from './ast.js';

export interface FunctionSignature {
  args: ValueType[];
  /** How many trailing arguments may be left out (-1: the last may repeat, as label_join's). */
  optional: number;
  variadic: boolean;
  returns: ValueType;
}

const v = 'vector' as const;
const m = 'matrix' as const;
const s = 'scalar' as const;
const str = 'string' as const;

function sig(args: ValueType[], returns: ValueType = v, optional = 0, variadic = false): FunctionSignature {
  return { args, optional, variadic, returns };
}

const MATH = ['abs', 'ceil', 'floor', 'exp', 'sqrt', 'ln', 'log2', 'log10', 'sgn', 'sin', 'cos', 'tan', 'asin', 'acos',
  'atan', 'sinh', 'cosh', 'tanh', 'asinh', 'acosh', 'atanh', 'deg', 'rad'];
const DATE = ['minute', 'hour', 'day_of_month', 'day_of_week', 'day_of_year', 'days_in_month', 'month', 'year'];
const OVER_TIME = ['avg_over_time', 'min_over_time', 'max_over_time', 'sum_over_time', 'count_over_time',
  'last_over_time', 'first_over_time', 'stddev_over_time', 'stdvar_over_time', 'present_over_time', 'mad_over_time'];
const RANGE = ['rate', 'irate', 'increase', 'delta', 'idelta', 'deriv', 'changes', 'resets', 'absent_over_time'];

export const FUNCTIONS: ReadonlyMap<string, FunctionSignature> = new Map<string, FunctionSignature>([
  ...MATH.map((name): [string, FunctionSignature] => [name, sig([v])]),
  ...DATE.map((name): [string, FunctionSignature] => [name, sig([v], v, 1)]),
  ...OVER_TIME.map((name): [string, FunctionSignature] => [name, sig([m])]),
  ...RANGE.map((name): [string, FunctionSignature] => [name, sig([m])]),
  ['quantile_over_time', sig([s, m])],
  ['predict_linear', sig([m, s])],
  ['clamp', sig([v, s, s])],
  ['clamp_min', sig([v, s])],
  ['clamp_max', sig([v, s])],
  ['round', sig([v, s], v, 1)],
  ['histogram_quantile', sig([s, v])],
  ['time', sig([], s)],
  ['pi', sig([], s)],
  ['vector', sig([s])],
  ['scalar', sig([v], s)],
  ['timestamp', sig([v])],
  ['absent', sig([v])],
  ['sort', sig([v])],
  ['sort_desc', sig([v])],
  ['label_replace', sig([v, str, str, str, str])],
  ['label_join', sig([v, str, str, str], v, 0, true)],
]);

/** Functions Prometheus has that the hub refuses by name. */
export const UNSUPPORTED_FUNCTIONS: ReadonlySet<string> = new Set([
  'histogram_count', 'histogram_sum', 'histogram_avg', 'histogram_fraction', 'histogram_stddev', 'histogram_stdvar',
  'histogram_quantiles', 'holt_winters', 'double_exponential_smoothing', 'info', 'sort_by_label', 'sort_by_label_desc',
  'ts_of_first_over_time', 'ts_of_last_over_time', 'ts_of_max_over_time', 'ts_of_min_over_time', 'start', 'end',
  'range', 'step', 'start_timestamp',
]);

export const AGGREGATIONS: ReadonlyMap<string, ValueType | null> = new Map<string, ValueType | null>([
  ['sum', null], ['avg', null], ['min', null], ['max', null], ['count', null], ['group', null],
  ['stddev', null], ['stdvar', null], ['topk', s], ['bottomk', s], ['quantile', s], ['count_values', str],
]);

export const UNSUPPORTED_AGGREGATIONS: ReadonlySet<string> = new Set(['limitk', 'limit_ratio']);

export const SUPPORTED_FUNCTIONS: readonly string[] = Object.freeze([...FUNCTIONS.keys()].sort());
export const SUPPORTED_AGGREGATIONS: readonly string[] = Object.freeze([...AGGREGATIONS.keys()].sort());
