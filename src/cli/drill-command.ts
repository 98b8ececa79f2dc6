/**
 * `cloudlab drill <file>`: runs a drill against the lab of this directory (hypothesis,
 * method, rollbacks, invariants), with live progress, a JSON journal and an HTML report;
 * the verdict is the exit code. `--dry-run` validates and prints the plan;
 * `cloudlab drill list` lists past drills.
 */
import { resolve } from 'node:path';
import { LabError } from '../errors.js';
import { readLabState } from '../control/index.js';
import { EXIT_CODES, createDrillProgressView, drillLabFromState, drillsDir, fetchScenarios, formatPlan, listDrills, loadDrill, parseParamFlags, runDrill, staticScenarios } from '../drill/index.js';
import type { DrillLab } from '../drill/index.js';
import { parseFlags } from './args.js';
import { stateDirFor } from './lab-client.js';

export const DRILL_HELP = `Usage: cloudlab drill <file.yaml> [--param key=value ...] [--out dir] [--dry-run]
       cloudlab drill list

Runs a drill against the lab of this directory (start it with \`cloudlab up -d\`):
  1. the hypothesis (steady state) is checked; if it fails, nothing is injected
  2. the method: load from 0 s, faults at their offsets, probes and stop conditions
     every probe interval (a stop condition crossed aborts at once)
  3. the rollbacks, always (the drill's own faults are removed first)
  4. the hypothesis again, retried for up to \`recovery\`
  5. the invariants (every acknowledged order exists exactly once, ...)
Then a JSON journal and an HTML report are written to .cloudlab/drills/ and their
paths printed. The format is in docs/drills.md.

Flags:
      --param key=value   override a parameter of the drill (repeatable)
      --out <dir>         write the journal and the report there instead
      --dry-run           validate the file and print the plan; touch nothing
      --file <path>       the lab's config file (default ./cloudlab.yaml)
  -h, --help              show this help

Exit codes: 0 passed, 99 failed, 98 aborted (a stop condition), 130 interrupted, 1 error.
`;

async function findLab(cwd: string, file: string | undefined): Promise<{ stateDir: string | null; lab: DrillLab | null }> {
  let stateDir: string;
  try {
    stateDir = await stateDirFor(cwd, file);
  } catch (err) {
    // An explicit --file that does not load is the user's error; a missing default config is not.
    if (file !== undefined) throw err;
    return { stateDir: null, lab: null };
  }
  const state = await readLabState(stateDir);
  return { stateDir, lab: state ? drillLabFromState(state, stateDir) : null };
}

async function listCommand(cwd: string, file: string | undefined, out: NodeJS.WritableStream): Promise<number> {
  const stateDir = await stateDirFor(cwd, file);
  const drills = await listDrills(stateDir);
  if (drills.length === 0) {
    out.write(`no drills yet in ${drillsDir(stateDir)}; run one with cloudlab drill <file.yaml>\n`);
    return 0;
  }
  const width = Math.max(...drills.map((d) => d.id.length));
  out.write(`${'ID'.padEnd(width)}  ${'VERDICT'.padEnd(11)}  ${'STARTED'.padEnd(19)}  REASON\n`);
  for (const d of drills) {
    const started = new Date(d.startedAtMs).toISOString().slice(0, 19).replace('T', ' ');
    const reason = d.reasons[0] ?? '';
    out.write(`${d.id.padEnd(width)}  ${d.verdict.padEnd(11)}  ${started}  ${reason.length > 100 ? `${reason.slice(0, 99)}…` : reason}\n`);
  }
  return 0;
}

export async function runDrillCommand(argv: string[], out: NodeJS.WritableStream): Promise<number> {
  const { values, positionals } = parseFlags('drill', argv, {
    param: { type: 'string', multiple: true },
    out: { type: 'string' },
    file: { type: 'string' },
    'dry-run': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    out.write(DRILL_HELP);
    return 0;
  }
  const cwd = process.cwd();
  const [what, ...extra] = positionals;
  if (what === 'list' && extra.length === 0) return listCommand(cwd, values.file, out);
  if (what === undefined || extra.length > 0) {
    throw new LabError('LAB_CLI_BAD_FLAG', `cloudlab drill takes one drill file (or "list"), received ${positionals.length === 0 ? 'none' : positionals.map((p) => JSON.stringify(p)).join(' ')}; fix: cloudlab drill examples/drills/<name>.yaml (see cloudlab drill --help)`);
  }
  const params = parseParamFlags(values.param ?? []);
  const { stateDir, lab } = await findLab(cwd, values.file);
  const scenarios = lab ? ((await fetchScenarios(lab)) ?? staticScenarios()) : staticScenarios();
  const drill = await loadDrill(what, { cwd, params, scenarios });
  if (values['dry-run']) {
    out.write(formatPlan(drill));
    out.write(`\nvalid; fault scenarios checked against ${lab ? 'the running lab' : 'the built-in list (no lab is running here)'}. Nothing was run.\n`);
    return 0;
  }
  if (!lab) {
    throw new LabError('LAB_DRILL_NO_LAB', `drill ${drill.name} needs a running lab, and none runs from ${stateDir ?? cwd}; fix: run \`cloudlab up -d\` in this directory first`);
  }

  const view = createDrillProgressView(out);
  view.line(`cloudlab drill: ${drill.name} against ${lab.edgeUrl ?? lab.controlUrl} (Ctrl-C interrupts cleanly: faults removed, rollbacks run)`);
  const controller = new AbortController();
  let signals = 0;
  const stop = (): void => {
    signals++;
    if (signals === 1) {
      view.line('interrupting: stopping the load, removing the faults, running the rollbacks (Ctrl-C again to quit at once; faults with a duration expire by themselves)');
      controller.abort();
    } else process.exit(EXIT_CODES.interrupted);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  let run;
  try {
    run = await runDrill({ drill, lab, signal: controller.signal, onProgress: (p) => view.progress(p), ...(values.out !== undefined ? { outDir: resolve(cwd, values.out) } : {}) });
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    view.done();
  }
  const j = run.journal;
  out.write(`\nverdict: ${j.verdict.toUpperCase()} (${drill.name})\n`);
  for (const reason of j.reasons) out.write(`  - ${reason}\n`);
  out.write(`\njournal: ${run.journalFile}\nreport:  ${run.reportFile}\n`);
  return run.exitCode;
}
