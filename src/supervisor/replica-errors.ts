/** The errors a replica's start ends with: each names the replica, the cause and the fix. */
import { LabError } from '../errors.js';
import { describeCheck } from './probes.js';
import type { ExitInfo } from './run-process.js';
import type { ProcessSpec, Readiness } from './types.js';

export function exitedBeforeReadyError(label: string, exit: ExitInfo, output: string[], spec: ProcessSpec): LabError {
  const how = exit.signal !== null ? `was killed by signal ${exit.signal}` : `exited with code ${exit.code}`;
  const printed = output.length === 0 ? 'it printed nothing; ' : `its last output:\n${output.map((line) => `  | ${line}`).join('\n')}\n`;
  const commandLine = [spec.command, ...spec.args].map((part) => (/^[\w./:=@-]+$/.test(part) ? part : JSON.stringify(part))).join(' ');
  return new LabError(
    'LAB_SUPERVISOR_EXITED',
    `${label} ${how} before it was ready; ${printed}fix: correct what the output names, or run it by hand to see the error: cd ${spec.cwd} && ${commandLine}`,
  );
}

export function notReadyError(label: string, readiness: Readiness, reason: string, startPeriodMs: number, port: number): LabError {
  const check = describeCheck(readiness);
  const result = reason.startsWith('answered') ? `${check} ${reason}` : `${check}: ${reason}`;
  const portHint = port > 0 ? ` (its PORT is ${port})` : '';
  return new LabError(
    'LAB_SUPERVISOR_NOT_READY',
    `${label} was not ready within its start period of ${startPeriodMs} ms; the last check: ${result}; fix: make the service answer where its check looks${portHint}, or raise health.startPeriodMs if it only needs longer`,
  );
}

export function stoppedError(label: string): LabError {
  return new LabError('LAB_SUPERVISOR_STOPPED', `${label} was stopped before it was ready (the supervisor or the service is stopping)`);
}
