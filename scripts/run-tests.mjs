// Runs every compiled test file (dist/test/**/*.test.js) with node:test.
// A script rather than a glob because Node 20's --test does not expand globs.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function collect(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return collect(path);
    return entry.name.endsWith('.test.js') ? [path] : [];
  });
}

const files = collect('dist/test').sort();
const filter = process.argv[2];
const chosen = filter ? files.filter((f) => f.includes(filter)) : files;
const result = spawnSync(process.execPath, ['--test', ...chosen], { stdio: 'inherit' });
process.exit(result.status ?? 1);
