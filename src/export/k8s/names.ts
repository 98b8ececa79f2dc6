/**
 * Names, labels and placeholders shared by every Kubernetes object the exporter writes.
 * A placeholder is a value the user must replace; each one says so where it appears.
 */
import type { ExportModel } from '../model.js';

export type K8sObject = Record<string, unknown>;

export const CONFIG_MAP_SUFFIX = '-config';
export const SECRET_SUFFIX = '-secrets';
/** A Secret template's value: never a real password. */
export const SECRET_PLACEHOLDER = 'CHANGE_ME';
export const DOMAIN_PLACEHOLDER = 'example.com';
export const REPO_URL_PLACEHOLDER = 'https://github.com/YOUR-ORG/YOUR-REPO.git';
/** Where the collector listens in the cluster; the user points it at their own. */
export const OTLP_ENDPOINT_PLACEHOLDER = 'http://otel-collector.observability.svc.cluster.local:4318';
/** The dev overlay inside the user's repository, where `cloudlab export` puts it by default. */
export const OVERLAY_PATH = 'deploy/k8s/overlays/dev';
export const EXPORT_DIR = 'deploy/k8s';
/** The annotation that marks a value the user must fill in. */
export const FILL_IN_ANNOTATION = 'cloudlab.dev/fill-in';
export const HPA_CPU_UTILIZATION = 70;

export function configMapName(model: ExportModel): string {
  return `${model.project}${CONFIG_MAP_SUFFIX}`;
}

export function secretName(model: ExportModel): string {
  return `${model.project}${SECRET_SUFFIX}`;
}

/** The labels a workload's pods carry; its Service selects on all of them. */
export function selectorLabels(model: ExportModel, name: string): Record<string, string> {
  return { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': model.project };
}

export function labels(model: ExportModel, name: string, component: 'service' | 'database' | 'cache' | 'config' | 'ingress'): Record<string, string> {
  return { ...selectorLabels(model, name), 'app.kubernetes.io/component': component, 'app.kubernetes.io/managed-by': 'cloudlab' };
}

export function metadata(model: ExportModel, name: string, component: Parameters<typeof labels>[2], annotations?: Record<string, string>): K8sObject {
  const meta: K8sObject = { name, labels: labels(model, name, component) };
  if (annotations) meta['annotations'] = annotations;
  return meta;
}

/** A tagged image reference: untagged images would mean :latest with imagePullPolicy Always. */
export function imageRef(image: string): string {
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  return lastSegment.includes(':') || lastSegment.includes('@') ? image : `${image}:latest`;
}

/** Whole seconds, at least `min`, from milliseconds. */
export function seconds(ms: number, min = 1): number {
  return Math.max(min, Math.ceil(ms / 1000));
}
