/**
 * Compose renderings of the model's symbolic values. `through` says whether the
 * services reach Postgres, Valkey and each other directly (docker-compose.yml) or
 * through Toxiproxy (the demo overlay), as the lab routes them through its proxies.
 */
import type { ExportModel, ModelEnvValue, ModelEnvVar } from '../model.js';

export type Route = 'direct' | 'toxiproxy';

export const TOXIPROXY_SERVICE = 'toxiproxy';
export const OTEL_DISABLED_VARIABLE = 'OTEL_SDK_DISABLED';
export const OTLP_ENDPOINT_VARIABLE = 'OTEL_EXPORTER_OTLP_ENDPOINT';
export const GRAFANA_PASSWORD_VARIABLE = 'GRAFANA_ADMIN_PASSWORD';

/** A literal for compose: `$` starts interpolation there, so it is doubled. */
export function escapeCompose(value: string): string {
  return value.replace(/\$/g, '$$$$');
}

function hostPort(model: ExportModel, upstream: string, port: number, route: Route): string {
  if (route === 'toxiproxy') {
    const proxy = model.proxies.find((p) => p.upstream === upstream);
    if (proxy) return `${TOXIPROXY_SERVICE}:${proxy.listenPort}`;
  }
  return `${upstream}:${port}`;
}

export function passwordRef(variable: string): string {
  return `\${${variable}:?set ${variable} in .env (see .env.example)}`;
}

export function renderValue(model: ExportModel, value: ModelEnvValue, route: Route): string {
  switch (value.kind) {
    case 'literal':
      return escapeCompose(value.value);
    case 'databaseUrl': {
      const pg = model.postgres;
      if (pg === null) return '';
      return `postgres://${pg.user}:${passwordRef(pg.passwordVariable)}@${hostPort(model, 'postgres', pg.port, route)}/${pg.database}`;
    }
    case 'cacheUrl': {
      const cache = model.cache;
      return cache === null ? '' : `redis://${hostPort(model, cache.name, cache.port, route)}`;
    }
    case 'serviceUrl': {
      const service = model.services.find((s) => s.name === value.service);
      return service === undefined ? '' : `http://${hostPort(model, service.name, service.containerPort, route)}`;
    }
    case 'otlpEndpoint':
      return `\${${OTLP_ENDPOINT_VARIABLE}:-http://jaeger:${model.otlpHttpPort}}`;
    case 'otelDisabled':
      return `\${${OTEL_DISABLED_VARIABLE}:-true}`;
  }
}

/** Whether a variable's value changes when the services go through Toxiproxy. */
export function isRouted(model: ExportModel, v: ModelEnvVar): boolean {
  return renderValue(model, v.value, 'direct') !== renderValue(model, v.value, 'toxiproxy');
}

export function renderEnvironment(model: ExportModel, vars: readonly ModelEnvVar[], route: Route): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of vars) out[v.name] = renderValue(model, v.value, route);
  return out;
}

/** Compose durations: "2s", "1500ms". */
export function duration(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
