/**
 * Drill journals on disk: `<stateDir>/drills/<name>-<YYYY-MM-DDTHH-MM-SS>.json` with the
 * HTML report beside it (`.html`), listed newest first. Ids are checked before any
 * path is built from them, so an id can never reach outside the drills directory.
 */
import { open, readFile, readdir, rename, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { LabError } from '../errors.js';
import type { DrillListing, Journal } from './types.js';

/** A journal id: the drill's name, a UTC time stamp, and a counter when two drills start in the same second. */
export const DRILL_ID = /^[a-z0-9][a-z0-9-]*-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}(?:-\d{1,4})?$/;

export function drillsDir(stateDir: string): string {
  return join(stateDir, 'drills');
}

/** A file name stamp: 2024-05-01T10-00-00 (UTC). */
export function drillStamp(timeMs: number): string {
  return new Date(timeMs).toISOString().slice(0, 19).replace(/:/g, '-');
}

/**
 * Claims a fresh id in `dir` by creating its journal file exclusively (`-2`, `-3`, ...
 * when the second is taken), so two drills never write the same files.
 */
export async function claimJournalId(dir: string, name: string, timeMs: number): Promise<string> {
  await mkdir(dir, { recursive: true });
  const base = `${name}-${drillStamp(timeMs)}`;
  for (let n = 1; n < 10_000; n++) {
    const id = n === 1 ? base : `${base}-${n}`;
    try {
      const handle = await open(join(dir, `${id}.json`), 'wx');
      await handle.close();
      return id;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  throw new Error(`no free journal name for ${base} in ${dir}`);
}

/** Writes a file whole (a reader never sees half of it). */
export async function writeAtomic(file: string, text: string): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, file);
}

function notFound(id: string): LabError {
  return new LabError('LAB_DRILL_NOT_FOUND', `no drill ${JSON.stringify(id)}: expected the id of a past drill such as database-outage-2024-05-01T10-00-00; fix: GET /api/drills (or cloudlab drill list) lists them`);
}

/** The journal and report paths of an id, after checking it. */
export function drillFiles(stateDir: string, id: string): { json: string; html: string } {
  if (!DRILL_ID.test(id)) throw notFound(id);
  const dir = drillsDir(stateDir);
  return { json: join(dir, `${id}.json`), html: join(dir, `${id}.html`) };
}

export async function readJournal(stateDir: string, id: string): Promise<Journal> {
  const { json } = drillFiles(stateDir, id);
  let text: string;
  try {
    text = await readFile(json, 'utf8');
  } catch {
    throw notFound(id);
  }
  try {
    return JSON.parse(text) as Journal;
  } catch {
    // Claimed but not written yet (a drill running now), or cut short.
    throw notFound(id);
  }
}

export async function readReport(stateDir: string, id: string): Promise<string> {
  const { html } = drillFiles(stateDir, id);
  try {
    return await readFile(html, 'utf8');
  } catch {
    throw notFound(id);
  }
}

/** Past drills in `<stateDir>/drills`, newest first; unreadable journals are left out. */
export async function listDrills(stateDir: string): Promise<DrillListing[]> {
  let names: string[];
  try {
    names = await readdir(drillsDir(stateDir));
  } catch {
    return [];
  }
  const ids = names.filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -5)).filter((id) => DRILL_ID.test(id));
  const listed = await Promise.all(
    ids.map(async (id): Promise<DrillListing | null> => {
      try {
        const j = JSON.parse(await readFile(join(drillsDir(stateDir), `${id}.json`), 'utf8')) as Partial<Journal>;
        if (typeof j.verdict !== 'string' || typeof j.startedAtMs !== 'number') return null;
        return { id, name: j.drill?.name ?? id, verdict: j.verdict, reasons: Array.isArray(j.reasons) ? j.reasons : [], startedAtMs: j.startedAtMs, endedAtMs: j.endedAtMs ?? j.startedAtMs };
      } catch {
        return null;
      }
    }),
  );
  return listed.filter((d): d is DrillListing => d !== null).sort((a, b) => b.startedAtMs - a.startedAtMs || (a.id < b.id ? 1 : -1));
}
