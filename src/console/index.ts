/**
 * The console's static files (built by Vite into dist/console) as the control API
 * serves them: index.html for `/`, hashed files under `/assets/`.
 */
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

/** dist/console, beside dist/src (this file is dist/src/console/index.js). */
export const CONSOLE_DIR = fileURLToPath(new URL('../../console/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export interface ConsoleFile {
  body: Buffer;
  contentType: string;
  /** Hashed assets never change; index.html always may. */
  immutable: boolean;
}

/** The file for a request path (`/` or `/assets/...`), or null when there is none. */
export async function consoleFile(path: string, dir: string = CONSOLE_DIR): Promise<ConsoleFile | null> {
  const relative = path === '/' || path === '/index.html' ? 'index.html' : path.startsWith('/assets/') ? path.slice(1) : null;
  if (relative === null) return null;
  const file = normalize(join(dir, relative));
  if (!file.startsWith(normalize(dir))) return null;
  try {
    return { body: await readFile(file), contentType: TYPES[extname(file)] ?? 'application/octet-stream', immutable: relative !== 'index.html' };
  } catch {
    return null;
  }
}
