/**
 * The one error base of cloudlab. Every error a person or a program may branch on
 * carries a stable `code` (never reused), the HTTP status an API answers with, and
 * an optional `cause`. docs/errors.md lists every code; test/errors.test.ts keeps
 * the two in sync.
 */

export const ERROR_CODES = {
  LAB_CLI_UNKNOWN_COMMAND: 400,
  LAB_CLI_BAD_FLAG: 400,
  LAB_PROXY_BAD_REQUEST_BODY: 400,
  LAB_PROXY_MISSING_FIELD: 400,
  LAB_PROXY_INVALID_STREAM: 400,
  LAB_PROXY_INVALID_TOXIC_TYPE: 400,
  LAB_PROXY_NOT_FOUND: 404,
  LAB_PROXY_TOXIC_NOT_FOUND: 404,
  LAB_PROXY_ALREADY_EXISTS: 409,
  LAB_PROXY_TOXIC_ALREADY_EXISTS: 409,
  LAB_PROXY_BODY_TOO_LARGE: 413,
  LAB_PROXY_LISTEN_FAILED: 500,
  LAB_PROXY_API_LISTEN_FAILED: 500,
  LAB_PROXY_CONFIG_INVALID: 400,
  LAB_PROMQL_BAD_QUERY: 400,
  LAB_PROMQL_UNSUPPORTED: 400,
  LAB_PROMQL_EXECUTION: 422,
  LAB_QUERY_TRACE_BAD_PARAM: 400,
  LAB_QUERY_TRACE_NOT_FOUND: 404,
  LAB_LOGS_BAD_PARAM: 400,
  LAB_QUERY_METHOD_NOT_ALLOWED: 405,
  LAB_QUERY_PROM_BAD_PARAM: 400,
  LAB_QUERY_PROM_BODY_TOO_LARGE: 413,
  LAB_QUERY_PROM_TIMEOUT: 503,
  LAB_SCRAPE_BAD_TARGET: 400,
  LAB_OTLP_BAD_PAYLOAD: 400,
  LAB_OTLP_UNSUPPORTED_MEDIA_TYPE: 415,
  LAB_OTLP_PAYLOAD_TOO_LARGE: 413,
  LAB_OTLP_NOT_FOUND: 404,
  LAB_OTLP_METHOD_NOT_ALLOWED: 405,
  LAB_OTLP_SINK_FAILED: 500,
  LAB_OTLP_LISTEN_FAILED: 500,
  LAB_QUERY_NOT_FOUND: 404,
  LAB_QUERY_INTERNAL: 500,
  LAB_COLLECTOR_LISTEN_FAILED: 500,
  LAB_CONTROL_BAD_REQUEST: 400,
  LAB_CONTROL_UNAUTHORIZED: 401,
  LAB_CONTROL_FORBIDDEN_HOST: 403,
  LAB_CONTROL_NOT_FOUND: 404,
  LAB_CONTROL_UPSTREAM_FAILED: 502,
  LAB_CONTROL_NOT_READY: 503,
  LAB_CONTROL_INTERNAL: 500,
  LAB_UP_PORT_IN_USE: 409,
  LAB_UP_ALREADY_RUNNING: 409,
  LAB_UP_PROXY_FAILED: 500,
  LAB_UP_NOT_RUNNING: 404,
  LAB_UP_FAILED: 500,
  LAB_EDGE_INVALID_OPTIONS: 400,
  LAB_EDGE_LISTEN_FAILED: 500,
  LAB_EDGE_NO_BACKEND: 503,
  LAB_EDGE_BAD_GATEWAY: 502,
  LAB_EDGE_TIMEOUT: 504,
  LAB_SUPERVISOR_BAD_SPEC: 400,
  LAB_SUPERVISOR_SPAWN_FAILED: 500,
  LAB_SUPERVISOR_EXITED: 500,
  LAB_SUPERVISOR_NOT_READY: 503,
  LAB_SUPERVISOR_PORT_FAILED: 500,
  LAB_SUPERVISOR_ALREADY_RUNNING: 409,
  LAB_SUPERVISOR_UNKNOWN_SERVICE: 404,
  LAB_SUPERVISOR_UNKNOWN_REPLICA: 404,
  LAB_SUPERVISOR_STOPPED: 409,
  LAB_DEPS_BAD_OPTION: 400,
  LAB_DEPS_BAD_URL: 400,
  LAB_DEPS_PORT_UNAVAILABLE: 500,
  LAB_DEPS_CACHE_NOT_FOUND: 500,
  LAB_DEPS_CACHE_LISTEN_FAILED: 500,
  LAB_DEPS_POSTGRES_NOT_FOUND: 500,
  LAB_DEPS_POSTGRES_USER_FAILED: 500,
  LAB_DEPS_POSTGRES_INIT_FAILED: 500,
  LAB_DEPS_POSTGRES_SETUP_FAILED: 500,
  LAB_CONFIG_NOT_FOUND: 404,
  LAB_CONFIG_UNREADABLE: 400,
  LAB_CONFIG_PARSE: 400,
  LAB_CONFIG_INVALID: 400,
  LAB_LOAD_TARGET_UNREACHABLE: 503,
  LAB_LOAD_BAD_RUN_OPTIONS: 400,
  LAB_LOAD_WORKER_FAILED: 500,
  LAB_LOAD_SCENARIO_INVALID: 400,
  LAB_LOAD_SCENARIO_NOT_FOUND: 404,
  LAB_LOAD_REPORT_WRITE_FAILED: 500,
  LAB_LOAD_REPORT_INVALID: 400,
  LAB_LOAD_ALREADY_RUNNING: 409,
  LAB_LOAD_NOT_RUNNING: 404,
  LAB_CHAOS_UNKNOWN_SCENARIO: 404,
  LAB_CHAOS_BAD_VALUE: 400,
  LAB_CHAOS_NOT_AVAILABLE: 409,
  LAB_CHAOS_FAULT_NOT_FOUND: 404,
  LAB_CHAOS_APPLY_FAILED: 502,
  LAB_DRILL_FILE_INVALID: 400,
  LAB_DRILL_FILE_NOT_FOUND: 404,
  LAB_DRILL_NO_LAB: 503,
  LAB_DRILL_NOT_FOUND: 404,
  LAB_EXPORT_FILE_CHANGED: 409,
  LAB_EXPORT_WRITE_FAILED: 500,
  LAB_EXPORT_NAME_CLASH: 400,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface LabErrorOptions {
  cause?: unknown;
  /** Overrides the code's default HTTP status, for the rare code used with two statuses. */
  statusCode?: number;
}

export class LabError extends Error {
  readonly code: ErrorCode;
  readonly statusCode: number;

  constructor(code: ErrorCode, message: string, options: LabErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'LabError';
    this.code = code;
    this.statusCode = options.statusCode ?? ERROR_CODES[code];
  }

  toJSON(): { error: { code: ErrorCode; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }
}

export function isLabError(value: unknown): value is LabError {
  return value instanceof LabError;
}

/** Describes a received value for an error message: strings quoted, objects as JSON, cut short. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'symbol') return value.toString();
  if (typeof value === 'function') return 'a function';
  let text: string;
  try {
    text = JSON.stringify(value);
  } catch {
    text = 'an object with a cycle';
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
