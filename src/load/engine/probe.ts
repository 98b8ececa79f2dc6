/**
 * Fails fast before a run: one TCP connection to the target. A refused port or an
 * unknown host becomes LAB_LOAD_TARGET_UNREACHABLE naming the address and the fix,
 * instead of a run full of connect errors.
 */
import { connect } from 'node:net';
import { LabError } from '../../errors.js';

/** host, port and the URL as given; throws LAB_LOAD_BAD_RUN_OPTIONS on a URL that is not http(s). */
export function parseTarget(target: string): { host: string; port: number; url: URL } {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new LabError('LAB_LOAD_BAD_RUN_OPTIONS', `scenario.target must be an http:// or https:// URL such as "http://127.0.0.1:8080", received "${target}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new LabError('LAB_LOAD_BAD_RUN_OPTIONS', `scenario.target must be an http:// or https:// URL, received "${target}" (protocol ${url.protocol})`);
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  return { host, port, url };
}

/** Resolves once a TCP connection to the target opens (then closes it); throws LAB_LOAD_TARGET_UNREACHABLE otherwise. */
export async function probeTarget(target: string, timeoutMs: number): Promise<void> {
  const { host, port } = parseTarget(target);
  const address = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  await new Promise<void>((resolve, reject) => {
    const socket = connect({ host, port });
    const fail = (reason: string, cause?: unknown): void => {
      socket.destroy();
      reject(new LabError('LAB_LOAD_TARGET_UNREACHABLE',
        `cannot reach the load target ${target} (${address}): ${reason}. Start the service under test, or point the run at it with --target http://host:port (or target: in the scenario)`,
        { cause }));
    };
    socket.setTimeout(timeoutMs, () => fail(`no TCP connection within ${timeoutMs} ms`));
    socket.once('error', (err: NodeJS.ErrnoException) => fail(err.code ?? err.message, err));
    socket.once('connect', () => {
      socket.destroy();
      resolve();
    });
  });
}
