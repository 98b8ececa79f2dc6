/**
 * The guides: written beside every export target, and kept honest against the repository
 * (links resolve, every `cloudlab <command>` exists, every FIS action id is in docs/chaos.md).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/config/index.js';
import { exportModel, renderGuides } from '../../src/export/index.js';
import { isLabError } from '../../src/errors.js';
import { ROOT, USER_FIXTURE, tempDir } from './compose-helpers.js';

const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const GUIDES = ['local-setup.md', 'demo-guide.md', 'aws-migration.md'];

function cloudlab(cwd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [MAIN, ...args], { cwd }, (err, stdout, stderr) => {
      done({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

async function guideTexts(): Promise<Array<{ name: string; text: string }>> {
  return Promise.all(GUIDES.map(async (name) => ({ name, text: await readFile(join(ROOT, 'docs', name), 'utf8') })));
}

/** Fenced blocks and inline code spans: where a guide shows a command to type. */
function codeOf(markdown: string): string[] {
  const out: string[] = [];
  const withoutFences = markdown.replace(/```[^\n]*\n([\s\S]*?)```/g, (_m, body: string) => {
    out.push(body);
    return '';
  });
  for (const m of withoutFences.matchAll(/`([^`\n]+)`/g)) out.push(m[1]!);
  return out;
}

test('renderGuides gives the three docs under guides/, each under a header naming the project', async () => {
  const config = await loadConfig({ cwd: USER_FIXTURE, file: 'cloudlab.yaml', env: {} });
  const model = exportModel(config, { packageRoot: ROOT });
  const files = renderGuides(model);
  assert.deepEqual(files.map((f) => f.path), GUIDES.map((g) => `guides/${g}`));
  for (const { name, text } of await guideTexts()) {
    const content = files.find((f) => f.path === `guides/${name}`)!.content;
    const [first, blank, ...rest] = content.split('\n');
    assert.match(first!, new RegExp(`^> Guide for the project "${model.project}".*docs/${name.replace('.', '\\.')}`));
    assert.equal(blank, '');
    assert.equal(rest.join('\n'), text, `${name} is the shipped doc, unchanged`);
  }
});

test('renderGuides without the docs names the missing file and the fix', async (t) => {
  const empty = await tempDir(t, 'guides-nodocs');
  const config = await loadConfig({ cwd: empty, env: {} });
  const model = exportModel(config, { packageRoot: ROOT });
  // Calls the component's own file for its packageRoot option, which the export index does not re-export.
  const { renderGuides: render } = await import('../../src/export/guides/index.js');
  assert.throws(() => render(model, { packageRoot: empty }), (err: unknown) => {
    assert.ok(isLabError(err));
    assert.equal(err.code, 'LAB_EXPORT_WRITE_FAILED');
    assert.match(err.message, /docs\/local-setup\.md.*reinstall cloudlab/);
    return true;
  });
});

test('cloudlab export writes the guides beside the files of every target', async (t) => {
  const dir = await tempDir(t, 'guides-cli');
  for (const target of ['compose', 'k8s']) {
    const result = await cloudlab(dir, ['export', target, '--out', `deploy/${target}`]);
    assert.equal(result.code, 0, result.stderr);
    for (const name of GUIDES) {
      assert.match(result.stdout, new RegExp(`^created\\s+deploy/${target}/guides/${name.replace('.', '\\.')}$`, 'm'));
      const written = await readFile(join(dir, 'deploy', target, 'guides', name), 'utf8');
      assert.match(written, /^> Guide for the project "cafe-demo"/);
      assert.ok(written.endsWith(await readFile(join(ROOT, 'docs', name), 'utf8')));
    }
  }
  const all = await cloudlab(dir, ['export', 'all', '--out', 'everything']);
  assert.equal(all.code, 0, all.stderr);
  for (const target of ['compose', 'k8s', 'terraform']) {
    assert.match(all.stdout, new RegExp(`^created\\s+everything/${target}/guides/demo-guide\\.md$`, 'm'), `export all: guides beside ${target}`);
  }
  const again = await cloudlab(dir, ['export', 'compose', '--out', 'deploy/compose']);
  assert.match(again.stdout, /^unchanged\s+deploy\/compose\/guides\/aws-migration\.md$/m, 'a second export finds the guides unchanged');
});

test('every relative link in the guides resolves to a file in the repository', async () => {
  const broken: string[] = [];
  let checked = 0;
  for (const { name, text } of await guideTexts()) {
    for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = m[1]!;
      if (/^[a-z]+:/i.test(target) || target.startsWith('#')) continue;
      checked++;
      const path = resolve(dirname(join(ROOT, 'docs', name)), target.split('#')[0]!);
      if (!existsSync(path)) broken.push(`${name}: ${target}`);
    }
  }
  assert.ok(checked >= 10, `expected the guides to link the other docs, found ${checked} links`);
  assert.deepEqual(broken, []);
});

test('every cloudlab command the guides show exists in the CLI help', async () => {
  const help = await cloudlab(ROOT, ['--help']);
  assert.equal(help.code, 0, help.stderr);
  const commands = new Set([...help.stdout.matchAll(/^ {2}([a-z]+) {2,}/gm)].map((m) => m[1]!));
  assert.ok(commands.has('up') && commands.has('drill') && commands.has('export'), `help lists commands: ${[...commands].join(', ')}`);
  const unknown: string[] = [];
  const used = new Set<string>();
  for (const { name, text } of await guideTexts()) {
    for (const code of codeOf(text)) {
      for (const m of code.matchAll(/\bcloudlab ([a-z][a-z-]*)/g)) {
        used.add(m[1]!);
        if (!commands.has(m[1]!)) unknown.push(`${name}: cloudlab ${m[1]}`);
      }
    }
  }
  assert.deepEqual(unknown, []);
  for (const expected of ['up', 'down', 'status', 'chaos', 'drill', 'export', 'load']) assert.ok(used.has(expected), `the guides show cloudlab ${expected}`);
});

test('every FIS action id in the guides is one docs/chaos.md maps a scenario to', async () => {
  const chaos = await readFile(join(ROOT, 'docs', 'chaos.md'), 'utf8');
  const { text } = (await guideTexts()).find((g) => g.name === 'aws-migration.md')!;
  // Resource types and stop-condition sources have the same shape as action ids; the
  // templates name them only as "resourceType" and "source" values.
  const notActions = new Set([...text.matchAll(/"(?:resourceType|source)": "(aws:[a-z0-9-]+:[a-z0-9-]+)"/g)].map((m) => m[1]!));
  const missing: string[] = [];
  const actions = new Set<string>();
  for (const { name, text: guide } of await guideTexts()) {
    for (const m of guide.matchAll(/\baws:[a-z0-9-]+:[a-z0-9-]+/g)) {
      if (notActions.has(m[0])) continue;
      actions.add(m[0]);
      if (!chaos.includes(`\`${m[0]}\``)) missing.push(`${name}: ${m[0]}`);
    }
  }
  assert.deepEqual(missing, []);
  const templated = [...text.matchAll(/"actionId": "([^"]+)"/g)].map((m) => m[1]!);
  assert.deepEqual(templated.sort(), ['aws:ecs:stop-task', 'aws:ecs:task-network-latency', 'aws:fis:inject-api-internal-error', 'aws:network:disrupt-connectivity']);
  assert.ok(actions.size >= 6, `the guide maps the scenarios: ${[...actions].join(', ')}`);
});
