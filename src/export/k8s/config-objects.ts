/** The lab's Namespace, its ConfigMap and its Secret template (placeholders only). */
import type { ExportModel } from '../model.js';
import { configData, secretData } from './env.js';
import { FILL_IN_ANNOTATION, SECRET_PLACEHOLDER, configMapName, metadata, secretName, type K8sObject } from './names.js';

export function namespace(model: ExportModel): K8sObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name: model.project, labels: { 'app.kubernetes.io/part-of': model.project } } };
}

export function configMap(model: ExportModel): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: metadata(model, configMapName(model), 'config', {
      [FILL_IN_ANNOTATION]: 'OTEL_EXPORTER_OTLP_ENDPOINT: your collector; then OTEL_SDK_DISABLED: "false"',
    }),
    data: configData(model),
  };
}

export function secretTemplate(model: ExportModel): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: metadata(model, secretName(model), 'config', {
      [FILL_IN_ANNOTATION]: `TEMPLATE: replace every ${SECRET_PLACEHOLDER} (or generate this Secret from your secret store) before any shared cluster`,
    }),
    type: 'Opaque',
    stringData: secretData(model),
  };
}
