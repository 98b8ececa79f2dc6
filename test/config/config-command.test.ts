/** `cloudlab config` as a child process: output, round trip through a file, flags and errors. */
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadConfig, MASK } from '../../src/config/index.js';
import { cli, MAIN } from '../helpers/cli.js';
import { comparable, configDir, tempDir, yaml } from './fixtures.js';
import { EVERY_KEY } from './every-key.js';

/** Runs the CLI in `cwd` to the end; kills it after the test if it still runs. */
async function run(t: TestContext, args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [MAIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CLOUDLAB_TEST_SECRET: 's3cret' } });
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout, stderr };
}

test('prints the effective YAML, which saved as a file loads back to the same config (password masked)', async (t) => {
  const { dir, file } = await configDir(t, EVERY_KEY);
  const result = await run(t, ['config', '--file', 'cloudlab.yaml'], dir);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout.split('\n')[0], `# source: ${file}`);
  assert.match(result.stdout, /password: "\*{8}"/);
  assert.ok(!result.stdout.includes('pa55'));

  const elsewhere = await tempDir(t);
  await writeFile(join(elsewhere, 'cloudlab.yaml'), result.stdout);
  const reloaded = await loadConfig({ cwd: elsewhere, env: {} });
  const original = await loadConfig({ cwd: dir, env: {} });
  assert.deepEqual(comparable(reloaded), comparable(original));
  assert.equal(reloaded.dependencies.postgres?.engine === 'embedded' && reloaded.dependencies.postgres.password, MASK, 'the masked password is what loads back');
});

test('without a file, prints the built-in cafe demo for the current directory', async (t) => {
  const cwd = await tempDir(t);
  const result = await run(t, ['config'], cwd);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout.split('\n')[0], '# source: built-in cafe demo');
  const doc = parse(result.stdout) as { name: string; state_dir: string; services: Record<string, { replicas: number }> };
  assert.equal(doc.name, 'cafe-demo');
  assert.equal(doc.state_dir, join(cwd, '.cloudlab'));
  assert.equal(doc.services['cafe']?.replicas, 2);

  await writeFile(join(cwd, 'saved.yaml'), result.stdout);
  const reloaded = await loadConfig({ cwd, file: 'saved.yaml', env: {} });
  assert.deepEqual(comparable(reloaded), comparable(await loadConfig({ cwd, env: {} })));
});

test('--json prints JSON; --free-ports zeroes public ports; the process env feeds ${VAR}', async (t) => {
  const { dir } = await configDir(t, yaml('name: ${CLOUDLAB_TEST_NAME:-json-lab}', 'services:', '  api: { command: node api.js, ports: [8000], environment: { TOKEN: "${CLOUDLAB_TEST_SECRET}" } }'));
  const result = await run(t, ['config', '--json', '--free-ports'], dir);
  assert.equal(result.code, 0, result.stderr);
  const json = JSON.parse(result.stdout) as { name: string; services: { api: { ports: string[]; environment: Record<string, string> } }; console: { port: number } };
  assert.equal(json.name, 'json-lab');
  assert.deepEqual(json.services.api.ports, ['0']);
  assert.deepEqual(json.services.api.environment, { TOKEN: 's3cret' });
  assert.equal(json.console.port, 0);
});

test('an invalid file exits 1 with one line per problem and the code', async (t) => {
  const { file } = await configDir(t, yaml('services:', '  cafe:', '    command: node cafe.js', '    replicas: two', '    enviroment: {}'));
  const c = cli(t, ['config', '--file', file]);
  const { code } = await c.exited;
  assert.equal(code, 1);
  assert.equal(c.stdout(), '');
  assert.equal(
    c.stderr(),
    `cloudlab: ${file}:4:15 services.cafe.replicas must be an integer from 0 to 32, received "two"; fix: write a number such as 2\n` +
      `${file}:5:5 services.cafe.enviroment is not a key of a service; fix: did you mean "environment"? [LAB_CONFIG_INVALID]\n`,
  );
});

test('a missing --file exits 1 with LAB_CONFIG_NOT_FOUND; a stray argument is refused', async (t) => {
  const cwd = await tempDir(t);
  const missing = await run(t, ['config', '-f', 'nope.yaml'], cwd);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /config file .*nope\.yaml does not exist.*\[LAB_CONFIG_NOT_FOUND\]/);
  const stray = await run(t, ['config', 'nope.yaml'], cwd);
  assert.equal(stray.code, 1);
  assert.match(stray.stderr, /takes no arguments, received "nope\.yaml"; pass the file with --file \[LAB_CLI_BAD_FLAG\]/);
});

test('--help lists every flag, and cloudlab --help lists the command', async (t) => {
  const help = cli(t, ['config', '--help']);
  assert.equal((await help.exited).code, 0);
  for (const flag of ['--file', '--json', '--free-ports', 'schema/cloudlab.schema.json']) assert.ok(help.stdout().includes(flag), flag);
  const top = cli(t, ['--help']);
  assert.equal((await top.exited).code, 0);
  assert.match(top.stdout(), /^ {2}config {6}validate cloudlab\.yaml/m);
});
