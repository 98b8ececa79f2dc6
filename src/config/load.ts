/** Finding, reading and validating cloudlab.yaml (or the built-in cafe demo). */
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { LabError } from '../errors.js';
import { BUILTIN_LABEL, builtinConfig } from './builtin.js';
import { checkDependsOn, checkEngines, checkHealthchecks } from './check-dependencies.js';
import { checkPortClashes, checkProxyNames } from './check-listeners.js';
import { describeReceived, formatPath, formatProblem } from './problem.js';
import type { Problem } from './problem.js';
import { asMap } from './raw.js';
import { resolveConfig } from './resolve.js';
import { fileSchema } from './schema.js';
import { readSource } from './source.js';
import type { Source } from './source.js';
import type { ConfigOverrides, LabConfig, LoadConfigOptions } from './types.js';
import { problemsFromIssues } from './zod-problems.js';

export const DEFAULT_FILES = ['cloudlab.yaml', 'cloudlab.yml'] as const;

export async function loadConfig(options: LoadConfigOptions): Promise<LabConfig> {
  const cwd = resolve(options.cwd);
  const env = options.env ?? process.env;
  const overrides = options.overrides ?? {};
  const found = await findConfigFile(cwd, options.file);
  if (found === null) {
    const source: Source = { data: builtinConfig(cwd), label: BUILTIN_LABEL, problems: [], locate: () => ({ line: 0, col: 0 }) };
    return validate(source, { dir: cwd, file: null, env, overrides });
  }
  return parseConfig(found.text, { file: found.path, cwd, env, overrides });
}

export interface ParseConfigOptions {
  /** Absolute path the text was read from: relative paths in it are read from its directory. */
  file: string;
  /** Messages name the file relative to this directory (default: the file's directory). */
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  overrides?: ConfigOverrides;
}

/** Validates config text already read; throws LAB_CONFIG_PARSE or LAB_CONFIG_INVALID. */
export function parseConfig(text: string, options: ParseConfigOptions): LabConfig {
  const file = resolve(options.file);
  const env = options.env ?? process.env;
  const source = readSource(text, labelOf(file, options.cwd ?? dirname(file)), env);
  return validate(source, { dir: dirname(file), file, env, overrides: options.overrides ?? {} });
}

async function findConfigFile(cwd: string, file: string | undefined): Promise<{ path: string; text: string } | null> {
  if (file !== undefined) {
    const path = resolve(cwd, file);
    const text = await read(path, true);
    return { path, text: text ?? '' };
  }
  for (const name of DEFAULT_FILES) {
    const path = resolve(cwd, name);
    const text = await read(path, false);
    if (text !== undefined) return { path, text };
  }
  return null;
}

/** The file's text; undefined when it does not exist and was not asked for by name. */
async function read(path: string, required: boolean): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !required) return undefined;
    if (code === 'ENOENT') {
      throw new LabError('LAB_CONFIG_NOT_FOUND', `config file ${path} does not exist; fix: check the --file path, or leave --file out to use ./cloudlab.yaml or the built-in cafe demo`, { cause: err });
    }
    throw new LabError('LAB_CONFIG_UNREADABLE', `config file ${path} cannot be read (${(err as Error).message}); fix: make it a readable file`, { cause: err });
  }
}

function labelOf(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

/** Top-level keys starting with x- are compose's extension fields: for anchors, ignored otherwise. */
function withoutExtensions(data: unknown): unknown {
  const map = asMap(data);
  if (!map) return data;
  return Object.fromEntries(Object.entries(map).filter(([key]) => !key.startsWith('x-')));
}

function validate(source: Source, context: Parameters<typeof resolveConfig>[1]): LabConfig {
  const data = withoutExtensions(source.data ?? {});
  const root = asMap(data);
  const problems: Problem[] = [...source.problems];
  if (!root) {
    problems.push({ path: [], at: 'value', expected: 'must be a map of keys such as services and dependencies', received: describeReceived([], data), fix: 'start the file with keys such as services:' });
  } else {
    const interpolated = new Set(source.problems.map((p) => formatPath(p.path)));
    const parsed = fileSchema.safeParse(root);
    const found = [...(parsed.success ? [] : problemsFromIssues(parsed.error.issues, root)), ...checkEngines(root), ...checkHealthchecks(root), ...checkDependsOn(root), ...checkPortClashes(root), ...checkProxyNames(root)];
    // A value whose ${VAR} failed is reported once, for the variable.
    problems.push(...found.filter((p) => !interpolated.has(formatPath(p.path))));
    if (problems.length === 0 && parsed.success) return resolveConfig(parsed.data, context);
  }
  throw new LabError('LAB_CONFIG_INVALID', describeProblems(source, problems));
}

function describeProblems(source: Source, problems: readonly Problem[]): string {
  const located = problems.map((problem) => ({ problem, ...source.locate(problem.path, problem.at) }));
  located.sort((a, b) => a.line - b.line || a.col - b.col);
  const lines = located.map(({ problem, line, col }) => formatProblem(line === 0 ? source.label : `${source.label}:${line}:${col}`, problem));
  return [...new Set(lines)].join('\n');
}
