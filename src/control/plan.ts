/**
 * The lab as the orchestrator runs it: every part with its ports resolved. Made
 * from the validated config by plan-from-config.ts, so the orchestrator never reads
 * config keys itself.
 */
export interface HealthPlan {
  check: 'http' | 'tcp' | 'none';
  path: string;
  intervalMs: number;
  timeoutMs: number;
  retries: number;
  startPeriodMs: number;
}

export interface ServicePlan {
  name: string;
  command: string[];
  cwd: string;
  replicas: number;
  environment: Record<string, string>;
  portEnv: string;
  health: HealthPlan;
  restart: 'no' | 'always' | 'on-failure' | 'unless-stopped';
  /** Other services and `postgres`/`cache`, with compose's conditions. */
  dependsOn: Array<{ name: string; condition: 'service_started' | 'service_healthy' }>;
  /** Published through an edge: one listener per entry. */
  publish: Array<{ key: string; host: string; port: number }>;
  /** A fault proxy named after the service in front of its replicas. */
  proxy: { key: string; host: string; port: number } | null;
}

export interface LabPlan {
  name: string;
  configFile: string | null;
  dir: string;
  stateDir: string;
  host: string;
  console: { port: number };
  toxiproxy: { port: number };
  hub: { otlpGrpcPort: number; otlpHttpPort: number; queryPort: number; scrapeIntervalMs: number; retentionMs: number; maxSeries: number; maxSpans: number; maxLogs: number };
  edge: { healthIntervalMs: number; healthTimeoutMs: number };
  postgres:
    | null
    | { engine: 'embedded'; database: string; user: string; password: string; port: number; proxy: { key: string; host: string; port: number } | null }
    | { engine: 'external'; url: string; proxy: { key: string; host: string; port: number } | null };
  cache:
    | null
    | { engine: 'auto' | 'valkey' | 'redis' | 'builtin'; port: number; proxy: { key: string; host: string; port: number } | null }
    | { engine: 'external'; url: string; proxy: { key: string; host: string; port: number } | null };
  services: ServicePlan[];
  proxies: Array<{ key: string; name: string; listen: string; upstream: string; enabled: boolean }>;
}
