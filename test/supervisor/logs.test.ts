import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readLogs } from '../../src/supervisor/index.js';
import type { LogLine } from '../../src/supervisor/index.js';
import { LineSplitter, MAX_LINE_CHARS } from '../../src/supervisor/line-splitter.js';
import { LogFiles } from '../../src/supervisor/log-files.js';
import { call, fixtureService, lab, portOf, tempDir } from './helpers.js';

const T = { timeout: 30_000 };

async function collect(lines: AsyncIterable<LogLine>): Promise<LogLine[]> {
  const out: LogLine[] = [];
  for await (const line of lines) out.push(line);
  return out;
}

function line(service: string, text: string, timeMs: number): LogLine {
  return { service, replica: `${service}-1`, stream: 'stdout', line: text, timeMs };
}

test('LineSplitter joins partial chunks, strips \\r, caps long lines and keeps split UTF-8 whole', () => {
  const lines: string[] = [];
  const splitter = new LineSplitter((l) => lines.push(l));
  splitter.push(Buffer.from('par'));
  splitter.push(Buffer.from('tial\r\nnext\n\n'));
  splitter.push(Buffer.from('y'.repeat(MAX_LINE_CHARS + 10)));
  splitter.push(Buffer.from('y'.repeat(50_000) + '\nafter\n'));
  const euro = Buffer.from('3\u20ac\n');
  splitter.push(euro.subarray(0, 2));
  splitter.push(euro.subarray(2));
  splitter.push('tail without newline\r');
  splitter.end();
  assert.deepEqual(lines, ['partial', 'next', '', 'y'.repeat(MAX_LINE_CHARS) + ' [line truncated]', 'after', '3\u20ac', 'tail without newline']);
});

test('output reaches onLog and <stateDir>/logs/<service>.log as JSON lines, per stream', T, async (t) => {
  const seen: LogLine[] = [];
  let now = 5_000;
  const { supervisor, stateDir } = lab(t, { onLog: (l) => seen.push(l), clock: () => now++ });
  await supervisor.start(fixtureService({ env: { TRICKY_OUTPUT: '1' } }));
  await supervisor.stop();
  const texts = seen.map((l) => `${l.stream} ${l.line.length > 100 ? `${l.line.slice(0, 3)}...${l.line.slice(-17)} (${l.line.length})` : l.line}`);
  assert.deepEqual(
    texts.filter((l) => !l.includes('listening on') && !l.includes('SIGTERM')),
    ['stdout first half', `stdout xxx... [line truncated] (${MAX_LINE_CHARS + 17})`, 'stdout price 3\u20ac', 'stderr no newline at the end'],
  );
  assert.ok(seen.every((l) => l.service === 'cafe' && l.replica === 'cafe-1' && l.timeMs >= 5_000));
  const file = readFileSync(join(stateDir, 'logs', 'cafe.log'), 'utf8').trimEnd().split('\n').map((raw) => JSON.parse(raw) as LogLine);
  assert.deepEqual(file, seen);
  assert.deepEqual(await collect(readLogs(stateDir, { service: 'cafe' })), seen);
  assert.deepEqual((await collect(readLogs(stateDir, { service: 'cafe', tail: 2 }))).map((l) => l.line), seen.slice(-2).map((l) => l.line));
});

test('readLogs merges services by time, tails after merging, and reads a rotated file first', T, async (t) => {
  const stateDir = tempDir(t);
  const files = new LogFiles(stateDir, 300);
  for (let i = 0; i < 6; i++) files.append(line(i % 2 === 0 ? 'api' : 'db', `line ${i}`, 100 + i));
  files.flush();
  for (let i = 6; i < 12; i++) {
    files.append(line('api', `line ${i}`, 100 + i));
    files.flush(); // one write each, so the 300-byte file rotates on the way
  }
  files.close();
  assert.ok(existsSync(join(stateDir, 'logs', 'api.log.1')), 'api.log rotated');
  const all = await collect(readLogs(stateDir, {}));
  const api = all.filter((l) => l.service === 'api');
  // rotation keeps one old file, so the oldest api lines may be gone; what is left is in order and ends with the newest
  assert.deepEqual(api.map((l) => l.timeMs), [...api.map((l) => l.timeMs)].sort((a, b) => a - b));
  assert.equal(api.at(-1)?.line, 'line 11');
  assert.deepEqual(all.map((l) => l.timeMs), [...all.map((l) => l.timeMs)].sort((a, b) => a - b));
  assert.deepEqual(all.filter((l) => l.service === 'db').map((l) => l.line), ['line 1', 'line 3', 'line 5']);
  assert.deepEqual((await collect(readLogs(stateDir, { tail: 3 }))).map((l) => l.line), ['line 9', 'line 10', 'line 11']);
  assert.deepEqual(await collect(readLogs(stateDir, { service: 'nothing-here' })), []);
  await assert.rejects(collect(readLogs(stateDir, { service: '../etc/passwd' })), /service must be a service name/);
});

test('readLogs follow yields new lines as they are written, across rotations, until the signal aborts', T, async (t) => {
  const stateDir = tempDir(t);
  const files = new LogFiles(stateDir, 250);
  t.after(() => files.close());
  files.append(line('api', 'old', 1));
  files.flush();
  const controller = new AbortController();
  const got: string[] = [];
  let next = 0;
  for await (const l of readLogs(stateDir, { service: 'api', follow: true, tail: 1, signal: controller.signal })) {
    got.push(l.line.split(' ').slice(0, 2).join(' '));
    if (l.line.startsWith('new 7')) controller.abort();
    else if (l.line === 'old' || Number(l.line.split(' ')[1]) === next - 1) {
      // two lines of ~100 bytes: the second rotates the file before the reader looks again,
      // so the reader must finish the old file (now api.log.1) and then read the new one
      for (let i = 0; i < 2; i++, next++) {
        files.append(line('api', `new ${next} ${'-'.repeat(20)}`, 10 + next));
        files.flush();
      }
    }
  }
  assert.deepEqual(got, ['old', ...Array.from({ length: 8 }, (_, i) => `new ${i}`)]);
  assert.ok(existsSync(join(stateDir, 'logs', 'api.log.1')));
});

test('readLogs follow over a live supervisor sees every service, then stops on abort', T, async (t) => {
  const { supervisor, stateDir } = lab(t);
  await supervisor.start(fixtureService({ name: 'api' }));
  const controller = new AbortController();
  const got: LogLine[] = [];
  const reading = (async () => {
    // no tail: the printed line may land before the reader starts following
    for await (const l of readLogs(stateDir, { follow: true, signal: controller.signal })) {
      if (l.line.startsWith('listening on') && l.service === 'api') continue;
      got.push(l);
      if (l.service === 'api' && l.line === 'hello from api') await supervisor.start(fixtureService({ name: 'db' }));
      if (l.service === 'db' && l.line.startsWith('listening on')) controller.abort();
    }
  })();
  await call(portOf(supervisor, 'api-1'), '/print?text=hello%20from%20api');
  await reading;
  assert.deepEqual(got.map((l) => `${l.replica}: ${l.line.replace(/\d+/g, 'N')}`), ['api-1: hello from api', 'db-1: listening on N pid N']);
});
