/**
 * An ingress-nginx Ingress for the services the lab publishes through its edge. The first
 * one is also the default backend, so `curl http://localhost/` answers on kind with no DNS.
 */
import type { ExportModel, ModelService } from '../model.js';
import { DOMAIN_PLACEHOLDER, FILL_IN_ANNOTATION, metadata, type K8sObject } from './names.js';

export function publicServices(model: ExportModel): ModelService[] {
  return model.services.filter((s) => s.publishedPorts.length > 0);
}

function backend(service: ModelService): K8sObject {
  return { service: { name: service.name, port: { name: 'http' } } };
}

/** null when no service is published. */
export function ingress(model: ExportModel): K8sObject | null {
  const services = publicServices(model);
  const first = services[0];
  if (first === undefined) return null;
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: metadata(model, model.project, 'ingress', {
      [FILL_IN_ANNOTATION]: `replace ${DOMAIN_PLACEHOLDER} in spec.rules[].host with your domain`,
    }),
    spec: {
      ingressClassName: 'nginx',
      defaultBackend: backend(first),
      rules: services.map((s) => ({
        host: `${s.name}.${model.project}.${DOMAIN_PLACEHOLDER}`,
        http: { paths: [{ path: '/', pathType: 'Prefix', backend: backend(s) }] },
      })),
    },
  };
}
