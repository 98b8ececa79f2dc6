/** A user service named like a part the export adds is refused with LAB_EXPORT_NAME_CLASH, by the API and by the CLI. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/config/index.js';
import { LabError } from '../../src/errors.js';
import { exportModel } from '../../src/export/index.js';
import { tempDir } from './compose-helpers.js';

const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

function configWith(service: string): string {
  return `name: clash\nservices:\n  api:\n    command: ["node", "api.js"]\n    depends_on: [${service}]\n  ${service}:\n    command: ["node", "other.js"]\n`;
}

for (const name of ['valkey', 'prometheus', 'grafana', 'jaeger', 'toxiproxy', 'edge', 'redis-commander', 'database', 'adot-collector']) {
  test(`a service named "${name}" is refused, naming the file, the service, the clash and the fix`, async (t) => {
    const dir = await tempDir(t, 'clash');
    const path = join(dir, 'cloudlab.yaml');
    await writeFile(path, configWith(name));
    const config = await loadConfig({ cwd: dir, env: {} });
    assert.throws(() => exportModel(config), (err: unknown) => {
      assert.ok(err instanceof LabError);
      assert.equal(err.code, 'LAB_EXPORT_NAME_CLASH');
      assert.equal(err.statusCode, 400);
      assert.ok(err.message.startsWith(`${path}: services.${name} clashes with`), err.message);
      assert.match(err.message, new RegExp(`received "${name}"`));
      assert.match(err.message, new RegExp(`Rename the service in ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(for example to "${name}-app"\\)`));
      return true;
    });
  });
}

test('names that clash with nothing pass: the model keeps them', async (t) => {
  const dir = await tempDir(t, 'noclash');
  await writeFile(join(dir, 'cloudlab.yaml'), configWith('valkey-api'));
  const model = exportModel(await loadConfig({ cwd: dir, env: {} }));
  assert.deepEqual(model.services.map((s) => s.name), ['api', 'valkey-api']);
});

test('cloudlab export all refuses a clash before writing anything, with the code on stderr', async (t) => {
  const dir = await tempDir(t, 'clash-cli');
  await writeFile(join(dir, 'cloudlab.yaml'), configWith('grafana'));
  const result = await new Promise<{ code: number; stderr: string }>((resolve) => {
    execFile(process.execPath, [MAIN, 'export', 'all'], { cwd: dir }, (err, _stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stderr });
    });
  });
  assert.notEqual(result.code, 0);
  assert.match(result.stderr, /LAB_EXPORT_NAME_CLASH/);
  assert.match(result.stderr, /services\.grafana clashes with a name cloudlab export needs for the dashboards/);
  assert.deepEqual(await readdir(dir), ['cloudlab.yaml'], 'nothing was written');
});
