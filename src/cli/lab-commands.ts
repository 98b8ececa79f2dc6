/** `cloudlab status`, `ps`, `restart <service>` and `scale <service>=N`: calls to the running lab's control API. */
import { LabError, describeValue } from '../errors.js';
import type { LabStatus } from '../control/index.js';
import { parseFlags } from './args.js';
import { callLab, runningLab, stateDirFor } from './lab-client.js';

export const STATUS_HELP = `Usage: cloudlab status [--json] [-f cloudlab.yaml]\n\nEvery part of the running lab with its state, detail and URL.\n`;
export const PS_HELP = `Usage: cloudlab ps [--json] [-f cloudlab.yaml]\n\nEvery replica of every service: id, pid, port, state, restarts, uptime.\n`;
export const RESTART_HELP = `Usage: cloudlab restart <service> [-f cloudlab.yaml]\n\nRestarts a service's replicas one at a time, each ready before the next.\n`;
export const SCALE_HELP = `Usage: cloudlab scale <service>=<replicas> [-f cloudlab.yaml]\n\nAdds or removes replicas (0 to 32); the edge follows.\n`;

const COMMON = { file: { type: 'string', short: 'f' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } as const;

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]! + 2))).join('').trimEnd()).join('\n') + '\n';
}

function uptime(startedAtMs: number | null): string {
  if (startedAtMs === null) return '-';
  const s = Math.round((Date.now() - startedAtMs) / 1000);
  return s < 60 ? `${s}s` : s < 3600 ? `${Math.floor(s / 60)}m${s % 60}s` : `${Math.floor(s / 3600)}h${Math.floor((s % 3600) / 60)}m`;
}

async function status(command: string, argv: string[], out: NodeJS.WritableStream, help: string): Promise<{ status: LabStatus; json: boolean } | null> {
  const { values } = parseFlags(command, argv, COMMON);
  if (values.help) {
    out.write(help);
    return null;
  }
  const state = await runningLab(await stateDirFor(process.cwd(), values.file));
  return { status: await callLab<LabStatus>(state, 'GET', '/api/status'), json: values.json === true };
}

export async function runStatusCommand(argv: string[], out: NodeJS.WritableStream): Promise<number> {
  const got = await status('status', argv, out, STATUS_HELP);
  if (!got) return 0;
  if (got.json) {
    out.write(`${JSON.stringify(got.status, null, 2)}\n`);
    return 0;
  }
  const s = got.status;
  out.write(`lab "${s.name}" (pid ${s.pid}, up ${uptime(s.startedAtMs)}, config ${s.configFile ?? 'built-in cafe demo'})\n\n`);
  out.write(table([['PART', 'KIND', 'STATE', 'DETAIL', 'URL'], ...s.parts.map((p) => [p.name, p.kind, p.state, p.detail, p.url ?? ''])]));
  return s.parts.every((p) => p.state === 'ready' || p.state === 'external') ? 0 : 3;
}

export async function runPsCommand(argv: string[], out: NodeJS.WritableStream): Promise<number> {
  const got = await status('ps', argv, out, PS_HELP);
  if (!got) return 0;
  const replicas = got.status.parts.flatMap((p) => (p.replicas ?? []).map((r) => ({ service: p.name, ...r })));
  if (got.json) {
    out.write(`${JSON.stringify(replicas, null, 2)}\n`);
    return 0;
  }
  out.write(table([['REPLICA', 'SERVICE', 'PID', 'PORT', 'STATE', 'RESTARTS', 'UPTIME'], ...replicas.map((r) => [r.id, r.service, String(r.pid ?? '-'), String(r.port), r.state, String(r.restarts), uptime(r.startedAtMs)])]));
  return 0;
}

export async function runRestartCommand(argv: string[], out: NodeJS.WritableStream): Promise<number> {
  const { values, positionals } = parseFlags('restart', argv, COMMON);
  if (values.help) {
    out.write(RESTART_HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new LabError('LAB_CLI_BAD_FLAG', `cloudlab restart takes one service name, received ${describeValue(positionals)}; see cloudlab restart --help`);
  const state = await runningLab(await stateDirFor(process.cwd(), values.file));
  await callLab(state, 'POST', `/api/services/${encodeURIComponent(positionals[0]!)}/restart`);
  out.write(`cloudlab: restarted ${positionals[0]}\n`);
  return 0;
}

export async function runScaleCommand(argv: string[], out: NodeJS.WritableStream): Promise<number> {
  const { values, positionals } = parseFlags('scale', argv, COMMON);
  if (values.help) {
    out.write(SCALE_HELP);
    return 0;
  }
  const m = positionals.length === 1 ? /^([a-z][a-z0-9-]*)=(\d+)$/.exec(positionals[0]!) : null;
  if (!m) throw new LabError('LAB_CLI_BAD_FLAG', `cloudlab scale takes <service>=<replicas> such as cafe=3, received ${describeValue(positionals.join(' '))}`);
  const state = await runningLab(await stateDirFor(process.cwd(), values.file));
  await callLab(state, 'POST', `/api/services/${m[1]}/scale`, { replicas: Number(m[2]) });
  out.write(`cloudlab: ${m[1]} scaled to ${m[2]} replica(s)\n`);
  return 0;
}
