// The bulk-transfer pair: a TCP source that sends as many bytes as the client asks
// for, then ends; and a sink that asks, counts what arrives and times it.
import net from 'node:net';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';

const CHUNK_BYTES = 64 * 1024;

/**
 * The source's connection handler. The client sends the byte count as a decimal
 * line; the source answers with that many bytes (one reused buffer, so it allocates
 * nothing per chunk) honouring back-pressure, then ends.
 * @param {net.Socket} socket
 */
export function serveBulk(socket) {
  const chunk = Buffer.alloc(CHUNK_BYTES, 0x61);
  let header = '';
  socket.setNoDelay(true);
  socket.on('error', () => socket.destroy());
  socket.on('data', function onHeader(data) {
    header += data.toString('latin1');
    const newline = header.indexOf('\n');
    if (newline < 0) return;
    socket.off('data', onHeader);
    socket.resume();
    let left = Number(header.slice(0, newline));
    const writeMore = () => {
      while (left > 0) {
        const piece = left >= CHUNK_BYTES ? chunk : chunk.subarray(0, left);
        left -= piece.length;
        if (!socket.write(piece)) {
          socket.once('drain', writeMore);
          return;
        }
      }
      socket.end();
    };
    writeMore();
  });
}

/**
 * Asks the source at `port` (directly or through a proxy) for `bytes` bytes, counts
 * them and resolves with the elapsed time.
 * @returns {Promise<{ bytes: number, seconds: number, mbPerS: number }>}
 */
export async function receiveBulk(port, bytes) {
  const started = performance.now();
  const socket = net.connect({ host: '127.0.0.1', port, allowHalfOpen: true, noDelay: true });
  let received = 0;
  socket.on('data', (data) => {
    received += data.length;
  });
  socket.write(`${bytes}\n`);
  // once() rejects on 'error'; a close without 'end' is an error too.
  await Promise.race([
    once(socket, 'end'),
    once(socket, 'close').then(() => {
      throw new Error(`bulk connection to port ${port} closed before it ended`);
    }),
  ]);
  const seconds = (performance.now() - started) / 1000;
  socket.end();
  if (received !== bytes) throw new Error(`bulk transfer through port ${port}: expected ${bytes} bytes, received ${received}`);
  return { bytes, seconds, mbPerS: bytes / 1e6 / seconds };
}
