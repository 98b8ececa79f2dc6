/**
 * The strict half of the k8s checks: keys a schema does not have. For Kubernetes objects, a
 * proxy records which keys the compiled kubernetes-models validator reads (it reads every
 * property its schema knows, and every key of a map), so any other key is unknown; for the
 * custom resources, a tree of the fields their types have.
 */

type Obj = Record<string, unknown>;

function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A proxy of `value` (deeply) recording the keys read on each object. */
export function track(value: unknown, read: WeakMap<object, Set<PropertyKey>>): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const keys = new Set<PropertyKey>();
  read.set(value, keys);
  const proxies = new Map<PropertyKey, unknown>();
  return new Proxy(value, {
    get(target, key, receiver) {
      keys.add(key);
      const child: unknown = Reflect.get(target, key, receiver);
      if (typeof child !== 'object' || child === null) return child;
      if (!proxies.has(key)) proxies.set(key, track(child, read));
      return proxies.get(key);
    },
  });
}

/** "data/path/key is not in the schema" for every own key the validator never read. */
export function unknownKeys(value: unknown, read: WeakMap<object, Set<PropertyKey>>, path: string): string[] {
  if (typeof value !== 'object' || value === null) return [];
  const keys = read.get(value);
  const out: string[] = [];
  for (const [key, child] of Object.entries(value)) {
    const where = `${path}/${key}`;
    if (!Array.isArray(value) && keys !== undefined && !keys.has(key)) out.push(`data${where} is not a field of the schema (unknown key "${key}")`);
    else out.push(...unknownKeys(child, read, where));
  }
  return out;
}

/** A tree of known fields: `true` takes any value, a nested tree an object (or a list of them). */
export type Fields = { readonly [key: string]: true | Fields };

const META: Fields = { name: true, namespace: true, labels: true, annotations: true, finalizers: true };

/** The fields of the custom resources the export writes, from their Go types / CRDs (kind v1alpha4, ArgoCD v1alpha1, kustomize v1beta1). */
export const CUSTOM_FIELDS: Readonly<Record<string, Fields>> = {
  'argoproj.io/v1alpha1/Application': {
    apiVersion: true, kind: true, metadata: META, operation: true, status: true,
    spec: {
      project: true, sources: true, ignoreDifferences: true, info: true, revisionHistoryLimit: true,
      source: { repoURL: true, targetRevision: true, path: true, chart: true, helm: true, kustomize: true, directory: true, plugin: true, ref: true, name: true },
      destination: { server: true, namespace: true, name: true },
      syncPolicy: { automated: { prune: true, selfHeal: true, allowEmpty: true }, syncOptions: true, retry: true, managedNamespaceMetadata: true },
    },
  },
  'kind.x-k8s.io/v1alpha4/Cluster': {
    apiVersion: true, kind: true, name: true, networking: true, featureGates: true, runtimeConfig: true,
    kubeadmConfigPatches: true, kubeadmConfigPatchesJSON6902: true, containerdConfigPatches: true, containerdConfigPatchesJSON6902: true,
    nodes: {
      role: true, image: true, labels: true, extraMounts: true, kubeadmConfigPatches: true, kubeadmConfigPatchesJSON6902: true,
      extraPortMappings: { containerPort: true, hostPort: true, listenAddress: true, protocol: true },
    },
  },
  'kustomize.config.k8s.io/v1beta1/Kustomization': {
    apiVersion: true, kind: true, metadata: META, resources: true, components: true, namespace: true, namePrefix: true, nameSuffix: true,
    labels: { pairs: true, includeSelectors: true, includeTemplates: true, fields: true },
    commonLabels: true, commonAnnotations: true, patches: true, replicas: true, replacements: true, configMapGenerator: true,
    secretGenerator: true, generatorOptions: true, buildMetadata: true, sortOptions: true, crds: true, openapi: true, helmCharts: true,
    images: { name: true, newName: true, newTag: true, digest: true },
  },
};

export function unknownCustomFields(value: unknown, fields: Fields, path: string, kind: string): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => unknownCustomFields(v, fields, `${path}[${i}]`, kind));
  if (!isObj(value)) return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const known = fields[key];
    const where = path === '' ? key : `${path}.${key}`;
    if (known === undefined) return [`${where} is not a field of ${kind} (unknown key "${key}")`];
    return known === true ? [] : unknownCustomFields(child, known, where, kind);
  });
}

