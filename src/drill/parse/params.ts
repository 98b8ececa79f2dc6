/**
 * A drill's parameters: defaults from `parameters:`, overridden by `--param key=value`,
 * then `${name}` substituted in every string value of the file. A value that is exactly
 * `${name}` takes the parameter's type (a number stays a number); inside longer text it
 * renders as text.
 */
import { LabError } from '../../errors.js';
import { closest, isRecord } from './problems.js';
import type { KeyPath, Problems } from './problems.js';

export type ParamValue = string | number | boolean;

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const REFERENCE = /\$\{([^}]*)\}/g;
const EXACT = /^\$\{([^}]*)\}$/;

/** The `parameters:` map; problems for bad names or values. */
export function readParameters(raw: unknown, problems: Problems): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  if (raw === undefined || raw === null) return out;
  if (!isRecord(raw)) {
    problems.add(['parameters'], 'must be a map of name to default value', raw, 'write parameters: { outage: 30s, rate: 20 }');
    return out;
  }
  for (const [name, value] of Object.entries(raw)) {
    if (!NAME.test(name)) {
      problems.add(['parameters', name], 'must be named with letters, digits and _ (starting with a letter or _)', name, 'rename it, e.g. load_duration');
      continue;
    }
    if (typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) out[name] = value;
    else problems.add(['parameters', name], 'must be a string, a number or a boolean', value, `write ${name}: 30s (or a number)`);
  }
  return out;
}

/** Parses `--param key=value` flags into a map (LAB_DRILL_FILE_INVALID for one without "="). */
export function parseParamFlags(flags: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const flag of flags) {
    const eq = flag.indexOf('=');
    if (eq <= 0) throw new LabError('LAB_DRILL_FILE_INVALID', `--param must be key=value, received ${JSON.stringify(flag)}; fix: write --param outage=45s`);
    out[flag.slice(0, eq)] = flag.slice(eq + 1);
  }
  return out;
}

/** The defaults with the overrides applied, each converted to its default's type. */
export function applyParamOverrides(file: string, defaults: Record<string, ParamValue>, overrides: Record<string, string>): Record<string, ParamValue> {
  const out = { ...defaults };
  const names = Object.keys(defaults);
  for (const [name, text] of Object.entries(overrides)) {
    if (!Object.hasOwn(defaults, name)) {
      const near = closest(name, names);
      const fix = near !== null ? `did you mean "${near}"?` : names.length > 0 ? `the drill's parameters are ${names.join(', ')}` : 'this drill has no parameters; remove --param';
      throw new LabError('LAB_DRILL_FILE_INVALID', `${file}: --param ${name} names no parameter of the drill, received "${name}=${text}"; fix: ${fix}`);
    }
    const was = defaults[name];
    if (typeof was === 'number') {
      const n = Number(text);
      if (text.trim() === '' || !Number.isFinite(n)) throw new LabError('LAB_DRILL_FILE_INVALID', `${file}: --param ${name} must be a number (its default is ${was}), received ${JSON.stringify(text)}; fix: write --param ${name}=${was}`);
      out[name] = n;
    } else if (typeof was === 'boolean') {
      if (text !== 'true' && text !== 'false') throw new LabError('LAB_DRILL_FILE_INVALID', `${file}: --param ${name} must be true or false, received ${JSON.stringify(text)}; fix: write --param ${name}=${String(!was)}`);
      out[name] = text === 'true';
    } else out[name] = text;
  }
  return out;
}

/** Replaces `${name}` in every string of `data` (except under `parameters`); problems for unknown names. */
export function substitute(data: unknown, params: Record<string, ParamValue>, problems: Problems, path: KeyPath = []): unknown {
  if (typeof data === 'string') {
    const exact = EXACT.exec(data);
    if (exact) {
      const name = exact[1] ?? '';
      if (Object.hasOwn(params, name)) return params[name];
      unknownReference(name, params, problems, path, data);
      return data;
    }
    return data.replace(REFERENCE, (whole, name: string) => {
      if (Object.hasOwn(params, name)) return String(params[name]);
      unknownReference(name, params, problems, path, data);
      return whole;
    });
  }
  if (Array.isArray(data)) return data.map((item, i) => substitute(item, params, problems, [...path, i]));
  if (isRecord(data)) {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(data)) out[key] = path.length === 0 && key === 'parameters' ? value : substitute(value, params, problems, [...path, key]);
    return out;
  }
  return data;
}

function unknownReference(name: string, params: Record<string, ParamValue>, problems: Problems, path: KeyPath, text: string): void {
  const names = Object.keys(params);
  const near = closest(name, names);
  const fix = near !== null ? `did you mean \${${near}}?` : names.length > 0 ? `use one of the parameters: ${names.join(', ')}` : `declare it under parameters: { ${name}: ... }`;
  problems.addFinal(path, `refers to the parameter \${${name}}, which the drill does not declare`, text, fix);
}
