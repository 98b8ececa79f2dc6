/**
 * Reads the supervisor's log files back: one service or all of them merged by time,
 * the last N lines, and with `follow` the lines written afterwards (fs.watch on the
 * logs directory wakes the reader; no polling) until the signal aborts.
 */
import { mkdirSync, watch } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { LabError, describeValue } from '../errors.js';
import { logFile, logsDir } from './log-files.js';
import type { LogLine } from './types.js';

export interface ReadLogsOptions {
  service?: string;
  follow?: boolean;
  /** The last N lines (after merging) before following; all lines when absent. */
  tail?: number;
  signal?: AbortSignal;
}

/** Where the reader is in one `<service>.log`: its inode (to see rotation), offset and a partial line. */
interface Cursor {
  ino: number;
  offset: number;
  rest: Buffer;
}

export async function* readLogs(stateDir: string, options: ReadLogsOptions = {}): AsyncGenerator<LogLine, void, undefined> {
  const { service, follow = false, tail, signal } = options;
  if (service !== undefined && !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(service)) {
    throw new LabError('LAB_SUPERVISOR_BAD_SPEC', `readLogs: service must be a service name (letters, digits, "_", ".", "-"), received ${describeValue(service)}`);
  }
  if (tail !== undefined && !(Number.isInteger(tail) && tail >= 0)) {
    throw new LabError('LAB_SUPERVISOR_BAD_SPEC', `readLogs: tail must be a whole number of lines >= 0, received ${describeValue(tail)}`);
  }
  const dir = logsDir(stateDir);
  const cursors = new Map<string, Cursor>();
  let lines: LogLine[] = [];
  for (const path of await logPaths(dir, stateDir, service)) {
    lines.push(...(await readWhole(`${path}.1`)));
    const cursor = await cursorAtStart(path);
    if (cursor) {
      lines.push(...(await readFrom(path, cursor)));
      cursors.set(path, cursor);
    }
  }
  if (service === undefined) lines = byTime(lines);
  if (tail !== undefined) lines = tail === 0 ? [] : lines.slice(-tail);
  for (const line of lines) {
    if (signal?.aborted) return;
    yield line;
  }
  if (!follow || signal?.aborted) return;

  mkdirSync(dir, { recursive: true });
  let dirty = true; // read once after the watch starts: lines may have landed in between
  let wake: (() => void) | undefined;
  const poke = (): void => {
    dirty = true;
    wake?.();
  };
  const watcher = watch(dir, poke);
  watcher.on('error', poke);
  signal?.addEventListener('abort', poke, { once: true });
  try {
    for (;;) {
      if (!dirty) await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
      if (signal?.aborted) return;
      dirty = false;
      const batch: LogLine[] = [];
      for (const path of await logPaths(dir, stateDir, service)) batch.push(...(await readNew(path, cursors)));
      for (const line of byTime(batch)) {
        if (signal?.aborted) return;
        yield line;
      }
    }
  } finally {
    watcher.close();
    signal?.removeEventListener('abort', poke);
  }
}

async function logPaths(dir: string, stateDir: string, service: string | undefined): Promise<string[]> {
  if (service !== undefined) return [logFile(stateDir, service)];
  try {
    const names = await readdir(dir);
    return names.filter((n) => n.endsWith('.log')).sort().map((n) => join(dir, n));
  } catch {
    return [];
  }
}

function byTime(lines: LogLine[]): LogLine[] {
  return lines.sort((a, b) => a.timeMs - b.timeMs); // stable: same-time lines keep file order
}

async function cursorAtStart(path: string): Promise<Cursor | undefined> {
  try {
    const s = await stat(path);
    return { ino: s.ino, offset: 0, rest: Buffer.alloc(0) };
  } catch {
    return undefined;
  }
}

async function readWhole(path: string): Promise<LogLine[]> {
  const cursor = await cursorAtStart(path);
  return cursor ? readFrom(path, cursor) : [];
}

/** Lines written since the cursor; follows a rotation into `<path>.1` first. */
async function readNew(path: string, cursors: Map<string, Cursor>): Promise<LogLine[]> {
  const current = await cursorAtStart(path);
  if (!current) return [];
  const known = cursors.get(path);
  if (known && known.ino === current.ino) return readFrom(path, known);
  const out: LogLine[] = [];
  if (known) {
    // Rotated: the file we were reading is now `.1`; finish it, then start the new one.
    const rotated = await cursorAtStart(`${path}.1`);
    if (rotated && rotated.ino === known.ino) out.push(...(await readFrom(`${path}.1`, known)));
  }
  cursors.set(path, current);
  out.push(...(await readFrom(path, current)));
  return out;
}

/** Reads from the cursor to the end of the file, advancing it; keeps a trailing partial line. */
async function readFrom(path: string, cursor: Cursor): Promise<LogLine[]> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch {
    return [];
  }
  try {
    const { size } = await handle.stat();
    if (size < cursor.offset) {
      cursor.offset = 0; // truncated in place
      cursor.rest = Buffer.alloc(0);
    }
    const length = size - cursor.offset;
    if (length <= 0) return [];
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, cursor.offset);
    cursor.offset += bytesRead;
    const data = Buffer.concat([cursor.rest, buffer.subarray(0, bytesRead)]);
    const end = data.lastIndexOf(0x0a);
    cursor.rest = Buffer.from(data.subarray(end + 1));
    return end === -1 ? [] : parseLines(data.subarray(0, end).toString('utf8'));
  } finally {
    await handle.close();
  }
}

function parseLines(text: string): LogLine[] {
  const out: LogLine[] = [];
  for (const raw of text.split('\n')) {
    if (raw === '') continue;
    try {
      const value = JSON.parse(raw) as Partial<LogLine>;
      if (typeof value.line === 'string' && typeof value.timeMs === 'number' && typeof value.service === 'string') {
        out.push({ service: value.service, replica: String(value.replica ?? ''), stream: value.stream === 'stderr' ? 'stderr' : 'stdout', line: value.line, timeMs: value.timeMs });
      }
    } catch {
      // not a line we wrote (a torn write after a crash): skip it
    }
  }
  return out;
}
