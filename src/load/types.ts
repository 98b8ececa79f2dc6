/**
 * The load generator's shared types: a validated scenario (scenario/ produces it),
 * what the engine (engine/) reports while it runs and when it ends, and what the
 * reports (report/) and the CLI read. Every duration carries its unit.
 */

/** Closed model (k6's ramping-vus): virtual users, each running tasks in a loop. */
export interface ClosedModel {
  kind: 'closed';
  /** Stages, in order: ramp linearly from the previous target to `target` users over `durationMs`. */
  stages: Array<{ durationMs: number; target: number }>;
  /** Users at time 0 (k6's startVUs). */
  startUsers: number;
}

/** Open model (k6's constant/ramping-arrival-rate): requests start at a rate, whatever the answers. */
export interface OpenModel {
  kind: 'open';
  /** Stages of the arrival rate in requests/s: ramp linearly from the previous to `target`. */
  stages: Array<{ durationMs: number; target: number }>;
  startRate: number;
  /** Most requests in flight at once (k6's maxVUs); beyond it a request is dropped and counted. */
  maxInFlight: number;
}

export type LoadModel = ClosedModel | OpenModel;

export interface TaskCheck {
  /** Expected status codes (any of them). */
  status?: number[];
  /** The body must contain this text. */
  bodyIncludes?: string;
}

export interface Task {
  name: string;
  /** Relative weight when a user picks its next task. */
  weight: number;
  method: string;
  /** May hold templates: {{uuid}}, {{randomInt a b}}, {{vu}}, {{iteration}}, {{pick a|b|c}}. */
  path: string;
  headers: Record<string, string>;
  /** JSON body (templates in string values), or undefined. */
  body?: unknown;
  check?: TaskCheck;
  /** Think time after the task, uniformly between min and max (Locust's `between`). */
  thinkMs: { min: number; max: number };
  /** Record each request's idempotency key and response (orders), for drills. */
  record: boolean;
}

/** `p(95)<250`, `p(99)<=400`, `avg<100`, `max<1000` on latency (ms); `rate<0.01` on the error ratio; `count>100`. */
export interface Threshold {
  /** Metric: 'http_req_duration' (latency, ms) or 'http_req_failed' (error ratio) or 'http_reqs' (count), optionally `{task:name}`. */
  metric: string;
  task: string | null;
  /** The expression as written, e.g. "p(95)<250". */
  expression: string;
  aggregate: 'p' | 'avg' | 'min' | 'max' | 'med' | 'rate' | 'count';
  /** For 'p': the percentile (0-100). */
  percentile: number | null;
  op: '<' | '<=' | '>' | '>=' | '==' | '!=';
  value: number;
}

export interface Scenario {
  name: string;
  /** Base URL, e.g. http://127.0.0.1:8000 */
  target: string;
  model: LoadModel;
  tasks: Task[];
  thresholds: Threshold[];
  /** Per-request timeout. */
  timeoutMs: number;
  /** Where the scenario came from: a file path, or `built-in:<name>`. */
  source: string;
}

export type ErrorKind = 'connect' | 'timeout' | 'reset' | 'http_4xx' | 'http_5xx' | 'check' | 'dropped' | 'other';

/**
 * Upper bounds (ms) of the latency buckets an Interval's `tasks` count in: the OTLP
 * export's explicit histogram buckets (a last, implicit bucket holds the rest).
 */
export const LOAD_DURATION_BOUNDS_MS: readonly number[] = [1, 2.5, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 10000];

/** One task's share of an Interval (optional: lets the OTLP export break requests and latency down by task). */
export interface IntervalTask {
  name: string;
  requests: number;
  errors: Partial<Record<ErrorKind, number>>;
  /** Response times of the second's requests: counts per bucket of LOAD_DURATION_BOUNDS_MS, plus a last one above them. */
  durationCounts: number[];
  /** Sum of those response times, ms. */
  durationSumMs: number;
}

/** One second of the run, for live progress and the report's charts. */
export interface Interval {
  /** Seconds since the start. */
  second: number;
  users: number;
  requests: number;
  errors: Partial<Record<ErrorKind, number>>;
  /** Response time (from the intended start in the open model), ms. */
  p50: number;
  p95: number;
  p99: number;
  /** Per task (optional; an engine may leave it out). */
  tasks?: IntervalTask[];
}

export interface LatencySummary {
  count: number;
  min: number;
  mean: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  p999: number;
  max: number;
}

export interface TaskSummary {
  name: string;
  requests: number;
  errors: Partial<Record<ErrorKind, number>>;
  /** From the intended start (open model) or the send (closed model): what a user waits. */
  responseTime: LatencySummary;
  /** From the actual send: what the server takes. */
  serviceTime: LatencySummary;
}

export interface RunSummary {
  scenario: string;
  target: string;
  model: LoadModel['kind'];
  startedAtMs: number;
  durationMs: number;
  requests: number;
  requestsPerSecond: number;
  errors: Partial<Record<ErrorKind, number>>;
  errorRatio: number;
  responseTime: LatencySummary;
  serviceTime: LatencySummary;
  tasks: TaskSummary[];
  intervals: Interval[];
  thresholds: Array<{ threshold: string; metric: string; passed: boolean; actual: number }>;
  /** True when stopped early (Ctrl-C, stop from the console). */
  interrupted: boolean;
  environment: { node: string; os: string; cpus: number; workers: number; cloudlabVersion: string };
}
