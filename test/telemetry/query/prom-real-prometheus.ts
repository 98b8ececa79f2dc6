/**
 * A real Prometheus for comparison tests: started from the Debian binary with a
 * generated config in a temp dir, listening on a free 127.0.0.1 port, stopped and
 * removed after the test. Readiness comes from its log line, not from polling.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import { once } from 'node:events';
import type { TestContext } from 'node:test';

export async function freePort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface RealPrometheus {
  url: string;
  /** Everything it logged so far, for failure messages. */
  log(): string;
}

export interface RealPrometheusOptions {
  binary: string;
  /** host:port targets of one job. */
  job: string;
  targets: string[];
  scrapeInterval: string;
  readyTimeoutMs?: number;
}

export async function startPrometheus(t: TestContext, options: RealPrometheusOptions): Promise<RealPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'cloudlab-prometheus-'));
  const config = [
    'global:',
    `  scrape_interval: ${options.scrapeInterval}`,
    `  scrape_timeout: ${options.scrapeInterval}`,
    'scrape_configs:',
    `  - job_name: ${JSON.stringify(options.job)}`,
    '    static_configs:',
    `      - targets: [${options.targets.map((x) => JSON.stringify(x)).join(', ')}]`,
    '',
  ].join('\n');
  writeFileSync(join(dir, 'prometheus.yml'), config);
  const port = await freePort();
  const child = spawn(
    options.binary,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=info',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  const exited = once(child, 'exit');
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(force);
    }
    rmSync(dir, { recursive: true, force: true });
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`prometheus not ready after ${options.readyTimeoutMs ?? 30_000}ms:\n${log}`)), options.readyTimeoutMs ?? 30_000);
    const onData = (chunk: Buffer): void => {
      log += chunk.toString();
      if (log.includes('Server is ready to receive web requests.')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`prometheus exited with ${code} before it was ready:\n${log}`));
    });
  });
  return { url: `http://127.0.0.1:${port}`, log: () => log };
}
