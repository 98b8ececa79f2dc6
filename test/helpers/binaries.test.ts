import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dirname } from 'node:path';
import { findBinary, systemBinary } from './binaries.js';

const nodeDir = dirname(process.execPath);

test('findBinary finds an executable on PATH and nothing for a missing name', () => {
  assert.equal(findBinary('node', nodeDir), process.execPath);
  assert.equal(findBinary('cloudlab-no-such-binary', nodeDir), undefined);
  assert.equal(findBinary(process.execPath, ''), process.execPath);
});

test('a missing binary fails under CLOUDLAB_REQUIRE_ALL=1, naming the package', (t) => {
  assert.throws(
    () => systemBinary(t, 'cloudlab-no-such-binary', 'no-such-package', { PATH: nodeDir, CLOUDLAB_REQUIRE_ALL: '1' }),
    /cloudlab-no-such-binary not found on PATH \(apt-get install no-such-package\); CLOUDLAB_REQUIRE_ALL=1/,
  );
});

test('a present binary is returned whatever CLOUDLAB_REQUIRE_ALL says', (t) => {
  assert.equal(systemBinary(t, 'node', 'nodejs', { PATH: nodeDir, CLOUDLAB_REQUIRE_ALL: '1' }), process.execPath);
});

test('a missing binary skips without CLOUDLAB_REQUIRE_ALL', (t) => {
  // This test itself is reported as skipped, with the reason, which is the behaviour under test.
  assert.equal(systemBinary(t, 'cloudlab-no-such-binary', 'no-such-package', { PATH: nodeDir }), undefined);
});
