// What the benchmark ran on, for the record in docs/benchmarks.md.
import os from 'node:os';
import { readFileSync } from 'node:fs';

function osName() {
  try {
    const release = readFileSync('/etc/os-release', 'utf8');
    const pretty = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(release)?.[1];
    if (pretty) return `${pretty} (${os.type()} ${os.release()}, ${os.arch()})`;
  } catch {
    // not Linux, or no os-release: the kernel's own name will do
  }
  return `${os.type()} ${os.release()} (${os.arch()})`;
}

export function describeMachine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown CPU',
    cores: os.availableParallelism?.() ?? cpus.length,
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    node: process.version,
    os: osName(),
    loadAtStart: loadAverage(),
  };
}

/** The 1, 5 and 15 minute load averages. */
export function loadAverage() {
  return os.loadavg().map((n) => n.toFixed(2)).join(', ');
}
