/**
 * A real redis-server from PATH on a free port, with persistence off. Started once
 * per test file; tests isolate themselves by logical database (redis://host:port/N).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { freePort } from './net.js';
import { REDIS_SERVER, requireBinary } from './binaries.js';

const PORT_ATTEMPTS = 3;
const START_TIMEOUT_MS = 10_000;
/** redis-server's default `databases`; test N uses N % 16. */
const DATABASES = 16;

export interface RedisServer {
  readonly port: number;
  /** redis://127.0.0.1:port/N, a logical database for one test. */
  url(database?: number): string;
  /** A fresh logical database per call (wraps after 16). */
  nextUrl(): string;
  stop(): Promise<void>;
}

function launch(binary: string, port: number): Promise<ChildProcess> {
  const child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'notice'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  return new Promise<ChildProcess>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`redis-server did not report ready within ${START_TIMEOUT_MS} ms:\n${output.join('\n')}`));
    }, START_TIMEOUT_MS);
    const onLine = (line: string): void => {
      output.push(line);
      if (line.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    createInterface({ input: child.stdout }).on('line', onLine);
    createInterface({ input: child.stderr }).on('line', onLine);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    // 'close', not 'exit': the last lines (the reason) are read by then.
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      reject(Object.assign(new Error(`redis-server exited (${signal ?? code}) before it was ready:\n${output.join('\n')}`), { output: output.join('\n') }));
    });
  });
}

export async function startRedis(): Promise<RedisServer> {
  const binary = requireBinary(REDIS_SERVER);
  let child: ChildProcess | undefined;
  let port = 0;
  for (let attempt = 1; child === undefined; attempt++) {
    port = await freePort();
    try {
      child = await launch(binary, port);
    } catch (err) {
      const inUse = /address already in use/i.test(String((err as { output?: string }).output ?? ''));
      if (!inUse || attempt >= PORT_ATTEMPTS) throw err;
    }
  }
  const running = child;
  let next = 0;
  const url = (database = 0): string => `redis://127.0.0.1:${port}/${database}`;
  return {
    port,
    url,
    nextUrl: () => url(next++ % DATABASES),
    async stop() {
      if (running.exitCode !== null || running.signalCode !== null) return;
      const exited = once(running, 'exit');
      running.kill('SIGKILL');
      await exited;
    },
  };
}
