/**
 * The model's variables as Kubernetes env entries: shared values come from the lab's
 * ConfigMap, the database password from its Secret, service URLs from cluster DNS, and
 * the pod's identity from the downward API for the OpenTelemetry resource attributes.
 */
import type { ExportModel, ModelEnvVar, ModelService } from '../model.js';
import { OTLP_ENDPOINT_PLACEHOLDER, SECRET_PLACEHOLDER, configMapName, secretName, type K8sObject } from './names.js';

/** ConfigMap keys. */
export const CM_OTLP_ENDPOINT = 'OTEL_EXPORTER_OTLP_ENDPOINT';
export const CM_OTEL_DISABLED = 'OTEL_SDK_DISABLED';
export const CM_CACHE_URL = 'VALKEY_URL';
export const CM_POSTGRES_DB = 'POSTGRES_DB';
export const CM_POSTGRES_USER = 'POSTGRES_USER';
export const CM_POSTGRES_HOST = 'POSTGRES_HOST';
export const CM_POSTGRES_PORT = 'POSTGRES_PORT';

/** The ConfigMap's data: non-secret settings every workload shares. */
export function configData(model: ExportModel): Record<string, string> {
  const data: Record<string, string> = {
    [CM_OTLP_ENDPOINT]: OTLP_ENDPOINT_PLACEHOLDER,
    // Tracing stays off until OTEL_EXPORTER_OTLP_ENDPOINT points at a collector.
    [CM_OTEL_DISABLED]: 'true',
  };
  if (model.postgres) {
    data[CM_POSTGRES_HOST] = model.postgres.name;
    data[CM_POSTGRES_PORT] = String(model.postgres.port);
    data[CM_POSTGRES_DB] = model.postgres.database;
    data[CM_POSTGRES_USER] = model.postgres.user;
  }
  if (model.cache) data[CM_CACHE_URL] = `redis://${model.cache.name}:${model.cache.port}`;
  return data;
}

/** The Secret template's data: placeholders only. */
export function secretData(model: ExportModel): Record<string, string> {
  return model.postgres ? { [model.postgres.passwordVariable]: SECRET_PLACEHOLDER } : {};
}

function fromConfigMap(model: ExportModel, name: string, key: string): K8sObject {
  return { name, valueFrom: { configMapKeyRef: { name: configMapName(model), key } } };
}

function fromSecret(model: ExportModel, name: string, key: string): K8sObject {
  return { name, valueFrom: { secretKeyRef: { name: secretName(model), key } } };
}

function serviceUrl(model: ExportModel, name: string): string {
  const target = model.services.find((s) => s.name === name);
  return `http://${name}:${target?.containerPort ?? 80}`;
}

/** Entries a variable needs; `$(VAR)` references must come after VAR's own entry. */
function entriesFor(model: ExportModel, variable: ModelEnvVar): K8sObject[] {
  const { name, value } = variable;
  switch (value.kind) {
    case 'literal':
      return [{ name, value: value.value }];
    case 'databaseUrl': {
      const pg = model.postgres;
      if (pg === null) return [];
      // The password is read from the Secret and spliced in by Kubernetes: it must be URL-safe.
      const secretVar = `CLOUDLAB_${pg.passwordVariable}`;
      return [
        fromSecret(model, secretVar, pg.passwordVariable),
        { name, value: `postgres://${pg.user}:$(${secretVar})@${pg.name}:${pg.port}/${pg.database}` },
      ];
    }
    case 'cacheUrl':
      return model.cache ? [fromConfigMap(model, name, CM_CACHE_URL)] : [];
    case 'serviceUrl':
      return [{ name, value: serviceUrl(model, value.service) }];
    case 'otlpEndpoint':
      return [fromConfigMap(model, name, CM_OTLP_ENDPOINT)];
    case 'otelDisabled':
      return [fromConfigMap(model, name, CM_OTEL_DISABLED)];
  }
}

function resourceAttributes(service: ModelService): string {
  const ours = ['service.instance.id=$(POD_NAME)', 'k8s.pod.name=$(POD_NAME)', 'k8s.namespace.name=$(POD_NAMESPACE)', 'deployment.environment.name=dev'];
  const own = service.environment.find((v) => v.name === 'OTEL_RESOURCE_ATTRIBUTES');
  const given = own?.value.kind === 'literal' ? own.value.value.split(',').map((s) => s.trim()).filter(Boolean) : [];
  const keys = new Set(given.map((pair) => pair.split('=')[0]));
  return [...given, ...ours.filter((pair) => !keys.has(pair.split('=')[0]))].join(',');
}

/** A service container's env list, the pod identity first so later entries can refer to it. */
export function serviceEnv(model: ExportModel, service: ModelService): K8sObject[] {
  const env: K8sObject[] = [
    { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
  ];
  for (const variable of service.environment) {
    if (variable.name === 'OTEL_RESOURCE_ATTRIBUTES') continue;
    env.push(...entriesFor(model, variable));
  }
  env.push({ name: 'OTEL_RESOURCE_ATTRIBUTES', value: resourceAttributes(service) });
  return env;
}

export { fromConfigMap, fromSecret };
