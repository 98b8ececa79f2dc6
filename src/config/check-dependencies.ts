/** Cross-checks of dependencies: engine and url, depends_on names, cycles, healthcheck kinds. */
import { DEFAULTS } from './defaults.js';
import { describeReceived, valueAt } from './problem.js';
import type { KeyPath, Problem } from './problem.js';
import { asMap, dependsOnNames, has, rawDependency, rawServices } from './raw.js';
import type { RawMap } from './raw.js';
import { closestKey } from './suggest.js';

const URL_EXAMPLE = { postgres: 'postgres://user:password@db.example.com:5432/app', cache: 'redis://cache.example.com:6379' } as const;
const EMBEDDED_ONLY = { postgres: ['database', 'user', 'password', 'port'], cache: ['port'] } as const;

export function checkEngines(root: RawMap): Problem[] {
  const problems: Problem[] = [];
  for (const kind of ['postgres', 'cache'] as const) {
    const dep = rawDependency(root, kind);
    if (!dep) continue;
    const path: KeyPath = ['dependencies', kind];
    const engine = dep['engine'] ?? DEFAULTS[kind].engine;
    if (engine === 'external') {
      if (!has(dep, 'url')) {
        problems.push({ path: [...path, 'url'], at: 'key', expected: 'is required with engine: external', received: 'nothing', fix: `write url: ${URL_EXAMPLE[kind]}, or leave engine out for a local ${kind}` });
      }
      for (const key of EMBEDDED_ONLY[kind]) {
        if (has(dep, key)) {
          problems.push({ path: [...path, key], at: 'key', expected: 'is not used with engine: external', received: describeReceived([key], dep[key]), fix: 'remove it; the url says where the server is and how to log in' });
        }
      }
    } else if (has(dep, 'url') && typeof engine === 'string') {
      problems.push({
        path: [...path, 'url'],
        at: 'key',
        expected: `is only for engine: external (engine is ${engine})`,
        received: describeReceived(['url'], dep['url']),
        fix: 'write engine: external to use that server, or remove url',
      });
    }
  }
  return problems;
}

export function checkHealthchecks(root: RawMap): Problem[] {
  const problems: Problem[] = [];
  for (const [name, value] of Object.entries(rawServices(root))) {
    const hc = asMap(asMap(value)?.['healthcheck']);
    if (!hc) continue;
    const kinds = ['http', 'tcp', 'disable'].filter((k) => has(hc, k));
    for (const extra of kinds.slice(1)) {
      problems.push({
        path: ['services', name, 'healthcheck', extra],
        at: 'key',
        expected: `cannot be used together with ${kinds[0]}`,
        received: describeReceived([extra], hc[extra]),
        fix: 'keep one of http, tcp and disable',
      });
    }
  }
  return problems;
}

export function checkDependsOn(root: RawMap): Problem[] {
  const problems: Problem[] = [];
  const services = rawServices(root);
  const names = Object.keys(services);
  const edges = new Map<string, string[]>();
  for (const [name, value] of Object.entries(services)) {
    const service = asMap(value);
    if (!service) continue;
    const targets: string[] = [];
    for (const dep of dependsOnNames(service, ['services', name])) {
      const received = JSON.stringify(dep.name);
      if (dep.name === name) {
        problems.push({ path: dep.path, at: dep.at, expected: 'names the service itself', received, fix: 'remove it' });
      } else if (dep.name === 'postgres' || dep.name === 'cache') {
        if (!rawDependency(root, dep.name)) {
          problems.push({ path: dep.path, at: dep.at, expected: `needs dependencies.${dep.name}, which the file does not declare`, received, fix: `add ${dep.name} under dependencies, or remove it from depends_on` });
        }
      } else if (!names.includes(dep.name)) {
        const choices = [...names.filter((n) => n !== name), ...(['postgres', 'cache'] as const).filter((d) => rawDependency(root, d))];
        const close = closestKey(dep.name, choices);
        const fix = close ? `did you mean "${close}"?` : choices.length > 0 ? `write one of ${choices.join(', ')}` : `define ${dep.name} under services, or remove it`;
        problems.push({ path: dep.path, at: dep.at, expected: 'names no service', received, fix });
      } else {
        targets.push(dep.name);
      }
    }
    edges.set(name, targets);
  }
  for (const cycle of findCycles(edges)) {
    const path = ['services', cycle[0] ?? '', 'depends_on'];
    problems.push({
      path,
      at: 'value',
      expected: `forms a cycle: ${[...cycle, cycle[0]].join(' -> ')}`,
      received: describeReceived(path, valueAt(root, path)),
      fix: 'remove one depends_on entry of the cycle',
    });
  }
  return problems;
}

/** Each cycle of the graph once, starting at its smallest name. */
export function findCycles(edges: ReadonlyMap<string, readonly string[]>): string[][] {
  const cycles = new Map<string, string[]>();
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): void => {
    state.set(node, 'visiting');
    stack.push(node);
    for (const next of edges.get(node) ?? []) {
      if (state.get(next) === 'visiting') {
        const cycle = stack.slice(stack.indexOf(next));
        const first = cycle.indexOf([...cycle].sort()[0] ?? next);
        const rotated = [...cycle.slice(first), ...cycle.slice(0, first)];
        cycles.set(rotated.join('\u0000'), rotated);
      } else if (!state.has(next)) {
        visit(next);
      }
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of edges.keys()) if (!state.has(node)) visit(node);
  return [...cycles.values()];
}
