/** A service of the model as a Deployment, a Service and a CPU HorizontalPodAutoscaler. */
import type { ExportModel, ModelService } from '../model.js';
import { serviceEnv } from './env.js';
import { HPA_CPU_UTILIZATION, imageRef, metadata, seconds, selectorLabels, labels, type K8sObject } from './names.js';

export const SERVICE_RESOURCES = {
  requests: { cpu: '100m', memory: '128Mi' },
  limits: { cpu: '500m', memory: '256Mi' },
} as const;

/** Lets the HPA add up to three times the configured replicas (at least three). */
export function maxReplicas(replicas: number): number {
  return Math.max(3, replicas * 3);
}

function probes(service: ModelService): K8sObject {
  const hc = service.healthcheck;
  const action: K8sObject = service.healthPath === null
    ? { tcpSocket: { port: 'http' } }
    : { httpGet: { path: service.healthPath, port: 'http' } };
  const timing = { periodSeconds: seconds(hc.intervalMs), timeoutSeconds: seconds(hc.timeoutMs), failureThreshold: Math.max(1, hc.retries) };
  return {
    // The lab's start period: failures in it do not count.
    startupProbe: { ...action, periodSeconds: 2, failureThreshold: Math.max(1, Math.ceil(hc.startPeriodMs / 2000)) + 15 },
    readinessProbe: { ...action, ...timing },
    livenessProbe: { ...action, ...timing },
  };
}

export function deployment(model: ExportModel, service: ModelService): K8sObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: metadata(model, service.name, 'service'),
    spec: {
      replicas: service.replicas,
      selector: { matchLabels: selectorLabels(model, service.name) },
      template: {
        metadata: { labels: labels(model, service.name, 'service') },
        spec: {
          containers: [
            {
              name: service.name,
              image: imageRef(service.image),
              imagePullPolicy: 'IfNotPresent',
              command: [...service.command],
              ports: [{ name: 'http', containerPort: service.containerPort, protocol: 'TCP' }],
              env: serviceEnv(model, service),
              resources: SERVICE_RESOURCES,
              ...probes(service),
              securityContext: { allowPrivilegeEscalation: false },
            },
          ],
        },
      },
    },
  };
}

export function service(model: ExportModel, svc: ModelService): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: metadata(model, svc.name, 'service'),
    spec: {
      type: 'ClusterIP',
      selector: selectorLabels(model, svc.name),
      ports: [{ name: 'http', port: svc.containerPort, targetPort: 'http', protocol: 'TCP' }],
    },
  };
}

export function horizontalPodAutoscaler(model: ExportModel, svc: ModelService): K8sObject {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: metadata(model, svc.name, 'service'),
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: svc.name },
      minReplicas: svc.replicas,
      maxReplicas: maxReplicas(svc.replicas),
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: HPA_CPU_UTILIZATION } } }],
    },
  };
}
