/**
 * Loads a scenario by built-in name or from a file: YAML (.yaml, .yml), JSON (.json)
 * or a JS or TypeScript module (.js, .mjs, .ts, .mts) whose default export is an object
 * in the same shape.
 */
import { readFile } from 'node:fs/promises';
import { basename, extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LabError, describeValue } from '../../errors.js';
import type { Scenario } from '../types.js';
import { buildScenario } from './build.js';
import { BUILTIN_SCENARIOS, BUILTIN_TARGET, builtinData } from './builtins.js';
import type { ScenarioOverrides } from './overrides.js';
import { suggest } from './problems.js';
import { objectSource, readTextSource } from './source.js';
import { TYPESCRIPT_EXTENSIONS, importTypeScript } from './typescript.js';

export interface LoadScenarioOptions {
  /** Relative files resolve from here. */
  cwd: string;
  overrides?: ScenarioOverrides;
}

const TEXT_EXTENSIONS = ['.yaml', '.yml', '.json'];
const MODULE_EXTENSIONS = ['.js', '.mjs', ...TYPESCRIPT_EXTENSIONS];

function baseName(file: string): string {
  return basename(file, extname(file)) || 'scenario';
}

function withOverrides(overrides: ScenarioOverrides | undefined): { overrides?: ScenarioOverrides } {
  return overrides === undefined ? {} : { overrides };
}

/** Parses YAML or JSON scenario text; `file` names it in messages and in Scenario.source. */
export function parseScenario(text: string, file: string, overrides?: ScenarioOverrides): Scenario {
  return parseText(text, file, file, overrides);
}

function parseText(text: string, label: string, source: string, overrides: ScenarioOverrides | undefined): Scenario {
  if (MODULE_EXTENSIONS.includes(extname(label).toLowerCase())) {
    throw new LabError('LAB_LOAD_SCENARIO_INVALID', `${label} is a JS module, and parseScenario reads YAML or JSON text; fix: load it with loadScenario`);
  }
  return buildScenario(readTextSource(text, label), { name: baseName(label), source, ...withOverrides(overrides) });
}

/** A built-in scenario by name, with its default target unless overridden. */
export function builtinScenario(name: string, overrides?: ScenarioOverrides): Scenario {
  const data = builtinData(name);
  if (data === undefined) throw notFound(name, `there is no built-in "${name}"`);
  const label = `built-in:${name}`;
  return buildScenario(objectSource(data, label), { name, source: label, defaultTarget: BUILTIN_TARGET, ...withOverrides(overrides) });
}

function notFound(nameOrFile: string, reason: string, cause?: unknown): LabError {
  return new LabError(
    'LAB_LOAD_SCENARIO_NOT_FOUND',
    `scenario ${JSON.stringify(nameOrFile)} is neither a built-in nor a readable file (${reason}); fix: use a built-in (${BUILTIN_SCENARIOS.join(', ')}) or the path of a .yaml, .yml, .json, .js, .mjs or .ts file`,
    cause === undefined ? {} : { cause },
  );
}

async function importFile(file: string, label: string): Promise<{ default?: unknown }> {
  try {
    return (await import(pathToFileURL(file).href)) as { default?: unknown };
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new LabError('LAB_LOAD_SCENARIO_INVALID', `${label} cannot be imported: ${reason}; fix: run it with node to see the error`, { cause: error });
  }
}

async function importModule(file: string, label: string): Promise<unknown> {
  const module = TYPESCRIPT_EXTENSIONS.includes(extname(file).toLowerCase())
    ? ((await importTypeScript(file, label, (path) => importFile(path, label))) as { default?: unknown })
    : await importFile(file, label);
  const data = module.default;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new LabError('LAB_LOAD_SCENARIO_INVALID', `${label} must export default a scenario object, received ${describeValue(data)}; fix: write export default { target, vus, duration, tasks }`);
  }
  return data;
}

/** A built-in name (steady, morning-rush, spike) or a scenario file. */
export async function loadScenario(nameOrFile: string, options: LoadScenarioOptions): Promise<Scenario> {
  if (BUILTIN_SCENARIOS.includes(nameOrFile)) return builtinScenario(nameOrFile, options.overrides);
  const file = resolve(options.cwd, nameOrFile);
  const extension = extname(file).toLowerCase();
  const known = [...TEXT_EXTENSIONS, ...MODULE_EXTENSIONS].includes(extension);
  if (extension === '' && !nameOrFile.includes('/')) {
    const near = suggest(nameOrFile, BUILTIN_SCENARIOS);
    throw notFound(nameOrFile, `there is no built-in "${nameOrFile}"${near === null ? '' : `; did you mean ${near}?`}`);
  }
  if (MODULE_EXTENSIONS.includes(extension)) {
    await readFile(file).catch((error: NodeJS.ErrnoException) => {
      throw notFound(nameOrFile, error.code === 'ENOENT' ? `${file} does not exist` : `${file}: ${error.message}`, error);
    });
    const data = await importModule(file, nameOrFile);
    return buildScenario(objectSource(data, nameOrFile), { name: baseName(file), source: file, ...withOverrides(options.overrides) });
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw notFound(nameOrFile, code === 'ENOENT' ? `${file} does not exist` : `${file}: ${(error as Error).message}`, error);
  }
  if (!known) {
    throw new LabError('LAB_LOAD_SCENARIO_INVALID', `${nameOrFile} must end in .yaml, .yml, .json, .js, .mjs, .ts or .mts, received "${extension}"; fix: rename it to .yaml, .json, .mjs or .ts`);
  }
  return parseText(text, nameOrFile, file, options.overrides);
}
