/**
 * `cloudlab chaos`: lists the lab's fault scenarios, injects one, shows what is active,
 * removes faults. The lab owns every fault and its timer; with --duration this command
 * only waits for the lab to remove it (Ctrl-C or a kill leaves the removal to the lab).
 */
import { LabError, describeValue } from '../errors.js';
import { SCENARIOS, SCENARIO_NAMES, formatDuration } from '../chaos/index.js';
import type { ActiveFault, ChaosInjected, ChaosRemoved, ChaosRequest, ChaosScenarioInfo, ChaosStatus, ScenarioDefinition } from '../chaos/index.js';
import type { LabState } from '../control/index.js';
import { durationFlag, parseFlags } from './args.js';
import { callLab, runningLab, stateDirFor } from './lab-client.js';

const SUBCOMMANDS = ['list', 'status', 'reset', 'remove'];

export const CHAOS_HELP = `Usage: cloudlab chaos list | status | reset | remove <id>
       cloudlab chaos <scenario> [value] [--target x] [--duration 60s] [--detach]
       cloudlab chaos kill-replica [service] [count]
       cloudlab chaos reset-peer <proxy> [timeout_ms]
       cloudlab chaos flag <key> <value>
       cloudlab chaos toxic <proxy> <type> [attr=value ...] [--stream up|down] [--toxicity 0.5] [--name n]

Injects a fault into the running lab. The lab owns it: with --duration the lab removes it
by itself when the time is up, even if this command is stopped. docs/chaos.md has more.

Scenarios: ${SCENARIO_NAMES.join(', ')}

Flags:
      --target <name>     what the scenario acts on (a proxy, a service)
      --duration <time>   the lab removes the fault after this long (100ms to 24h); this
                          command waits with a countdown until it is gone
      --detach            with --duration: return at once
      --json              list, status: print JSON
  -f, --file <path>       the lab's config file (default ./cloudlab.yaml)
  -h, --help              show this help (cloudlab chaos <scenario> --help for one)

Exit codes: 0 done, 1 an error.
`;

const OPTIONS = {
  target: { type: 'string' }, duration: { type: 'string' }, detach: { type: 'boolean' }, json: { type: 'boolean' },
  stream: { type: 'string' }, toxicity: { type: 'string' }, name: { type: 'string' },
  file: { type: 'string', short: 'f' }, help: { type: 'boolean', short: 'h' },
} as const;

const SUB_HELP: Record<string, string> = {
  list: 'Usage: cloudlab chaos list [--json]\n\nEvery scenario: its value, target, what it does and the nearest AWS FIS action; those this lab cannot run say why.\n',
  status: 'Usage: cloudlab chaos status [--json]\n\nEverything active: chaos faults with their time left, and toxics, disabled proxies and flags applied another way.\n',
  reset: 'Usage: cloudlab chaos reset\n\nUndoes every chaos fault, removes every toxic, enables every proxy, clears the flags, releases held connections.\n',
  remove: 'Usage: cloudlab chaos remove <id>\n\nRemoves one active fault (f3, toxic:postgres/lag, proxy:cache, flag:cpuHog; see cloudlab chaos status).\n',
};

function usageOf(def: ScenarioDefinition): string {
  const v = def.value ? (def.value.required ? ` <${def.value.name}>` : ` [${def.value.name}]`) : '';
  const lasting = def.instant ? '' : ' [--duration 30s] [--detach]';
  switch (def.name) {
    case 'kill-replica': return 'cloudlab chaos kill-replica [service] [count]';
    case 'reset-peer': return `cloudlab chaos reset-peer <proxy> [timeout_ms]${lasting}`;
    case 'flag': return `cloudlab chaos flag <key> <value>${lasting}`;
    case 'toxic': return `cloudlab chaos toxic <proxy> <type> [attr=value ...] [--stream up|down] [--toxicity 0.5] [--name n]${lasting}`;
    default: return `cloudlab chaos ${def.name}${v}${def.target ? ` [--target <${def.target.name}>]` : ''}${lasting}`;
  }
}

function scenarioHelp(def: ScenarioDefinition): string {
  const value = def.value ? `${def.value.name} (${def.value.unit})${def.value.required ? '' : `, default ${def.value.default}`}` : 'none';
  return `Usage: ${usageOf(def)}\n\n${def.summary}.\n\nValue: ${value}\nUndo: ${def.instant ? 'none (it happens at once)' : 'cloudlab chaos remove <id>, cloudlab chaos reset, or the lab at --duration'}\nAWS FIS: ${def.fisAction}\n`;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]! + 2))).join('').trimEnd()).join('\n') + '\n';
}

const clockTime = (ms: number): string => new Date(ms).toTimeString().slice(0, 8);
const timeLeft = (f: ActiveFault, now: number): string => (f.expiresAtMs === null ? 'until removed' : formatDuration(Math.max(0, f.expiresAtMs - now)));

function faultTable(faults: ActiveFault[]): string {
  const now = Date.now();
  return table([['ID', 'ORIGIN', 'SCENARIO', 'DETAIL', 'TIME LEFT'], ...faults.map((f) => [f.id, f.origin, f.scenario, f.detail, f.origin === 'chaos' ? timeLeft(f, now) : 'until removed'])]);
}

function listTable(scenarios: ChaosScenarioInfo[]): string {
  return table([
    ['SCENARIO', 'VALUE', 'TARGET', 'FIS ACTION', 'WHAT IT DOES'],
    ...scenarios.map((s) => [
      s.name,
      s.value ? `${s.value.name}${s.value.required ? '' : `=${s.value.default}`}` : '-',
      s.target ? `${s.target.name}${s.target.required ? '' : s.target.default ? `=${s.target.default}` : '?'}` : '-',
      s.fisAction,
      s.available ? s.summary : `NOT AVAILABLE: ${s.reason}`,
    ]),
  ]);
}

const scalar = (text: string): number | string => (/^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text);

function tooMany(scenario: string, extra: string[]): LabError {
  return new LabError('LAB_CLI_BAD_FLAG', `cloudlab chaos ${scenario}: unexpected argument${extra.length > 1 ? 's' : ''} ${extra.map((e) => JSON.stringify(e)).join(' ')}; see cloudlab chaos ${scenario} --help`);
}

type Values = ReturnType<typeof parseFlags<typeof OPTIONS>>['values'];

/** The request a scenario's positional form stands for. */
export function chaosRequest(scenario: string, args: string[], values: Values): ChaosRequest {
  const request: ChaosRequest = { scenario };
  if (values.target !== undefined) request.target = values.target;
  if (values.duration !== undefined) request.durationMs = durationFlag(`chaos ${scenario}`, 'duration', values.duration, 0);
  const toxicOnly = (['stream', 'toxicity', 'name'] as const).filter((k) => values[k] !== undefined);
  if (scenario !== 'toxic' && toxicOnly.length > 0) throw new LabError('LAB_CLI_BAD_FLAG', `cloudlab chaos ${scenario}: --${toxicOnly[0]} is only for \`cloudlab chaos toxic\``);
  const [a, b, ...rest] = args;
  switch (scenario) {
    case 'kill-replica': {
      // [service] [count]: a lone number is the count.
      const service = a !== undefined && !/^\d+$/.test(a) ? a : undefined;
      const count = service === undefined ? a : b;
      if ((service === undefined ? [b, ...rest] : rest).some((x) => x !== undefined)) throw tooMany(scenario, service === undefined ? [b!, ...rest] : rest);
      if (service !== undefined) request.target = service;
      if (count !== undefined) request.value = scalar(count);
      return request;
    }
    case 'reset-peer':
    case 'flag': {
      if (rest.length > 0) throw tooMany(scenario, rest);
      if (a !== undefined) request.target = a;
      if (b !== undefined) request.value = scenario === 'flag' ? b : scalar(b);
      return request;
    }
    case 'toxic': {
      if (a !== undefined) request.target = a;
      const stream = values.stream === 'up' ? 'upstream' : values.stream === 'down' ? 'downstream' : values.stream;
      if (stream !== undefined && stream !== 'upstream' && stream !== 'downstream') throw new LabError('LAB_CLI_BAD_FLAG', `cloudlab chaos toxic: --stream must be up or down, received ${describeValue(values.stream)}`);
      const attributes: Record<string, number> = {};
      for (const pair of rest) {
        const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(pair);
        if (!m) throw new LabError('LAB_CLI_BAD_FLAG', `cloudlab chaos toxic: attributes must be name=value such as latency=100, received ${describeValue(pair)}`);
        // Numbers for most toxics; strings for the http_* toxics' body, method and path_prefix.
        attributes[m[1]!] = scalar(m[2]!) as number;
      }
      const toxicity = values.toxicity === undefined ? undefined : Number(values.toxicity);
      request.toxic = { type: b ?? '', attributes, ...(stream ? { stream } : {}), ...(toxicity === undefined ? {} : { toxicity }), ...(values.name ? { name: values.name } : {}) };
      return request;
    }
    default:
      if (b !== undefined) throw tooMany(scenario, [b, ...rest]);
      if (a !== undefined) request.value = scalar(a);
      return request;
  }
}

/** Waits until the lab reports `fault` gone, with a countdown; resolves false when stopped by a signal. */
async function waitForRemoval(state: LabState, fault: ActiveFault, out: NodeJS.WritableStream & { isTTY?: boolean }): Promise<boolean> {
  const tty = out.isTTY === true && process.env['CI'] === undefined;
  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let lastPlain = 0;
  try {
    for (;;) {
      const now = Date.now();
      const line = `${fault.id} ${fault.scenario}: ${fault.expiresAtMs! > now ? `${timeLeft(fault, now)} left` : 'the lab is removing it'}`;
      if (tty) out.write(`\r\x1b[2K${line}`);
      else if (now - lastPlain >= 5000) {
        out.write(`${line}\n`);
        lastPlain = now;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 500);
        stop.signal.addEventListener('abort', () => {
          clearTimeout(timer);
          resolve();
        }, { once: true });
      });
      if (stop.signal.aborted) return false;
      const { faults } = await callLab<ChaosStatus>(state, 'GET', '/api/chaos');
      if (!faults.some((f) => f.id === fault.id)) return true;
    }
  } finally {
    if (tty) out.write('\r\x1b[2K');
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

async function inject(state: LabState, request: ChaosRequest, detach: boolean, out: NodeJS.WritableStream): Promise<number> {
  const { fault } = await callLab<ChaosInjected>(state, 'POST', '/api/chaos', request);
  const def = SCENARIOS.find((s) => s.name === fault.scenario);
  if (def?.instant) {
    out.write(`cloudlab: ${fault.scenario}: ${fault.detail}\n`);
    return 0;
  }
  if (fault.expiresAtMs === null) {
    out.write(`cloudlab: injected ${fault.id}: ${fault.detail}\n  active until removed: cloudlab chaos remove ${fault.id} (or cloudlab chaos reset)\n`);
    return 0;
  }
  const at = clockTime(fault.expiresAtMs);
  out.write(`cloudlab: injected ${fault.id}: ${fault.detail}\n  the lab removes it at ${at} (in ${formatDuration(fault.expiresAtMs - (fault.startedAtMs ?? Date.now()))}), whether or not this command still runs\n`);
  if (detach) return 0;
  const removed = await waitForRemoval(state, fault, out);
  if (removed) out.write(`cloudlab: ${fault.id} removed by the lab\n`);
  else out.write(`\ncloudlab: stopped waiting; the lab still removes ${fault.id} at ${at} by itself (cloudlab chaos remove ${fault.id} removes it now)\n`);
  return 0;
}

export async function runChaosCommand(argv: string[], out: NodeJS.WritableStream): Promise<number> {
  const { values, positionals } = parseFlags('chaos', argv, OPTIONS);
  const [what, ...args] = positionals;
  const def = SCENARIOS.find((s) => s.name === what);
  if (values.help || what === undefined) {
    out.write(what === undefined ? CHAOS_HELP : def ? scenarioHelp(def) : SUB_HELP[what] ?? CHAOS_HELP);
    return values.help ? 0 : 1;
  }
  if (!def && !SUBCOMMANDS.includes(what)) {
    throw new LabError('LAB_CHAOS_UNKNOWN_SCENARIO', `cloudlab chaos: no scenario or command ${describeValue(what)}; the scenarios are ${SCENARIO_NAMES.join(', ')}, the commands ${SUBCOMMANDS.join(', ')}; see cloudlab chaos --help`);
  }
  // Checked before reaching the lab, so a typo fails fast.
  const request = def ? chaosRequest(what, args, values) : null;
  if (!def && args.length > (what === 'remove' ? 1 : 0)) throw tooMany(what, args.slice(what === 'remove' ? 1 : 0));
  const state = await runningLab(await stateDirFor(process.cwd(), values.file));
  if (request) return inject(state, request, values.detach === true, out);
  switch (what) {
    case 'list': {
      const { scenarios } = await callLab<{ scenarios: ChaosScenarioInfo[] }>(state, 'GET', '/api/chaos/scenarios');
      out.write(values.json ? `${JSON.stringify(scenarios, null, 2)}\n` : listTable(scenarios));
      return 0;
    }
    case 'status': {
      const { faults } = await callLab<ChaosStatus>(state, 'GET', '/api/chaos');
      if (values.json) out.write(`${JSON.stringify(faults, null, 2)}\n`);
      else out.write(faults.length === 0 ? 'cloudlab: no fault is active\n' : faultTable(faults));
      return 0;
    }
    case 'reset': {
      const { removed } = await callLab<ChaosRemoved>(state, 'POST', '/api/chaos/reset');
      out.write(`cloudlab: reset: ${removed.length} fault(s) removed; every proxy enabled, no toxic, no flag\n${removed.length ? faultTable(removed) : ''}`);
      return 0;
    }
    default: {
      const id = args[0];
      if (id === undefined) throw new LabError('LAB_CLI_BAD_FLAG', 'cloudlab chaos remove takes a fault id (f3, toxic:postgres/lag, proxy:cache, flag:cpuHog), received none; cloudlab chaos status lists them');
      const { removed } = await callLab<ChaosRemoved>(state, 'DELETE', `/api/chaos/${encodeURIComponent(id)}`);
      for (const f of removed) out.write(`cloudlab: removed ${f.id}: ${f.detail}\n`);
      return 0;
    }
  }
}
