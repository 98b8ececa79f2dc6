// The command line and BENCH_* variables every benchmark script reads the same way.

/** Reads a numeric BENCH_* variable; throws with the variable, the expectation and the value. */
export function readEnvNumber(env, name, fallback, { integer = true, min = 0 } = {}) {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || (integer && !Number.isInteger(value)) || value < min) {
    throw new Error(`${name} must be ${integer ? 'an integer' : 'a number'} >= ${min}, received "${raw}"`);
  }
  return value;
}

/** `--write`, `--help` (or BENCH_WRITE=1); anything else is refused with the usage. */
export function readFlags(argv, env, usage) {
  const unknown = argv.find((a) => a !== '--write' && a !== '--help' && a !== '-h');
  if (unknown !== undefined) throw new Error(`unknown argument ${JSON.stringify(unknown)}; expected --write or --help\n\n${usage}`);
  return { help: argv.includes('--help') || argv.includes('-h'), write: argv.includes('--write') || env.BENCH_WRITE === '1' };
}
