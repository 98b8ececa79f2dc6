/** `cloudlab chaos`'s positional forms become the API's requests; help for each form. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { chaosRequest, runChaosCommand } from '../../src/cli/chaos-command.js';
import { SCENARIO_NAMES } from '../../src/chaos/index.js';

const none = {};

test('positional forms map to ChaosRequest', () => {
  assert.deepEqual(chaosRequest('postgres-latency', ['300'], { duration: '2s' }), { scenario: 'postgres-latency', value: 300, durationMs: 2000 });
  assert.deepEqual(chaosRequest('postgres-outage', [], { duration: '1m', target: 'x' }), { scenario: 'postgres-outage', target: 'x', durationMs: 60_000 });
  assert.deepEqual(chaosRequest('kill-replica', [], none), { scenario: 'kill-replica' });
  assert.deepEqual(chaosRequest('kill-replica', ['cafe'], none), { scenario: 'kill-replica', target: 'cafe' });
  assert.deepEqual(chaosRequest('kill-replica', ['cafe', '2'], none), { scenario: 'kill-replica', target: 'cafe', value: 2 });
  assert.deepEqual(chaosRequest('kill-replica', ['2'], none), { scenario: 'kill-replica', value: 2 });
  assert.deepEqual(chaosRequest('reset-peer', ['cache', '500'], none), { scenario: 'reset-peer', target: 'cache', value: 500 });
  assert.deepEqual(chaosRequest('flag', ['cpuHog', '50'], none), { scenario: 'flag', target: 'cpuHog', value: '50' }, 'the lab reads flag values JSON-ish');
  assert.deepEqual(chaosRequest('toxic', ['payments', 'http_error', 'status_code=503', 'method=POST'], { stream: 'up', toxicity: '0.5', name: 'boom' }), {
    scenario: 'toxic', target: 'payments', toxic: { type: 'http_error', stream: 'upstream', toxicity: 0.5, name: 'boom', attributes: { status_code: 503, method: 'POST' } },
  });
  assert.deepEqual(chaosRequest('payments-errors', ['0.25'], none), { scenario: 'payments-errors', value: 0.25 });
});

test('bad positional forms fail before reaching the lab, naming what was wrong', () => {
  assert.throws(() => chaosRequest('postgres-latency', ['300', '400'], none), /unexpected argument "400"/);
  assert.throws(() => chaosRequest('kill-replica', ['cafe', '1', 'x'], none), /unexpected argument "x"/);
  assert.throws(() => chaosRequest('toxic', ['payments', 'latency', 'latency'], none), /attributes must be name=value such as latency=100, received "latency"/);
  assert.throws(() => chaosRequest('toxic', ['payments', 'latency'], { stream: 'left' }), /--stream must be up or down, received "left"/);
  assert.throws(() => chaosRequest('postgres-latency', ['300'], { stream: 'up' }), /--stream is only for `cloudlab chaos toxic`/);
  assert.throws(() => chaosRequest('postgres-latency', ['300'], { duration: 'soon' }), /--duration must be a duration such as 15s, 500ms or 1h, received "soon"/);
});

test('--help for the command and for each scenario and subcommand', async () => {
  const read = async (argv: string[]): Promise<{ code: number; text: string }> => {
    let text = '';
    const out = new Writable({ write: (chunk: Buffer, _enc, done) => { text += chunk.toString(); done(); } });
    return { code: await runChaosCommand(argv, out), text };
  };
  const main = await read(['--help']);
  assert.equal(main.code, 0);
  for (const name of SCENARIO_NAMES) assert.ok(main.text.includes(name), `the help names ${name}`);
  const toxic = await read(['toxic', '--help']);
  assert.match(toxic.text, /^Usage: cloudlab chaos toxic <proxy> <type> \[attr=value \.\.\.\] \[--stream up\|down\] \[--toxicity 0\.5\] \[--name n\]/);
  assert.match(toxic.text, /AWS FIS: aws:ssm:send-command/);
  const kill = await read(['kill-replica', '-h']);
  assert.match(kill.text, /^Usage: cloudlab chaos kill-replica \[service\] \[count\]/);
  assert.match(kill.text, /Undo: none \(it happens at once\)/);
  assert.match((await read(['postgres-latency', '--help'])).text, /^Usage: cloudlab chaos postgres-latency <latency_ms> \[--duration 30s\] \[--detach\]/);
  assert.match((await read(['status', '--help'])).text, /^Usage: cloudlab chaos status/);
  await assert.rejects(read(['meteor']), (err: Error & { code?: string }) => err.code === 'LAB_CHAOS_UNKNOWN_SCENARIO' && err.message.includes('"meteor"') && err.message.includes('postgres-latency'));
});
