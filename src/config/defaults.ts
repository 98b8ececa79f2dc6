/**
 * Every default of cloudlab.yaml, in the file's own key names. The schema shows them
 * to editors; `resolve.ts` applies them. Ports follow the docker-compose plan the lab
 * mirrors (Postgres 5432, Valkey 6379, Toxiproxy 8474, OTLP 4317/4318, console 3001).
 */
export const DEFAULTS = freeze({
  state_dir: '.cloudlab',
  host: '127.0.0.1',
  postgres: {
    engine: 'embedded',
    database: 'app',
    user: 'cloudlab',
    password: 'cloudlab',
    port: 0,
    proxy: { listen: 5432 },
  },
  cache: {
    engine: 'auto',
    port: 0,
    proxy: { listen: 6379 },
  },
  service: {
    cwd: '.',
    replicas: 1,
    port_env: 'PORT',
    restart: 'on-failure',
    depends_on_condition: 'service_started',
    service_proxy_listen: 0,
  },
  healthcheck: {
    http: '/health',
    interval: '2s',
    timeout: '1s',
    retries: 3,
    start_period: '30s',
  },
  proxy_entry: { enabled: true },
  hub: {
    otlp_grpc_port: 4317,
    otlp_http_port: 4318,
    query_port: 9090,
    scrape_interval: '5s',
    retention: '1h',
    max_series: 50_000,
    max_spans: 100_000,
    max_logs: 100_000,
  },
  toxiproxy: { port: 8474 },
  console: { port: 3001 },
  edge: { health_interval: '2s', health_timeout: '1s' },
} as const);

/** The name used when a config gives none and its directory name has no usable character. */
export const FALLBACK_NAME = 'cloudlab';

/** Names a service may not take: they name the dependencies in depends_on and the proxies. */
export const RESERVED_SERVICE_NAMES = ['postgres', 'cache'] as const;

function freeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) if (child !== null && typeof child === 'object') freeze(child as object);
  return Object.freeze(value);
}
