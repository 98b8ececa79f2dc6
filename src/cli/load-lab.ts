/**
 * What `cloudlab load` takes from a lab running in this directory: the edge as the
 * default target, the hub's OTLP endpoint, and where orders and reports go.
 */
import { join } from 'node:path';
import { readLabState } from '../control/index.js';
import type { LabState } from '../control/index.js';
import { callLab, stateDirFor } from './lab-client.js';

export interface LabDefaults {
  stateDir: string;
  target: string | null;
  otlpEndpoint: string | null;
  /** The running lab, for its event log. */
  state: LabState;
}

/** The running lab's defaults, or null when no lab runs from `cwd`. */
export async function labDefaults(cwd: string, file: string | undefined): Promise<LabDefaults | null> {
  let stateDir: string;
  try {
    stateDir = await stateDirFor(cwd, file);
  } catch {
    return null;
  }
  const state = await readLabState(stateDir);
  if (!state) return null;
  const edge = state.urls['cafe (edge)'] ?? Object.entries(state.urls).find(([name]) => name.includes('(edge)'))?.[1] ?? null;
  return { stateDir, target: edge, otlpEndpoint: state.urls['hub (OTLP/HTTP)'] ?? null, state };
}

/**
 * Adds a `load` event to the lab's log, so the console's charts mark this run's start
 * and stop as they mark the Load page's. Best effort: a lab that does not answer costs
 * the run nothing; the reason comes back for a note.
 */
export async function markLoad(lab: LabDefaults, action: 'start' | 'stop', detail: string): Promise<string | null> {
  try {
    await callLab(lab.state, 'POST', '/api/events', { kind: 'load', action, detail });
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

/** A file name stamp: 2024-05-01T10-00-00. */
export function fileStamp(timeMs = Date.now()): string {
  return new Date(timeMs).toISOString().slice(0, 19).replace(/:/g, '-');
}

export function labLoadFile(stateDir: string, prefix: string, ext: string, timeMs?: number): string {
  return join(stateDir, 'load', `${prefix}-${fileStamp(timeMs)}.${ext}`);
}
