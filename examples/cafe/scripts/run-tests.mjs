// Runs every compiled test file (dist/test/**/*.test.js) with node:test.
// A script rather than a glob because Node 20's --test does not expand globs.
// Same approach as the root scripts/run-tests.mjs; an optional argument filters files.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function collect(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return collect(path);
    return entry.name.endsWith('.test.js') ? [path] : [];
  });
}

const files = existsSync('dist/test') ? collect('dist/test').sort() : [];
const filter = process.argv[2];
const chosen = filter ? files.filter((f) => f.includes(filter)) : files;
if (chosen.length === 0) {
  console.error(`cafe: no test files under dist/test${filter ? ` matching ${filter}` : ''}`);
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--test', ...chosen], { stdio: 'inherit' });
process.exit(result.status ?? 1);
