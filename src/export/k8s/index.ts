/** cloudlab export k8s: the export model as Kubernetes manifests, laid out for kustomize. Public API. */
import type { ExportFile, ExportModel } from '../model.js';
import { argoApplication, baseKustomization, devKustomization, kindConfig } from './cluster.js';
import { configMap, namespace, secretTemplate } from './config-objects.js';
import { cacheObjects, postgresObjects } from './data-stores.js';
import { ingress } from './ingress.js';
import { readme } from './readme.js';
import { setupKindScript } from './setup-script.js';
import { deployment, horizontalPodAutoscaler, service } from './workloads.js';
import { yamlFile } from './yaml-docs.js';

const SECRET_NOTES = [
  'TEMPLATE: every value here is a placeholder (CHANGE_ME), never a real password.',
  'Replace them, or create this Secret from your secret store and drop this file from kustomization.yaml.',
];

/**
 * Every file of the Kubernetes export. Paths are relative to the target's own output
 * directory (`cloudlab export k8s` writes to deploy/k8s), as the compose exporter's are. Pure.
 */
export function renderKubernetes(model: ExportModel): ExportFile[] {
  const base: ExportFile[] = [
    yamlFile('namespace.yaml', [namespace(model)]),
    yamlFile('configmap.yaml', [configMap(model)]),
    yamlFile('secret.yaml', [secretTemplate(model)], SECRET_NOTES),
  ];
  if (model.postgres) base.push(yamlFile('postgres.yaml', postgresObjects(model, model.postgres)));
  if (model.cache) base.push(yamlFile('valkey.yaml', cacheObjects(model, model.cache)));
  for (const svc of model.services) {
    base.push(yamlFile(`services/${svc.name}.yaml`, [deployment(model, svc), service(model, svc), horizontalPodAutoscaler(model, svc)]));
  }
  const ing = ingress(model);
  if (ing) base.push(yamlFile('ingress.yaml', [ing]));
  const resources = base.map((f) => f.path);
  base.push(yamlFile('kustomization.yaml', [baseKustomization(model, resources)]));

  return [
    yamlFile('kind-config.yaml', [kindConfig(model)], ['kind create cluster --config kind-config.yaml']),
    ...base.map((f) => ({ path: `base/${f.path}`, content: f.content })),
    yamlFile('overlays/dev/kustomization.yaml', [devKustomization(model)], ['Set images[].newName to your registry (registry.example.com/team/name).']),
    yamlFile('argocd/application-dev.yaml', [argoApplication(model)], ['Apply to the cluster that runs ArgoCD: kubectl apply -n argocd -f application-dev.yaml']),
    setupKindScript(model),
    readme(model),
  ];
}
