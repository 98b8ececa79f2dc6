import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Feed, ResponseParser } from '../../../src/load/engine/http1-parser.js';
import { FIXTURES, MALFORMED } from './http1-fixtures.js';

interface Outcome {
  feed: Feed;
  status: number;
  body: string;
  keepAlive: boolean;
  trailing: number;
}

/**
 * Feeds `raw` in pieces cut at `cuts`, each piece copied into a larger buffer whose
 * bytes beyond the piece are junk (as the transport's reused read buffer holds
 * whatever an earlier read left), so a parser reading past `end` would show.
 */
function parse(raw: Buffer, cuts: number[], head = false): Outcome {
  const parser = new ResponseParser();
  parser.reset(head, 1 << 20);
  const scratch = Buffer.alloc(raw.length + 64, '\r\n\r\nHTTP/1.1 200 OK\r\n0\r\n\r\n');
  let feed = Feed.More;
  let from = 0;
  for (const to of [...cuts, raw.length]) {
    if (to <= from) continue;
    scratch.fill('\r\n\r\n');
    raw.copy(scratch, 7, from, to);
    feed = parser.feed(scratch, 7, 7 + to - from);
    if (feed !== Feed.More) {
      return { feed, status: parser.status, body: feed === Feed.Done ? parser.body() : '', keepAlive: parser.keepAlive, trailing: parser.trailing + (raw.length - to) };
    }
    from = to;
  }
  return { feed, status: parser.status, body: '', keepAlive: parser.keepAlive, trailing: 0 };
}

const bytes = (raw: string): Buffer => Buffer.from(raw, 'latin1');
const everyByte = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

test('every answer parses the same whole, split at every byte boundary, and one byte at a time', () => {
  for (const fixture of FIXTURES) {
    const raw = bytes(fixture.raw);
    const expected: Outcome = { feed: Feed.Done, status: fixture.status, body: fixture.body, keepAlive: fixture.keepAlive, trailing: 0 };
    assert.deepEqual(parse(raw, [], fixture.head), expected, `${fixture.name}, whole`);
    for (let cut = 1; cut < raw.length; cut++) assert.deepEqual(parse(raw, [cut], fixture.head), expected, `${fixture.name}, split at ${cut}`);
    assert.deepEqual(parse(raw, everyByte(raw.length), fixture.head), expected, `${fixture.name}, byte by byte`);
  }
});

test('bytes after the answer are left unread and counted, whatever the split', () => {
  const raw = bytes(`${FIXTURES[0]!.raw}GARBAGE`);
  for (let cut = 1; cut < raw.length; cut++) {
    const outcome = parse(raw, [cut]);
    assert.equal(outcome.feed, Feed.Done, `split at ${cut}`);
    assert.equal(outcome.body, 'hello world');
    assert.equal(outcome.trailing, 7, `split at ${cut}`);
  }
});

test('malformed answers fail, split or not, and never wait for more bytes', () => {
  for (const bad of MALFORMED) {
    const raw = bytes(bad.raw);
    assert.equal(parse(raw, []).feed, Feed.Failed, `${bad.name}, whole`);
    const step = raw.length > 200 ? 997 : 1;
    for (let cut = 1; cut < raw.length; cut += step) assert.equal(parse(raw, [cut]).feed, Feed.Failed, `${bad.name}, split at ${cut}`);
  }
  const parser = new ResponseParser();
  parser.reset(false, 0);
  assert.equal(parser.feed(bytes('HTTP/1.1 200 OK\r\nno colon\r\n\r\n'), 0, 31), Feed.Failed);
  assert.match(parser.error, /colon/);
});

test('a body without a length runs until the close; a close anywhere else cuts the answer', () => {
  const parser = new ResponseParser();
  parser.reset(false, 100);
  const raw = bytes('HTTP/1.1 200 OK\r\n\r\nuntil the end');
  assert.equal(parser.feed(raw, 0, raw.length), Feed.More);
  assert.equal(parser.untilClose, true);
  assert.equal(parser.end(), Feed.Done);
  assert.equal(parser.body(), 'until the end');
  assert.equal(parser.keepAlive, false);

  const full = bytes(FIXTURES[4]!.raw);
  for (let cut = 0; cut < full.length; cut++) {
    parser.reset(false, 100);
    if (cut > 0) assert.equal(parser.feed(full, 0, cut), Feed.More, `cut at ${cut}`);
    assert.equal(parser.end(), Feed.Failed, `closed at ${cut}`);
    assert.match(parser.error, cut === 0 ? /before any answer/ : /middle of the answer/);
  }
});

test('the body is kept up to its cap and only when asked', () => {
  const raw = bytes(FIXTURES[0]!.raw);
  const parser = new ResponseParser();
  parser.reset(false, 0);
  assert.equal(parser.feed(raw, 0, raw.length), Feed.Done);
  assert.equal(parser.body(), '');
  parser.reset(false, 5);
  assert.equal(parser.feed(raw, 0, raw.length), Feed.Done);
  assert.equal(parser.body(), 'hello');
});

test('the Keep-Alive timeout hint is read from the first answer', () => {
  const parser = new ResponseParser();
  parser.reset(false, 0);
  const raw = bytes('HTTP/1.1 200 OK\r\nKeep-Alive: timeout=5, max=100\r\ncontent-length: 0\r\n\r\n');
  assert.equal(parser.feed(raw, 0, raw.length), Feed.Done);
  assert.equal(parser.keepAliveHintS, 5);
});
