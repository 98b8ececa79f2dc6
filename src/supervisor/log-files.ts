/**
 * Per-service log files: `<stateDir>/logs/<service>.log`, one JSON LogLine a line,
 * rotated to `<service>.log.1` at about 10 MB. Lines are batched and written
 * synchronously once per event-loop turn, so order holds and rotation never races a write.
 */
import { closeSync, fstatSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { LogLine } from './types.js';

export const ROTATE_BYTES = 10 * 1024 * 1024;

export function logsDir(stateDir: string): string {
  return join(stateDir, 'logs');
}

export function logFile(stateDir: string, service: string): string {
  return join(logsDir(stateDir), `${service}.log`);
}

interface OpenFile {
  fd: number;
  size: number;
  pending: string[];
}

export class LogFiles {
  readonly #stateDir: string;
  readonly #rotateBytes: number;
  readonly #files = new Map<string, OpenFile>();
  #scheduled = false;
  #closed = false;

  constructor(stateDir: string, rotateBytes = ROTATE_BYTES) {
    this.#stateDir = stateDir;
    this.#rotateBytes = rotateBytes;
  }

  append(line: LogLine): void {
    if (this.#closed) return;
    const file = this.#open(line.service);
    file.pending.push(JSON.stringify(line) + '\n');
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Writes every pending line now. */
  flush(): void {
    this.#scheduled = false;
    for (const [service, file] of this.#files) {
      if (file.pending.length === 0) continue;
      const data = Buffer.from(file.pending.join(''));
      file.pending = [];
      try {
        if (file.size > 0 && file.size + data.length > this.#rotateBytes) this.#rotate(service, file);
        writeSync(file.fd, data);
        file.size += data.length;
      } catch (error) {
        // A full disk must not take the lab down; the lines still reached onLog.
        process.emitWarning(`cloudlab supervisor: cannot write ${logFile(this.#stateDir, service)}: ${String(error)}`);
      }
    }
  }

  close(): void {
    if (this.#closed) return;
    this.flush();
    this.#closed = true;
    for (const file of this.#files.values()) closeSync(file.fd);
    this.#files.clear();
  }

  #open(service: string): OpenFile {
    let file = this.#files.get(service);
    if (!file) {
      mkdirSync(logsDir(this.#stateDir), { recursive: true });
      const fd = openSync(logFile(this.#stateDir, service), 'a');
      file = { fd, size: fstatSync(fd).size, pending: [] };
      this.#files.set(service, file);
    }
    return file;
  }

  #rotate(service: string, file: OpenFile): void {
    closeSync(file.fd);
    const path = logFile(this.#stateDir, service);
    renameSync(path, `${path}.1`);
    file.fd = openSync(path, 'a');
    file.size = 0;
  }
}
