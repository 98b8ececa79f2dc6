// The benchmark's settings: environment overrides on top of defaults, checked once.
import { readEnvNumber, readFlags } from './bench-args.mjs';

export const DEFAULTS = Object.freeze({
  durationS: 10,
  warmupS: 1,
  bulkMiB: 1024,
  rounds: 3,
  connections: 50,
});

const ENV = {
  durationS: 'BENCH_DURATION_S',
  warmupS: 'BENCH_WARMUP_S',
  bulkMiB: 'BENCH_BULK_MB',
  rounds: 'BENCH_ROUNDS',
  connections: 'BENCH_CONNECTIONS',
};

export const USAGE = `Usage: node benchmarks/run.mjs [--write]   (npm run bench runs it with the other benchmarks)

Compares direct, a bare socket.pipe() proxy, cloudlab with no toxic and cloudlab with a
0 ms latency toxic, on loopback: keep-alive HTTP (autocannon) and a bulk TCP transfer.

  --write, BENCH_WRITE=1   also write the results into docs/benchmarks.md
  BENCH_DURATION_S         seconds of load per HTTP run (default ${DEFAULTS.durationS})
  BENCH_WARMUP_S           seconds of warm-up before each HTTP run (default ${DEFAULTS.warmupS}; 0 for none)
  BENCH_BULK_MB            MiB per bulk transfer (default ${DEFAULTS.bulkMiB}, 1 GiB)
  BENCH_ROUNDS             rounds over the four paths, there and back (default ${DEFAULTS.rounds})
  BENCH_CONNECTIONS        autocannon connections (default ${DEFAULTS.connections})
  BENCH_CPU_PROF=DIR       write V8 CPU profiles of the two proxy processes into DIR (--cpu-prof)
`;

/** Reads argv and the BENCH_* variables; throws with the variable, expectation and value. */
export function readConfig(argv = process.argv.slice(2), env = process.env) {
  return Object.freeze({
    ...readFlags(argv, env, USAGE),
    durationS: readEnvNumber(env, ENV.durationS, DEFAULTS.durationS, { integer: true, min: 1 }),
    warmupS: readEnvNumber(env, ENV.warmupS, DEFAULTS.warmupS, { integer: true, min: 0 }),
    bulkMiB: readEnvNumber(env, ENV.bulkMiB, DEFAULTS.bulkMiB, { integer: false, min: 1 }),
    rounds: readEnvNumber(env, ENV.rounds, DEFAULTS.rounds, { integer: true, min: 1 }),
    connections: readEnvNumber(env, ENV.connections, DEFAULTS.connections, { integer: true, min: 1 }),
    cpuProfDir: env.BENCH_CPU_PROF || undefined,
  });
}

/** The command that reproduces this run, with the BENCH_* variables that were set. */
export function describeCommand(argv = process.argv.slice(2), env = process.env) {
  const vars = Object.keys(env)
    .filter((k) => k.startsWith('BENCH_') && env[k] !== '')
    .sort()
    .map((k) => `${k}=${env[k]}`);
  const viaNpm = env.npm_lifecycle_event === 'bench';
  const base = viaNpm ? `npm run bench${argv.length ? ` -- ${argv.join(' ')}` : ''}` : `node benchmarks/run.mjs${argv.length ? ` ${argv.join(' ')}` : ''}`;
  return [...vars, base].join(' ');
}
