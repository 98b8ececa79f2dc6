/**
 * Static checks of the Terraform export: every .tf file parsed as HCL with @cdktf/hcl2json
 * (HashiCorp's own HCL parser, compiled to WebAssembly), then every reference resolved
 * within its module: variables, locals, data sources, resources, module calls, module
 * sources and module outputs. Returns error strings; an empty list passes.
 */
import { parse } from '@cdktf/hcl2json';
import type { ExportFile } from '../../src/export/index.js';

type Json = Record<string, unknown>;

/** One Terraform module (a directory): its files merged block type by block type. */
export interface TfModule {
  readonly dir: string;
  readonly variables: Map<string, Json>;
  readonly outputs: Set<string>;
  readonly locals: Set<string>;
  /** "type.name" of resources and data sources. */
  readonly resources: Set<string>;
  readonly data: Set<string>;
  readonly modules: Map<string, Json>;
  /** Every parsed file body, for the expression scan. */
  readonly bodies: Json[];
}

function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

function firstBlock(value: unknown): Json {
  return (Array.isArray(value) ? value[0] : value) as Json;
}

/** Parses every .tf file (throws on a syntax error) and groups them by module directory. */
export async function parseTerraform(files: readonly ExportFile[]): Promise<Map<string, TfModule>> {
  const modules = new Map<string, TfModule>();
  for (const file of files) {
    if (!file.path.endsWith('.tf')) continue;
    const body = (await parse(file.path, file.content)) as Json;
    const dir = dirOf(file.path);
    let mod = modules.get(dir);
    if (mod === undefined) {
      mod = { dir, variables: new Map(), outputs: new Set(), locals: new Set(), resources: new Set(), data: new Set(), modules: new Map(), bodies: [] };
      modules.set(dir, mod);
    }
    mod.bodies.push(body);
    for (const [name, blocks] of Object.entries((body['variable'] ?? {}) as Json)) mod.variables.set(name, firstBlock(blocks));
    for (const name of Object.keys(body['output'] ?? {})) mod.outputs.add(name);
    for (const block of (body['locals'] ?? []) as Json[]) for (const name of Object.keys(block)) mod.locals.add(name);
    for (const [type, byName] of Object.entries((body['resource'] ?? {}) as Json)) for (const name of Object.keys(byName as Json)) mod.resources.add(`${type}.${name}`);
    for (const [type, byName] of Object.entries((body['data'] ?? {}) as Json)) for (const name of Object.keys(byName as Json)) mod.data.add(`${type}.${name}`);
    for (const [name, blocks] of Object.entries((body['module'] ?? {}) as Json)) mod.modules.set(name, firstBlock(blocks));
  }
  return modules;
}

/** Every string in a parsed body that holds an expression (hcl2json renders them as "${...}"). */
export function expressions(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') {
    if (value.includes('${')) out.push(value);
  } else if (Array.isArray(value)) {
    for (const v of value) expressions(v, out);
  } else if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) expressions(v, out);
  }
  return out;
}

function resolveSource(dir: string, source: string): string {
  const parts = dir === '' ? [] : dir.split('/');
  for (const part of source.split('/')) {
    if (part === '.' || part === '') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return parts.join('/');
}

const META_ARGUMENTS = new Set(['source', 'version', 'count', 'for_each', 'depends_on', 'providers']);

/** Every unresolved reference, as "<dir>: what". */
export function referenceErrors(modules: Map<string, TfModule>): string[] {
  const errors: string[] = [];
  for (const mod of modules.values()) {
    const where = mod.dir === '' ? '(root)' : mod.dir;
    for (const [name, call] of mod.modules) {
      const source = String(call['source']);
      const target = modules.get(resolveSource(mod.dir, source));
      if (!source.startsWith('./') || target === undefined) {
        errors.push(`${where}: module "${name}" source ${source} is not a generated module`);
        continue;
      }
      for (const arg of Object.keys(call)) {
        if (!META_ARGUMENTS.has(arg) && !target.variables.has(arg)) errors.push(`${where}: module "${name}" passes ${arg}, which ${target.dir} does not declare`);
      }
      for (const [v, decl] of target.variables) {
        if (!('default' in decl) && !(v in call)) errors.push(`${where}: module "${name}" leaves the required variable ${v} of ${target.dir} unset`);
      }
    }
    for (const text of mod.bodies.flatMap((b) => expressions(b))) {
      for (const m of text.matchAll(/(?<![\w.])var\.([A-Za-z_][\w-]*)/g)) if (!mod.variables.has(m[1]!)) errors.push(`${where}: var.${m[1]} is not declared`);
      for (const m of text.matchAll(/(?<![\w.])local\.([A-Za-z_][\w-]*)/g)) if (!mod.locals.has(m[1]!)) errors.push(`${where}: local.${m[1]} is not defined`);
      for (const m of text.matchAll(/(?<![\w.])data\.([a-z][\w]*)\.([A-Za-z_][\w-]*)/g)) if (!mod.data.has(`${m[1]}.${m[2]}`)) errors.push(`${where}: data.${m[1]}.${m[2]} is not declared`);
      for (const m of text.matchAll(/(?<![\w.])((?:aws|random|tls|helm|kubernetes)_[a-z0-9_]+)\.([A-Za-z_][\w-]*)/g)) if (!mod.resources.has(`${m[1]}.${m[2]}`)) errors.push(`${where}: ${m[1]}.${m[2]} is not a resource of this module`);
      for (const m of text.matchAll(/(?<![\w.])module\.([A-Za-z_][\w-]*)\.([A-Za-z_][\w-]*)/g)) {
        const call = mod.modules.get(m[1]!);
        const target = call === undefined ? undefined : modules.get(resolveSource(mod.dir, String(call['source'])));
        if (call === undefined) errors.push(`${where}: module.${m[1]} is not called`);
        else if (target !== undefined && !target.outputs.has(m[2]!)) errors.push(`${where}: module.${m[1]}.${m[2]}: ${target.dir} has no such output`);
      }
    }
  }
  return errors;
}

/** Arguments that name a password or secret value and hold a literal instead of a reference. */
export function secretLiteralErrors(modules: Map<string, TfModule>): string[] {
  const errors: string[] = [];
  const walk = (value: unknown, path: string, where: string): void => {
    if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${path}[${i}]`, where));
    else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        if (/passw(or)?d|secret_string|^secret$/i.test(k) && typeof v === 'string' && !v.includes('${')) errors.push(`${where}: ${path}.${k} is a literal`);
        walk(v, `${path}.${k}`, where);
      }
    }
  };
  for (const mod of modules.values()) for (const body of mod.bodies) walk(body, '', mod.dir === '' ? '(root)' : mod.dir);
  return errors;
}
