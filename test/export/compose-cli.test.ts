/** `cloudlab export`: the CLI as a user runs it, in a directory of the test's own. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile, writeFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { USER_FIXTURE, tempDir } from './compose-helpers.js';

const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

function cloudlab(cwd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [MAIN, ...args], { cwd }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

test('export compose writes the files, prints each, and refuses to overwrite a changed one without --force', async (t) => {
  const dir = await tempDir(t, 'cli');
  const first = await cloudlab(dir, ['export', 'compose', '--out', 'deploy']);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /^created\s+deploy\/docker-compose\.yml$/m);
  assert.match(first.stdout, /^created\s+deploy\/grafana\/dashboards\/cafe\.json$/m);
  assert.match(first.stdout, /files in deploy$/m);
  const compose = join(dir, 'deploy', 'docker-compose.yml');
  assert.match(await readFile(compose, 'utf8'), /^ {2}cafe:$/m);
  await stat(join(dir, 'deploy', 'toxiproxy.json'));

  const again = await cloudlab(dir, ['export', 'compose', '--out', 'deploy']);
  assert.equal(again.code, 0, 'unchanged files are no conflict');
  assert.match(again.stdout, /^unchanged\s+deploy\/docker-compose\.yml$/m);

  await writeFile(compose, '# edited by hand\n');
  const refused = await cloudlab(dir, ['export', 'compose', '--out', 'deploy']);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /deploy\/docker-compose\.yml exists with other content.*--force.*\[LAB_EXPORT_FILE_CHANGED\]/);
  assert.equal(await readFile(compose, 'utf8'), '# edited by hand\n', 'nothing overwritten');

  const forced = await cloudlab(dir, ['export', 'compose', '--out', 'deploy', '--force']);
  assert.equal(forced.code, 0, forced.stderr);
  assert.match(forced.stdout, /^updated\s+deploy\/docker-compose\.yml$/m);
  assert.match(await readFile(compose, 'utf8'), /^ {2}cafe:$/m);
});

test('export compose reads --file and defaults --out to deploy/compose', async (t) => {
  const dir = await tempDir(t, 'cli-file');
  const result = await cloudlab(dir, ['export', 'compose', '--file', join(USER_FIXTURE, 'cloudlab.yaml')]);
  assert.equal(result.code, 0, result.stderr);
  const compose = await readFile(join(dir, 'deploy', 'compose', 'docker-compose.yml'), 'utf8');
  assert.match(compose, /^ {2}api:$/m);
  assert.match(compose, /replicas: 3/);
  assert.doesNotMatch(compose, /valkey/);
});

test('bad flags and targets exit 1 naming what was wrong', async (t) => {
  const dir = await tempDir(t, 'cli-bad');
  const unknownFlag = await cloudlab(dir, ['export', 'compose', '--outdir', 'x']);
  assert.equal(unknownFlag.code, 1);
  assert.match(unknownFlag.stderr, /--outdir.*\[LAB_CLI_BAD_FLAG\]/);
  const missingValue = await cloudlab(dir, ['export', 'compose', '--out']);
  assert.equal(missingValue.code, 1);
  assert.match(missingValue.stderr, /--out.*\[LAB_CLI_BAD_FLAG\]/);
  const badTarget = await cloudlab(dir, ['export', 'helm']);
  assert.equal(badTarget.code, 1);
  assert.match(badTarget.stderr, /target must be one of compose, k8s, terraform, all, received "helm";.*\[LAB_CLI_BAD_FLAG\]/);
  const help = await cloudlab(dir, ['export', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /Usage: cloudlab export <target>/);
});

test('export k8s is wired to the Kubernetes exporter; export all writes every target in its own directory', async (t) => {
  const dir = await tempDir(t, 'cli-k8s');
  const k8s = await cloudlab(dir, ['export', 'k8s', '--out', 'k8s']);
  assert.equal(k8s.code, 0, k8s.stderr);
  assert.match(k8s.stdout, /^created\s+k8s\/\S+\.ya?ml$/m);
  assert.match(k8s.stdout, /cloudlab export k8s: \d+ files in k8s$/m);
  const all = await cloudlab(dir, ['export', 'all']);
  assert.equal(all.code, 0, all.stderr);
  for (const target of ['compose', 'k8s', 'terraform']) assert.match(all.stdout, new RegExp(`cloudlab export ${target}: \\d+ files in deploy/${target}$`, 'm'));
});
