/** The files around the manifests: kind's cluster config, the ArgoCD Application and the kustomizations. */
import type { ExportModel } from '../model.js';
import { FILL_IN_ANNOTATION, OVERLAY_PATH, REPO_URL_PLACEHOLDER, imageRef, type K8sObject } from './names.js';

/** One control-plane node labelled for ingress-nginx, with 80 and 443 mapped to the host. */
export function kindConfig(model: ExportModel): K8sObject {
  return {
    kind: 'Cluster',
    apiVersion: 'kind.x-k8s.io/v1alpha4',
    name: model.project,
    nodes: [
      {
        role: 'control-plane',
        kubeadmConfigPatches: ['kind: InitConfiguration\nnodeRegistration:\n  kubeletExtraArgs:\n    node-labels: "ingress-ready=true"\n'],
        extraPortMappings: [
          { containerPort: 80, hostPort: 80, protocol: 'TCP' },
          { containerPort: 443, hostPort: 443, protocol: 'TCP' },
        ],
      },
    ],
  };
}

export function argoApplication(model: ExportModel): K8sObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: `${model.project}-dev`,
      namespace: 'argocd',
      annotations: { [FILL_IN_ANNOTATION]: `spec.source.repoURL (your Git repository) and spec.source.path (where ${OVERLAY_PATH} lives in it)` },
    },
    spec: {
      project: 'default',
      source: { repoURL: REPO_URL_PLACEHOLDER, targetRevision: 'HEAD', path: OVERLAY_PATH },
      destination: { server: 'https://kubernetes.default.svc', namespace: model.project },
      syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['CreateNamespace=true'] },
    },
  };
}

export function baseKustomization(model: ExportModel, resources: readonly string[]): K8sObject {
  return {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    namespace: model.project,
    resources: [...resources],
  };
}

/** The dev overlay: the base as is, with each image named so a registry can be set here. */
export function devKustomization(model: ExportModel): K8sObject {
  return {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources: ['../../base'],
    labels: [{ pairs: { environment: 'dev' }, includeSelectors: false }],
    images: model.services.map((s) => {
      const ref = imageRef(s.image);
      const colon = ref.lastIndexOf(':');
      return { name: ref.slice(0, colon), newName: ref.slice(0, colon), newTag: ref.slice(colon + 1) };
    }),
  };
}
