/** The request parser: chunking never changes what is read, and no input makes it throw. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { RequestParser } from '../../src/deps/resp/request-parser.js';
import type { ParseResult } from '../../src/deps/resp/request-parser.js';
import { splitInlineArgs } from '../../src/deps/resp/inline-args.js';
import { createRespServer } from '../../src/deps/index.js';
import { encodeCommand, RawClient } from './resp-client.js';

function drain(parser: RequestParser): ParseResult[] {
  const out: ParseResult[] = [];
  for (let r = parser.next(); r !== null; r = parser.next()) {
    out.push(r);
    if (r.type === 'error') break;
  }
  return out;
}

/** Feeds `bytes` cut at `cuts`, reading after every chunk. */
function parseInChunks(bytes: Buffer, cuts: number[], maxRequestBytes?: number): ParseResult[] {
  const parser = new RequestParser(maxRequestBytes === undefined ? {} : { maxRequestBytes });
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const results: ParseResult[] = [];
  let from = 0;
  for (const to of [...points, bytes.length]) {
    parser.push(bytes.subarray(from, to));
    from = to;
    results.push(...drain(parser));
    if (results.at(-1)?.type === 'error') break;
  }
  return results;
}

const argument = fc.uint8Array({ maxLength: 40 }).map((a) => Buffer.from(a));
const command = fc.array(argument, { minLength: 1, maxLength: 6 });

test('commands read the same however the stream is cut', () => {
  fc.assert(
    fc.property(fc.array(command, { minLength: 1, maxLength: 8 }), fc.array(fc.nat(), { maxLength: 12 }), (commands, cuts) => {
      const bytes = Buffer.concat(commands.map(encodeCommand));
      const results = parseInChunks(bytes, cuts);
      assert.deepEqual(
        results,
        commands.map((args) => ({ type: 'command', args })),
      );
    }),
  );
});

test('random bytes end in commands, a wait, or one protocol error: never a throw', () => {
  const bytes = fc.oneof(
    fc.uint8Array({ maxLength: 300 }),
    // Mostly protocol-shaped noise, which reaches the deeper states.
    fc.array(fc.constantFrom('*', '$', '\r\n', '\n', '\r', '1', '2', '-1', '0', '"', "'", '\\x4', 'PING', ' ', 'a', '\0'), { maxLength: 60 }).map((parts) => new TextEncoder().encode(parts.join(''))),
  );
  fc.assert(
    fc.property(bytes, fc.array(fc.nat(), { maxLength: 8 }), (raw, cuts) => {
      const results = parseInChunks(Buffer.from(raw), cuts, 4096);
      const errors = results.filter((r) => r.type === 'error');
      assert.ok(errors.length <= 1);
      if (errors.length === 1) {
        assert.equal(results.at(-1), errors[0]);
        assert.match((errors[0] as { message: string }).message, /^ERR Protocol error: /);
      }
    }),
    { numRuns: 2000 },
  );
});

test('inline arguments follow Redis quoting', () => {
  const split = (line: string): string[] | null => splitInlineArgs(Buffer.from(line, 'latin1'))?.map((b) => b.toString('latin1')) ?? null;
  assert.deepEqual(split('SET  k   "a b"'), ['SET', 'k', 'a b']);
  assert.deepEqual(split('"\\x41\\x4g\\n\\q"'), ['Ax4g\nq']);
  assert.deepEqual(split("'it\\'s' 'a\\nb'"), ["it's", 'a\\nb']);
  assert.deepEqual(split('a"b c"d'), null);
  assert.deepEqual(split('a"b c" d'), ['ab c', 'd']);
  assert.deepEqual(split('"open'), null);
  assert.deepEqual(split('a\tb\vc'), ['a', 'b\vc']);
  assert.deepEqual(split('before\0after'), ['before']);
  assert.deepEqual(split('   '), []);
});

test('the server survives random bytes and keeps serving other clients', async (t) => {
  const server = await createRespServer({ host: '127.0.0.1', port: 0, maxRequestBytes: 4096 });
  t.after(() => server.close());
  const samples = fc.sample(fc.uint8Array({ minLength: 1, maxLength: 500 }), { numRuns: 40, seed: 42 });
  for (const sample of samples) {
    const noisy = await RawClient.connect(t, server.port);
    noisy.write(Buffer.from(sample));
    // Then a valid request: either it is answered, or the noise already closed the connection.
    noisy.write('\r\n*1\r\n$4\r\nPING\r\n');
    noisy.socket.end();
    await noisy.untilClosed();
  }
  const client = await RawClient.connect(t, server.port);
  assert.deepEqual(await client.call('PING'), { simple: 'PONG' });
});
