import assert from 'node:assert/strict';
import { LabError } from '../../../src/errors.js';
import { parseScenario } from '../../../src/load/scenario/index.js';

export const BASE = { target: 'http://h:1', vus: 2, duration: '1s', tasks: [{ name: 'root', path: '/' }] };

/** The base scenario with one task's keys changed. */
export function task(keys: Record<string, unknown>): Record<string, unknown> {
  return { tasks: [{ name: 'root', path: '/', ...keys }] };
}

/** The problems (without their `x.json:1:col ` prefix) of the base scenario patched; undefined deletes a key. */
export function problemsOf(patch: Record<string, unknown>): string[] {
  const text = JSON.stringify({ ...BASE, ...patch });
  try {
    parseScenario(text, 'x.json');
  } catch (error) {
    assert.ok(error instanceof LabError);
    assert.equal(error.code, 'LAB_LOAD_SCENARIO_INVALID');
    return error.message.split('\n').map((line) => line.replace(/^x\.json:1:\d+ /, ''));
  }
  assert.fail(`no problem for ${text}`);
}

export type Case = [patch: Record<string, unknown>, ...lines: string[]];
