/**
 * Names the exporters give their own parts (compose services, Kubernetes objects, the
 * variables they inject). A user service with one of these names would collide in the
 * generated files, so the export refuses it with LAB_EXPORT_NAME_CLASH instead of writing
 * files that silently overwrite each other.
 */
import { LabError } from '../errors.js';
import type { LabConfig } from '../config/index.js';

/** Reserved name -> what the export uses it for (said in the error message). */
export const EXPORT_RESERVED_NAMES: Readonly<Record<string, string>> = {
  valkey: 'the cache (compose service, Kubernetes StatefulSet and Service "valkey"; its VALKEY_URL variable)',
  redis: 'the cache URL variable REDIS_URL every service that uses the cache receives',
  database: 'the database URL variable DATABASE_URL every service that uses Postgres receives',
  edge: 'the load balancer (compose service "edge", nginx)',
  toxiproxy: 'the fault proxy (compose service "toxiproxy" of docker-compose.demo.yml)',
  prometheus: 'the metrics store (compose service "prometheus" of docker-compose.demo.yml)',
  grafana: 'the dashboards (compose service "grafana" of docker-compose.demo.yml)',
  jaeger: 'the trace store (compose service "jaeger" of docker-compose.demo.yml)',
  'redis-commander': 'the cache browser (compose service "redis-commander" of docker-compose.demo.yml)',
  'adot-collector': 'the ADOT collector (the ECS sidecar container, and the EKS collector)',
  'otel-collector': 'the OpenTelemetry collector the Kubernetes export points OTEL_EXPORTER_OTLP_ENDPOINT at',
};

/** Throws LAB_EXPORT_NAME_CLASH for the first service whose name the export needs for a part of its own. */
export function assertNoNameClash(config: LabConfig): void {
  const file = config.source.file ?? 'the built-in demo config';
  for (const name of Object.keys(config.services)) {
    const what = EXPORT_RESERVED_NAMES[name];
    if (what === undefined) continue;
    throw new LabError(
      'LAB_EXPORT_NAME_CLASH',
      `${file}: services.${name} clashes with a name cloudlab export needs for ${what}; expected a service name other than ${Object.keys(EXPORT_RESERVED_NAMES).map((n) => `"${n}"`).join(', ')}, received "${name}". Rename the service in ${file} (for example to "${name}-app") and update the depends_on entries that name it`,
    );
  }
}
