/** Postgres and Valkey as StatefulSets, each with a headless Service and a volumeClaimTemplate. */
import type { ExportModel, ModelCache, ModelPostgres } from '../model.js';
import { CM_POSTGRES_DB, CM_POSTGRES_USER, fromConfigMap, fromSecret } from './env.js';
import { imageRef, labels, metadata, selectorLabels, type K8sObject } from './names.js';

export const DATA_VOLUME_SIZE = '1Gi';

const DATA_RESOURCES = {
  requests: { cpu: '100m', memory: '256Mi' },
  limits: { cpu: '1', memory: '512Mi' },
} as const;

function headlessService(model: ExportModel, name: string, component: 'database' | 'cache', port: number): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: metadata(model, name, component),
    spec: {
      clusterIP: 'None',
      selector: selectorLabels(model, name),
      ports: [{ name, port, targetPort: name, protocol: 'TCP' }],
    },
  };
}

interface StatefulSetParts {
  name: string;
  component: 'database' | 'cache';
  image: string;
  port: number;
  mountPath: string;
  env?: K8sObject[];
  args?: string[];
  probe: K8sObject;
}

function statefulSet(model: ExportModel, parts: StatefulSetParts): K8sObject {
  const container: K8sObject = {
    name: parts.name,
    image: imageRef(parts.image),
    ports: [{ name: parts.name, containerPort: parts.port, protocol: 'TCP' }],
    resources: DATA_RESOURCES,
    volumeMounts: [{ name: 'data', mountPath: parts.mountPath }],
    readinessProbe: { ...parts.probe, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 3 },
    livenessProbe: { ...parts.probe, initialDelaySeconds: 30, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 6 },
  };
  if (parts.env) container['env'] = parts.env;
  if (parts.args) container['args'] = parts.args;
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: metadata(model, parts.name, parts.component),
    spec: {
      serviceName: parts.name,
      replicas: 1,
      selector: { matchLabels: selectorLabels(model, parts.name) },
      template: {
        metadata: { labels: labels(model, parts.name, parts.component) },
        spec: { containers: [container] },
      },
      volumeClaimTemplates: [
        {
          metadata: { name: 'data' },
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: DATA_VOLUME_SIZE } } },
        },
      ],
    },
  };
}

export function postgresObjects(model: ExportModel, pg: ModelPostgres): K8sObject[] {
  return [
    headlessService(model, pg.name, 'database', pg.port),
    statefulSet(model, {
      name: pg.name,
      component: 'database',
      image: pg.image,
      port: pg.port,
      mountPath: '/var/lib/postgresql/data',
      env: [
        fromConfigMap(model, 'POSTGRES_DB', CM_POSTGRES_DB),
        fromConfigMap(model, 'POSTGRES_USER', CM_POSTGRES_USER),
        fromSecret(model, 'POSTGRES_PASSWORD', pg.passwordVariable),
        // A subdirectory: the volume's root may hold lost+found, which initdb refuses.
        { name: 'PGDATA', value: '/var/lib/postgresql/data/pgdata' },
      ],
      probe: { exec: { command: ['sh', '-c', 'pg_isready -U "$POSTGRES_USER" -d "$POSTGRES_DB"'] } },
    }),
  ];
}

export function cacheObjects(model: ExportModel, cache: ModelCache): K8sObject[] {
  return [
    headlessService(model, cache.name, 'cache', cache.port),
    statefulSet(model, {
      name: cache.name,
      component: 'cache',
      image: cache.image,
      port: cache.port,
      mountPath: '/data',
      args: ['valkey-server', '--appendonly', 'yes', '--dir', '/data', '--port', String(cache.port)],
      probe: { exec: { command: ['valkey-cli', '-p', String(cache.port), 'ping'] } },
    }),
  ];
}
