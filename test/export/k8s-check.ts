/**
 * Checks for the Kubernetes export, shared by the k8s tests: every YAML document parsed,
 * every Kubernetes object validated against the official OpenAPI schemas (as shipped by
 * kubernetes-models, generated from Kubernetes' own spec), the custom resources checked
 * for their required fields, and the references between objects resolved.
 */
import { parseAllDocuments } from 'yaml';
import type { ExportFile } from '../../src/export/index.js';
import { CUSTOM_FIELDS, track, unknownCustomFields, unknownKeys } from './k8s-strict.js';

export interface ParsedDoc {
  file: string;
  index: number;
  object: Record<string, unknown>;
}

type Obj = Record<string, unknown>;

function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function at(value: unknown, ...path: (string | number)[]): unknown {
  let cur = value;
  for (const key of path) {
    if (typeof key === 'number') cur = Array.isArray(cur) ? cur[key] : undefined;
    else cur = isObj(cur) ? cur[key] : undefined;
  }
  return cur;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** Every document of every .yaml file; a YAML error or warning throws, naming the file. */
export function parseYamlFiles(files: readonly ExportFile[]): ParsedDoc[] {
  const out: ParsedDoc[] = [];
  for (const file of files.filter((f) => f.path.endsWith('.yaml'))) {
    // version 1.1: how kubectl and kind read YAML (`yes` is a boolean there).
    const docs = parseAllDocuments(file.content, { version: '1.1', prettyErrors: true });
    if (!Array.isArray(docs)) throw new Error(`${file.path}: no YAML document`);
    docs.forEach((doc, index) => {
      const problems = [...doc.errors, ...doc.warnings];
      if (problems.length > 0) throw new Error(`${file.path} document ${index}: ${problems.map((p) => p.message).join('; ')}`);
      const object: unknown = doc.toJS();
      if (!isObj(object)) throw new Error(`${file.path} document ${index}: expected a mapping, received ${JSON.stringify(object)}`);
      out.push({ file: file.path, index, object });
    });
  }
  return out;
}

function groupModulePath(apiVersion: string): string {
  // Core objects ("v1") live at kubernetes-models/v1, the others at kubernetes-models/<group>/<version>.
  return `kubernetes-models/${apiVersion}`;
}

interface ModelClass {
  new (data: Obj): { validate(): void };
}

/**
 * Schema errors of one Kubernetes object ([] when valid): wrong types, missing fields, and
 * keys the schema does not know (strict); an unknown apiVersion/kind is an error too.
 */
export async function schemaErrors(object: Obj): Promise<string[]> {
  const { apiVersion, kind } = object;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return [`apiVersion and kind must be strings, received ${JSON.stringify({ apiVersion, kind })}`];
  let mod: Record<string, unknown>;
  try {
    mod = (await import(groupModulePath(apiVersion))) as Record<string, unknown>;
  } catch {
    return [`${apiVersion} is not a Kubernetes API group/version the schemas know`];
  }
  const Model = mod[kind] as ModelClass | undefined;
  if (typeof Model !== 'function') return [`${apiVersion} has no kind ${kind}`];
  // Run the schema's compiled validator on a proxy of the object that records every key it
  // reads: the validator reads each property its schema knows (and every key of a map), so
  // a key it never read is one the schema does not have. This makes the check strict
  // (additionalProperties: false) without a second copy of the schemas.
  const read = new WeakMap<object, Set<PropertyKey>>();
  const tracked = track(object, read);
  try {
    const proto = Model.prototype as { validate: (this: unknown) => void };
    proto.validate.call(tracked);
  } catch (err) {
    return [(err as Error).message];
  }
  return unknownKeys(object, read, '');
}

/**
 * Required fields of the custom resources the export writes (their CRDs are not in the
 * Kubernetes spec), and no field they do not have.
 */
export function customResourceErrors(object: Obj): string[] {
  const errors: string[] = [];
  const need = (cond: boolean, what: string): void => {
    if (!cond) errors.push(what);
  };
  const key = `${String(object['apiVersion'])}/${String(object['kind'])}`;
  switch (key) {
    case 'argoproj.io/v1alpha1/Application':
      need(typeof at(object, 'metadata', 'name') === 'string', 'metadata.name must be a string');
      need(typeof at(object, 'spec', 'project') === 'string', 'spec.project must be a string');
      need(typeof at(object, 'spec', 'source', 'repoURL') === 'string', 'spec.source.repoURL must be a string');
      need(typeof at(object, 'spec', 'source', 'path') === 'string', 'spec.source.path must be a string');
      need(typeof at(object, 'spec', 'destination', 'namespace') === 'string', 'spec.destination.namespace must be a string');
      need(typeof at(object, 'spec', 'destination', 'server') === 'string' || typeof at(object, 'spec', 'destination', 'name') === 'string', 'spec.destination needs server or name');
      break;
    case 'kind.x-k8s.io/v1alpha4/Cluster': {
      const nodes = list(object['nodes']);
      need(nodes.length > 0, 'nodes must be a non-empty list');
      need(nodes.some((n) => at(n, 'role') === 'control-plane'), 'nodes needs a control-plane node');
      for (const [i, node] of nodes.entries()) {
        need(['control-plane', 'worker'].includes(String(at(node, 'role'))), `nodes[${i}].role must be control-plane or worker`);
        for (const [j, m] of list(at(node, 'extraPortMappings')).entries()) {
          need(Number.isInteger(at(m, 'containerPort')) && Number.isInteger(at(m, 'hostPort')), `nodes[${i}].extraPortMappings[${j}] needs integer containerPort and hostPort`);
        }
      }
      break;
    }
    case 'kustomize.config.k8s.io/v1beta1/Kustomization':
      need(list(object['resources']).length > 0, 'resources must be a non-empty list');
      need(list(object['resources']).every((r) => typeof r === 'string'), 'resources must be strings');
      break;
    default:
      errors.push(`${key} is not a custom resource this check knows`);
  }
  const fields = CUSTOM_FIELDS[key];
  if (fields !== undefined) errors.push(...unknownCustomFields(object, fields, '', String(object['kind'])));
  return errors;
}

export const CUSTOM_API_VERSIONS = new Set(['argoproj.io/v1alpha1', 'kind.x-k8s.io/v1alpha4', 'kustomize.config.k8s.io/v1beta1']);

function podLabels(object: Obj): Obj | undefined {
  const labels = at(object, 'spec', 'template', 'metadata', 'labels');
  return isObj(labels) ? labels : undefined;
}

function matches(selector: Obj, labels: Obj): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/** Cross-object references that must resolve inside the export. */
export function referenceErrors(docs: readonly ParsedDoc[]): string[] {
  const errors: string[] = [];
  const objects = docs.map((d) => d.object);
  const byKind = (kind: string): Obj[] => objects.filter((o) => o['kind'] === kind);
  const name = (o: Obj): string => String(at(o, 'metadata', 'name'));
  const workloads = [...byKind('Deployment'), ...byKind('StatefulSet')];
  const seen = new Set<string>();
  for (const o of objects.filter((x) => typeof at(x, 'metadata', 'name') === 'string')) {
    const id = `${String(o['apiVersion'])} ${String(o['kind'])} ${name(o)}`;
    if (seen.has(id)) errors.push(`${id}: defined twice`);
    seen.add(id);
  }

  for (const w of workloads) {
    const sel = at(w, 'spec', 'selector', 'matchLabels');
    const labels = podLabels(w);
    if (!isObj(sel) || !labels || !matches(sel, labels)) errors.push(`${String(w['kind'])} ${name(w)}: spec.selector does not match its pod labels`);
  }
  for (const svc of byKind('Service')) {
    const sel = at(svc, 'spec', 'selector');
    if (!isObj(sel) || Object.keys(sel).length === 0) {
      errors.push(`Service ${name(svc)}: no selector`);
      continue;
    }
    const targets = workloads.filter((w) => {
      const labels = podLabels(w);
      return labels !== undefined && matches(sel, labels);
    });
    if (targets.length === 0) errors.push(`Service ${name(svc)}: selector ${JSON.stringify(sel)} matches no Deployment/StatefulSet pods`);
    for (const port of list(at(svc, 'spec', 'ports'))) {
      const target = at(port, 'targetPort');
      if (typeof target !== 'string') continue;
      const named = targets.some((w) => list(at(w, 'spec', 'template', 'spec', 'containers')).some((c) => list(at(c, 'ports')).some((p) => at(p, 'name') === target)));
      if (!named) errors.push(`Service ${name(svc)}: targetPort ${target} names no container port of its pods`);
    }
  }
  for (const ss of byKind('StatefulSet')) {
    const headless = byKind('Service').find((s) => name(s) === at(ss, 'spec', 'serviceName'));
    if (!headless || at(headless, 'spec', 'clusterIP') !== 'None') errors.push(`StatefulSet ${name(ss)}: spec.serviceName names no headless Service`);
    if (list(at(ss, 'spec', 'volumeClaimTemplates')).length === 0) errors.push(`StatefulSet ${name(ss)}: no volumeClaimTemplates`);
  }
  for (const hpa of byKind('HorizontalPodAutoscaler')) {
    const ref = at(hpa, 'spec', 'scaleTargetRef');
    const found = objects.some((o) => o['kind'] === at(ref, 'kind') && o['apiVersion'] === at(ref, 'apiVersion') && name(o) === at(ref, 'name'));
    if (!found) errors.push(`HorizontalPodAutoscaler ${name(hpa)}: scaleTargetRef ${JSON.stringify(ref)} names no object of the export`);
  }
  const services = byKind('Service');
  const backendErrors = (where: string, backend: unknown): void => {
    const svc = services.find((s) => name(s) === at(backend, 'service', 'name'));
    if (!svc) {
      errors.push(`${where}: backend service ${String(at(backend, 'service', 'name'))} does not exist`);
      return;
    }
    const portName = at(backend, 'service', 'port', 'name');
    const portNumber = at(backend, 'service', 'port', 'number');
    const ok = list(at(svc, 'spec', 'ports')).some((p) => (portName !== undefined ? at(p, 'name') === portName : at(p, 'port') === portNumber));
    if (!ok) errors.push(`${where}: Service ${name(svc)} has no port ${String(portName ?? portNumber)}`);
  };
  for (const ing of byKind('Ingress')) {
    if (at(ing, 'spec', 'defaultBackend') !== undefined) backendErrors(`Ingress ${name(ing)} defaultBackend`, at(ing, 'spec', 'defaultBackend'));
    for (const [i, rule] of list(at(ing, 'spec', 'rules')).entries()) {
      for (const [j, path] of list(at(rule, 'http', 'paths')).entries()) backendErrors(`Ingress ${name(ing)} rules[${i}].paths[${j}]`, at(path, 'backend'));
    }
  }
  const keysOf = (kind: string, objName: string): Set<string> | undefined => {
    const o = byKind(kind).find((x) => name(x) === objName);
    if (!o) return undefined;
    return new Set([...Object.keys(isObj(o['data']) ? o['data'] : {}), ...Object.keys(isObj(o['stringData']) ? o['stringData'] : {})]);
  };
  for (const w of workloads) {
    for (const c of list(at(w, 'spec', 'template', 'spec', 'containers'))) {
      for (const e of list(at(c, 'env'))) {
        for (const [refKind, field] of [['ConfigMap', 'configMapKeyRef'], ['Secret', 'secretKeyRef']] as const) {
          const ref = at(e, 'valueFrom', field);
          if (ref === undefined) continue;
          const keys = keysOf(refKind, String(at(ref, 'name')));
          if (!keys) errors.push(`${name(w)} env ${String(at(e, 'name'))}: ${refKind} ${String(at(ref, 'name'))} does not exist`);
          else if (!keys.has(String(at(ref, 'key')))) errors.push(`${name(w)} env ${String(at(e, 'name'))}: ${refKind} ${String(at(ref, 'name'))} has no key ${String(at(ref, 'key'))}`);
        }
      }
    }
  }
  return errors;
}

/** The base and overlay kustomizations must list exactly the files beside them (and the base). */
export function kustomizationErrors(files: readonly ExportFile[], docs: readonly ParsedDoc[]): string[] {
  const errors: string[] = [];
  const paths = new Set(files.map((f) => f.path));
  for (const doc of docs.filter((d) => d.file.endsWith('kustomization.yaml'))) {
    const dir = doc.file.includes('/') ? doc.file.slice(0, doc.file.lastIndexOf('/') + 1) : '';
    const resources = list(doc.object['resources']).map(String);
    for (const r of resources) {
      const target = normalize(`${dir}${r}`);
      const isFile = paths.has(target);
      const isDir = paths.has(`${target}/kustomization.yaml`);
      if (!isFile && !isDir) errors.push(`${doc.file}: resource ${r} is not a file of the export`);
    }
    const siblings = [...paths].filter((p) => p.startsWith(dir) && p.endsWith('.yaml') && p !== doc.file);
    for (const s of siblings) {
      if (!resources.some((r) => normalize(`${dir}${r}`) === s)) errors.push(`${doc.file}: does not list ${s.slice(dir.length)}`);
    }
  }
  return errors;
}

function normalize(path: string): string {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '..') out.pop();
    else if (part !== '.' && part !== '') out.push(part);
  }
  return out.join('/');
}

/** The value at a dotted path ("spec.template.spec.containers.0"), for assertions; undefined when absent. */
export function pick(value: unknown, path: string): unknown {
  return at(value, ...path.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)));
}

/** The list at a dotted path ([] when absent). */
export function pickList(value: unknown, path: string): unknown[] {
  return list(pick(value, path));
}

/** The object of `kind` named `name` among the documents. */
export function findObject(docs: readonly ParsedDoc[], kind: string, name: string): Obj | undefined {
  return docs.map((d) => d.object).find((o) => o['kind'] === kind && at(o, 'metadata', 'name') === name);
}

/** A container's env entries by name. */
export function envByName(container: unknown): Map<string, unknown> {
  return new Map(list(at(container, 'env')).map((e) => [String(at(e, 'name')), e]));
}
