/**
 * The standard variables the lab gives each replica, as a platform would:
 * its port, the database and cache URLs through their fault proxies, the URL of
 * every service it depends on, and OpenTelemetry's variables pointing at the hub.
 * The service's own `environment` wins over all of them.
 */
import type { ServicePlan } from './plan.js';

export interface Endpoints {
  host: string;
  databaseUrl: string | null;
  cacheUrl: string | null;
  /** Base URL per service name (through its proxy when it has one). */
  serviceUrls: ReadonlyMap<string, string>;
  otlpHttpUrl: string;
  controlUrl: string;
  flagsFile: string;
}

function envName(service: string): string {
  return service.toUpperCase().replace(/-/g, '_');
}

function mergeResourceAttributes(given: string | undefined, replicaId: string): string {
  const ours = [`service.instance.id=${replicaId}`, 'deployment.environment.name=cloudlab'];
  const theirs = (given ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const keys = new Set(theirs.map((pair) => pair.split('=')[0]));
  return [...theirs, ...ours.filter((pair) => !keys.has(pair.split('=')[0]))].join(',');
}

export function serviceEnv(service: ServicePlan, replica: { id: string; port: number }, endpoints: Endpoints, base: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) if (v !== undefined) env[k] = v;
  env[service.portEnv] = String(replica.port);
  env['HOST'] = endpoints.host;
  if (endpoints.databaseUrl) env['DATABASE_URL'] = endpoints.databaseUrl;
  if (endpoints.cacheUrl) {
    env['VALKEY_URL'] = endpoints.cacheUrl;
    env['REDIS_URL'] = endpoints.cacheUrl;
  }
  for (const dep of service.dependsOn) {
    const url = endpoints.serviceUrls.get(dep.name);
    if (url) env[`${envName(dep.name)}_URL`] = url;
  }
  env['OTEL_SERVICE_NAME'] = service.name;
  env['OTEL_EXPORTER_OTLP_ENDPOINT'] = endpoints.otlpHttpUrl;
  env['OTEL_EXPORTER_OTLP_PROTOCOL'] = 'http/protobuf';
  // 5 s unless the lab's own environment says otherwise (tests and drills use 1 s).
  env['OTEL_METRIC_EXPORT_INTERVAL'] = base['OTEL_METRIC_EXPORT_INTERVAL'] ?? '5000';
  env['CLOUDLAB_REPLICA'] = replica.id;
  env['CLOUDLAB_OFREP_URL'] = endpoints.controlUrl;
  env['CLOUDLAB_FLAGS_FILE'] = endpoints.flagsFile;
  Object.assign(env, service.environment);
  env['OTEL_RESOURCE_ATTRIBUTES'] = mergeResourceAttributes(service.environment['OTEL_RESOURCE_ATTRIBUTES'] ?? base['OTEL_RESOURCE_ATTRIBUTES'], replica.id);
  return env;
}
