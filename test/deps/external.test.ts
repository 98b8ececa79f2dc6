/** External dependencies: URLs checked once, passwords never echoed. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { externalCache, externalPostgres } from '../../src/deps/index.js';
import { isLabError } from '../../src/errors.js';

test('externalPostgres takes postgres:// and postgresql:// URLs as they are', () => {
  for (const url of ['postgres://app:pw@db.example.com:5432/app', 'postgresql://app@127.0.0.1/app?sslmode=require']) assert.deepEqual(externalPostgres(url), { url });
});

test('externalCache takes redis, rediss, valkey and valkeys URLs', () => {
  for (const url of ['redis://127.0.0.1:6379', 'rediss://:token@cache.example.com:6380/0', 'valkey://cache:6379', 'valkeys://cache:6380']) assert.deepEqual(externalCache(url), { url });
});

test('a wrong scheme or a non-URL fails with LAB_DEPS_BAD_URL, the password hidden', () => {
  const rejects = (fn: () => unknown, ...fragments: string[]): void =>
    assert.throws(fn, (err) => {
      assert.ok(isLabError(err));
      assert.equal(err.code, 'LAB_DEPS_BAD_URL');
      for (const f of fragments) assert.ok(err.message.includes(f), `"${err.message}" lacks "${f}"`);
      assert.ok(!err.message.includes('hunter2'), 'the password must not appear');
      return true;
    });
  rejects(() => externalPostgres('mysql://root:hunter2@db/app'), 'database URL', 'postgres://', 'mysql://root:***@db/app');
  rejects(() => externalCache('http://:hunter2@cache:6379'), 'cache URL', 'redis://', 'valkeys://');
  rejects(() => externalPostgres('db.example.com:5432'), 'database URL');
  rejects(() => externalCache('not a url with hunter2'), 'not a URL');
  rejects(() => externalPostgres(''), 'received ""');
});
