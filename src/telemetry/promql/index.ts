/**
 * PromQL for the hub: parse with @prometheus-io/lezer-promql into a small AST, then
 * evaluate over any SeriesSource with Prometheus semantics. Results have the shapes
 * of the `data` member of Prometheus's /api/v1/query and /api/v1/query_range answers.
 *
 * Errors are LabErrors: LAB_PROMQL_BAD_QUERY (parse and type errors, with the
 * position as `line:col:`), LAB_PROMQL_UNSUPPORTED (a function or feature outside
 * the supported subset, named in the message), LAB_PROMQL_EXECUTION (evaluation
 * errors Prometheus reports as `execution`, status 422).
 */
export type {
  PromValue,
  QueryResult,
  VectorSample,
  MatrixSeries,
  MatrixResult,
  QueryOptions,
} from './types.js';
export { DEFAULT_LOOKBACK_DELTA_MS, MAX_POINTS_PER_SERIES } from './types.js';
export { instantQuery, rangeQuery } from './query.js';
export { parseQuery, parseSeriesSelector } from './parse.js';
export type { Expr, ValueType } from './ast.js';
export { formatValue } from './format.js';
export { compileMatcher } from './regex.js';
export { SUPPORTED_FUNCTIONS, SUPPORTED_AGGREGATIONS } from './catalog.js';
