// Gives the process under test a core of its own (Linux taskset, util-linux), and the
// rest (load generator, hub, databases) the other cores, so what one measures is the
// service's own cost, not how the scheduler shares a core between it and its load.
import { execFileSync } from 'node:child_process';
import os from 'node:os';

/**
 * @param {string} subject what gets the core of its own, for `describe`
 * @returns {{ service: string, rest: string, describe: string } | { service: undefined, rest: undefined, describe: string }}
 *   CPU lists for taskset, or why there is no pinning.
 */
export function planPinning(subject = 'the service under test') {
  const cores = os.availableParallelism?.() ?? os.cpus().length;
  if (process.platform !== 'linux') return { service: undefined, rest: undefined, describe: `not pinned (${process.platform}: no taskset)` };
  if (cores < 2) return { service: undefined, rest: undefined, describe: 'not pinned (one core)' };
  try {
    execFileSync('taskset', ['--version'], { stdio: 'ignore' });
  } catch {
    return { service: undefined, rest: undefined, describe: 'not pinned (taskset not found; it is in util-linux)' };
  }
  const allowed = currentCpus();
  if (allowed.length < 2) return { service: undefined, rest: undefined, describe: `not pinned (this process may run on ${allowed.length} CPU only)` };
  const service = String(allowed.at(-1));
  const rest = allowed.slice(0, -1).join(',');
  return { service, rest, describe: `${subject} on CPU ${service}, everything else on CPU ${rest} (taskset)` };
}

/** The CPUs this process may run on, from taskset -p. */
function currentCpus() {
  const out = execFileSync('taskset', ['-c', '-p', String(process.pid)], { encoding: 'utf8' });
  const list = out.slice(out.lastIndexOf(':') + 1).trim();
  const cpus = [];
  for (const part of list.split(',')) {
    const [from, to = from] = part.split('-').map(Number);
    for (let cpu = from; cpu <= to; cpu++) cpus.push(cpu);
  }
  return cpus;
}

/** Moves every thread of `pid` onto `cpus`; threads and processes it starts later inherit it. */
export function pin(pid, cpus) {
  if (cpus === undefined) return;
  execFileSync('taskset', ['-a', '-c', '-p', cpus, String(pid)], { stdio: 'ignore' });
}
