/**
 * The tasks of a scenario: weighted requests with templated path, headers and JSON
 * body, checks on status and body, think time (Locust's `between`) and recording.
 */
import type { Task, TaskCheck } from '../types.js';
import { checkKeys, isRecord } from './problems.js';
import type { KeyPath, Problems } from './problems.js';
import { checkTemplateString, checkTemplateValue } from './templates.js';
import { readBoolean, readNumber, readString, readThink } from './values.js';

export const TASK_KEYS = ['name', 'weight', 'method', 'path', 'headers', 'body', 'json', 'check', 'think', 'record'] as const;
const CHECK_KEYS = ['status', 'body_includes'] as const;
export const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
const TASK_EXAMPLE = '{ name: menu, method: GET, path: /menu }';

function isJson(value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isJson);
  return isRecord(value) && Object.getPrototypeOf(value) === Object.prototype && Object.values(value).every(isJson);
}

function readHeaders(raw: unknown, path: KeyPath, problems: Problems): Record<string, string> | undefined {
  if (!isRecord(raw)) return problems.add(path, 'must be a map of header names to values', raw, "write { Idempotency-Key: '{{uuid}}' }");
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) problems.add([...path, name], 'is not a valid header name', name, 'use letters, digits and dashes, such as X-Request-Id');
    if (typeof value === 'number' || typeof value === 'boolean') {
      headers[name] = String(value);
      continue;
    }
    const text = readString(value, [...path, name], problems, "'{{uuid}}'");
    if (text !== undefined) headers[name] = text;
    if (text !== undefined) checkTemplateString(text, [...path, name], problems);
  }
  return headers;
}

function readStatuses(raw: unknown, path: KeyPath, problems: Problems): number[] | undefined {
  const list: unknown[] = Array.isArray(raw) ? raw : [raw];
  const ok = list.length > 0 && list.every((s) => typeof s === 'number' && Number.isInteger(s) && s >= 100 && s <= 599);
  return ok ? (list as number[]) : problems.add(path, 'must be a status code or a list of them (100-599)', raw, 'write status: [200, 201]');
}

function readCheck(raw: unknown, path: KeyPath, problems: Problems): TaskCheck | undefined {
  if (!isRecord(raw)) return problems.add(path, 'must be { status, body_includes }', raw, 'write check: { status: [200, 201], body_includes: "ok" }');
  checkKeys(raw, path, CHECK_KEYS, problems, (key) => (key === 'bodyIncludes' ? 'write body_includes' : null));
  const check: TaskCheck = {};
  if (raw.status !== undefined) {
    const status = readStatuses(raw.status, [...path, 'status'], problems);
    if (status) check.status = status;
  }
  if (raw.body_includes !== undefined) {
    const text = readString(raw.body_includes, [...path, 'body_includes'], problems, '"espresso"');
    if (text !== undefined) check.bodyIncludes = text;
  }
  return check;
}

function readMethod(raw: unknown, path: KeyPath, problems: Problems): string | undefined {
  const method = typeof raw === 'string' ? raw.toUpperCase() : undefined;
  if (method !== undefined && (METHODS as readonly string[]).includes(method)) return method;
  return problems.add(path, `must be one of ${METHODS.join(', ')}`, raw, 'write method: GET');
}

function readPath(raw: unknown, path: KeyPath, problems: Problems): string | undefined {
  const text = readString(raw, path, problems, '/menu');
  if (text === undefined) return undefined;
  if (!text.startsWith('/')) return problems.add(path, 'must start with / (it is appended to target)', raw, `write "/${text.replace(/^https?:\/\/[^/]*\/?/, '')}", and put the host in target`);
  checkTemplateString(text, path, problems);
  return text;
}

function readTask(raw: unknown, i: number, problems: Problems): Task | undefined {
  const path = ['tasks', i];
  if (!isRecord(raw)) return problems.add(path, 'must be a task such as ' + TASK_EXAMPLE, raw, `write - ${TASK_EXAMPLE}`);
  checkKeys(raw, path, TASK_KEYS, problems, (key) => (key === 'url' ? 'write path (relative to target)' : null));
  const at = (key: string): KeyPath => [...path, key];
  const name = raw.name === undefined ? problems.add(at('name'), 'is required', undefined, 'add "name: menu"; checks and thresholds name tasks') : readString(raw.name, at('name'), problems, 'menu');
  const urlPath = raw.path === undefined ? problems.add(at('path'), 'is required', undefined, 'add "path: /"') : readPath(raw.path, at('path'), problems);
  const weight = raw.weight === undefined ? 1 : readNumber(raw.weight, at('weight'), problems, 0, true);
  const method = raw.method === undefined ? 'GET' : readMethod(raw.method, at('method'), problems);
  const headers = raw.headers === undefined ? {} : readHeaders(raw.headers, at('headers'), problems);
  const check = raw.check === undefined ? undefined : readCheck(raw.check, at('check'), problems);
  const thinkMs = raw.think === undefined ? { min: 0, max: 0 } : readThink(raw.think, at('think'), problems);
  const record = raw.record === undefined ? false : readBoolean(raw.record, at('record'), problems);
  if (raw.body !== undefined && raw.json !== undefined) problems.add(at('json'), 'cannot be set beside body (json is another name for body)', raw.json, 'keep one of the two');
  const bodyKey = raw.json !== undefined ? 'json' : 'body';
  const body = raw[bodyKey];
  if (body !== undefined && !isJson(body)) problems.add(at(bodyKey), 'must be a JSON value', body, 'write an object, list, string, number, true, false or null');
  else if (body !== undefined) checkTemplateValue(body, at(bodyKey), problems);
  if (name === undefined || urlPath === undefined || weight === undefined || method === undefined || headers === undefined || thinkMs === undefined || record === undefined) return undefined;
  const task: Task = { name, weight, method, path: urlPath, headers, thinkMs, record };
  if (body !== undefined) task.body = body;
  if (check !== undefined) task.check = check;
  return task;
}

/** Reads `tasks`; names must be unique (checks and thresholds refer to them). */
export function readTasks(raw: unknown, problems: Problems): Task[] | undefined {
  if (raw === undefined) return problems.add(['tasks'], 'is required', undefined, `add tasks: [${TASK_EXAMPLE}]`);
  if (!Array.isArray(raw) || raw.length === 0) return problems.add(['tasks'], 'must be a non-empty list of tasks', raw, `write tasks: [${TASK_EXAMPLE}]`);
  const tasks = raw.map((task, i) => readTask(task, i, problems));
  const seen = new Set<string>();
  tasks.forEach((task, i) => {
    if (task && seen.has(task.name)) problems.add(['tasks', i, 'name'], 'must be unique among the tasks', task.name, 'give this task another name');
    if (task) seen.add(task.name);
  });
  return tasks.every((t) => t !== undefined) ? tasks : undefined;
}
