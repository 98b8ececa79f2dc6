/** A real redis-server for tests: a free port, no persistence, stopped after the test. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import type { TestContext } from 'node:test';

async function freePort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Starts `binary` on a free port; resolves once it logs that it accepts connections. */
export async function startRedisServer(t: TestContext, binary: string, dir: string): Promise<number> {
  const port = await freePort();
  const child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = once(child, 'exit');
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      output += d;
      if (output.includes('Ready to accept connections')) resolve();
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.on('exit', (code) => reject(new Error(`redis-server exited (${code}) before it was ready:\n${output}`)));
  });
  return port;
}
