/**
 * `<stateDir>/run/lab.json`: how the CLI finds a running lab (its pid, the control
 * API's URL and token, the URLs it printed). Written once the lab is ready, mode
 * 0600 because it holds the token; removed when the lab stops.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isAlive } from '../supervisor/index.js';

export interface LabState {
  pid: number;
  name: string;
  startedAtMs: number;
  controlUrl: string;
  token: string;
  urls: Record<string, string>;
  /**
   * Direct connection URLs of the lab's dependencies (not through their fault proxies),
   * with their passwords: for drills' SQL probes and invariants. Why the file is 0600.
   */
  connections: { postgres: string | null; cache: string | null };
}

export function stateFilePath(stateDir: string): string {
  return join(stateDir, 'run', 'lab.json');
}

export async function writeLabState(stateDir: string, state: LabState): Promise<void> {
  const path = stateFilePath(stateDir);
  await mkdir(join(stateDir, 'run'), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  await rename(tmp, path);
}

/** The recorded lab, or null when there is none or its process is gone. */
export async function readLabState(stateDir: string): Promise<LabState | null> {
  let text: string;
  try {
    text = await readFile(stateFilePath(stateDir), 'utf8');
  } catch {
    return null;
  }
  let state: LabState;
  try {
    state = JSON.parse(text) as LabState;
  } catch {
    return null;
  }
  return isAlive(state.pid) ? state : null;
}

export async function removeLabState(stateDir: string, pid = process.pid): Promise<void> {
  const path = stateFilePath(stateDir);
  try {
    const state = JSON.parse(await readFile(path, 'utf8')) as LabState;
    if (state.pid !== pid) return; // another lab's file
  } catch {
    // missing or unreadable: remove it anyway
  }
  await rm(path, { force: true });
}
