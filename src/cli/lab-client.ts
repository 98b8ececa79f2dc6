/**
 * How the CLI reaches a running lab: the state file under the lab's state
 * directory gives the control API's URL and token.
 */
import { ERROR_CODES, LabError } from '../errors.js';
import type { ErrorCode } from '../errors.js';
import { loadConfig } from '../config/index.js';
import { readLabState } from '../control/index.js';
import type { LabState } from '../control/index.js';

/** The state directory of the config in `cwd` (or of `file`). */
export async function stateDirFor(cwd: string, file: string | undefined): Promise<string> {
  const config = await loadConfig({ cwd, ...(file ? { file } : {}), env: process.env });
  return config.stateDir;
}

export async function runningLab(stateDir: string): Promise<LabState> {
  const state = await readLabState(stateDir);
  if (!state) throw new LabError('LAB_UP_NOT_RUNNING', `no lab is running from ${stateDir}; fix: run \`cloudlab up\` (or \`cloudlab up -d\`) in this directory first`);
  return state;
}

/** Calls the control API; a non-2xx answer becomes the API's own error. */
export async function callLab<T>(state: LabState, method: string, path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${state.controlUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${state.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (err) {
    throw new LabError('LAB_UP_NOT_RUNNING', `the lab (pid ${state.pid}) does not answer on ${state.controlUrl}: ${(err as Error).message}; fix: \`cloudlab down\` cleans up after it`, { cause: err });
  }
  const answer = (await res.json().catch(() => ({}))) as T & { error?: { code: string; message: string } };
  if (!res.ok) {
    const code = answer.error?.code;
    // The API's own code when it is one of ours, so callers can branch on it.
    const known = code !== undefined && Object.hasOwn(ERROR_CODES, code) ? (code as ErrorCode) : 'LAB_CONTROL_UPSTREAM_FAILED';
    throw new LabError(known, answer.error?.message ?? `${method} ${path} answered ${res.status}`);
  }
  return answer;
}
