/**
 * The built-in RESP cache: a small Redis-compatible server for the commands
 * cache-aside code uses, when no valkey-server or redis-server is installed.
 * RESP2 over TCP, pipelining, inline commands, expiry on an injectable clock.
 */
import net from 'node:net';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { LabError } from '../../errors.js';
import type { ServerState, Session } from './command.js';
import { CommandExecutor } from './dispatch.js';
import type { Clock } from './keyspace.js';
import { Keyspace } from './keyspace.js';
import type { Reply } from './reply.js';
import { encodeReplies, error } from './reply.js';
import { RequestParser } from './request-parser.js';

export interface RespServerOptions {
  host: string;
  /** 0 for a free port. */
  port: number;
  /** Unix time in ms; Date.now by default. Expiry and TTLs follow it. */
  clock?: Clock;
  /** How often expired keys are swept (besides being removed when read); 100 ms by default, as Redis's hz 10. */
  sweepIntervalMs?: number;
  /** Largest argument, and largest sum of arguments in one request; 64 MiB by default. */
  maxRequestBytes?: number;
}

export interface RespServer {
  readonly host: string;
  readonly port: number;
  /** Stops listening and closes every connection. */
  close(): Promise<void>;
}

/** Keys looked at per sweep, so a sweep never stalls the event loop. */
const SWEEP_BUDGET = 1000;

export async function createRespServer(options: RespServerOptions): Promise<RespServer> {
  const clock = options.clock ?? Date.now;
  const keyspace = new Keyspace(clock);
  const state: ServerState = {
    host: options.host,
    port: options.port,
    startedAtMs: clock(),
    runId: randomBytes(20).toString('hex'),
    connectedClients: 0,
    totalConnections: 0,
    totalCommands: 0,
  };
  const executor = new CommandExecutor(keyspace, state);
  const sockets = new Set<net.Socket>();
  let nextClientId = 1;

  const server = net.createServer((socket) => {
    sockets.add(socket);
    state.connectedClients++;
    state.totalConnections++;
    socket.setNoDelay(true);
    socket.on('error', () => undefined);
    socket.on('close', () => {
      sockets.delete(socket);
      state.connectedClients--;
    });
    serveConnection(socket, executor, { id: nextClientId++, name: null, transaction: null, closeAfterReply: false }, options.maxRequestBytes);
  });

  server.listen(options.port, options.host);
  try {
    await once(server, 'listening');
  } catch (err) {
    throw new LabError('LAB_DEPS_CACHE_LISTEN_FAILED', `built-in cache cannot listen on ${options.host}:${options.port}: ${(err as Error).message}`, { cause: err });
  }
  const port = (server.address() as net.AddressInfo).port;
  state.port = port;

  const sweeper = setInterval(() => keyspace.sweep(SWEEP_BUDGET), options.sweepIntervalMs ?? 100);
  sweeper.unref();

  return {
    host: options.host,
    port,
    async close() {
      clearInterval(sweeper);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

function serveConnection(socket: net.Socket, executor: CommandExecutor, session: Session, maxRequestBytes: number | undefined): void {
  const parser = new RequestParser(maxRequestBytes === undefined ? {} : { maxRequestBytes });
  let closing = false;
  socket.on('data', (chunk: Buffer) => {
    if (closing) return;
    parser.push(chunk);
    const replies: Reply[] = [];
    for (;;) {
      const request = parser.next();
      if (request === null) break;
      if (request.type === 'error') {
        replies.push(error(request.message));
        closing = true;
        break;
      }
      replies.push(run(executor, session, request.args));
      if (session.closeAfterReply) {
        closing = true;
        break;
      }
    }
    if (replies.length > 0 && !socket.write(encodeReplies(replies))) {
      // The client reads slower than it sends: stop reading until it catches up.
      socket.pause();
      socket.once('drain', () => socket.resume());
    }
    if (closing) socket.end();
  });
}

/** A bug in a command answers that request with an error instead of ending the server. */
function run(executor: CommandExecutor, session: Session, args: Buffer[]): Reply {
  try {
    return executor.execute(session, args);
  } catch (err) {
    return error(`ERR internal error in the built-in cache: ${err instanceof Error ? err.message : String(err)}`);
  }
}
