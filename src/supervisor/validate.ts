/** Checks a ServiceSpec and the ProcessSpec its build() returns, with messages naming the field. */
import { LabError, describeValue } from '../errors.js';
import type { ProcessSpec, ServiceSpec } from './types.js';

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const POLICIES = ['no', 'always', 'on-failure', 'unless-stopped'];
const STOP_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGQUIT'];
const READINESS = ['tcp', 'http', 'sql', 'none'];

function bad(message: string): LabError {
  return new LabError('LAB_SUPERVISOR_BAD_SPEC', message);
}

function wholeNumber(value: unknown, min: number): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= min;
}

export function checkReplicaCount(where: string, value: unknown): number {
  if (!wholeNumber(value, 0)) throw bad(`${where}: replicas must be a whole number >= 0, received ${describeValue(value)}`);
  return value as number;
}

export function checkServiceSpec(spec: ServiceSpec): ServiceSpec {
  if (typeof spec?.name !== 'string' || !NAME.test(spec.name)) {
    throw bad(`service name must be letters, digits, "_", "." or "-" (it names the log file), received ${describeValue(spec?.name)}`);
  }
  const where = `service ${spec.name}`;
  checkReplicaCount(where, spec.replicas);
  if (!POLICIES.includes(spec.restart)) throw bad(`${where}: restart must be one of ${POLICIES.join(', ')}, received ${describeValue(spec.restart)}`);
  if (typeof spec.assignPorts !== 'boolean') throw bad(`${where}: assignPorts must be true or false, received ${describeValue(spec.assignPorts)}`);
  const build = (spec as unknown as Record<string, unknown>)['build'];
  if (typeof build !== 'function') throw bad(`${where}: build must be a function (replica) => ProcessSpec, received ${describeValue(build)}`);
  const health = (spec.health ?? {}) as unknown as Record<string, unknown>;
  for (const key of ['intervalMs', 'timeoutMs', 'startPeriodMs'] as const) {
    if (!wholeNumber(health[key], 1)) throw bad(`${where}: health.${key} must be a whole number of milliseconds >= 1, received ${describeValue(health[key])}`);
  }
  if (!wholeNumber(health['retries'], 1)) throw bad(`${where}: health.retries must be a whole number >= 1, received ${describeValue(health['retries'])}`);
  return spec;
}

export function checkProcessSpec(spec: ProcessSpec, label: string): ProcessSpec {
  const where = `${label}: build() returned a spec whose`;
  if (typeof spec?.command !== 'string' || spec.command === '') throw bad(`${where} command must be a non-empty string, received ${describeValue(spec?.command)}`);
  if (!Array.isArray(spec.args) || spec.args.some((a) => typeof a !== 'string')) throw bad(`${where} args must be an array of strings, received ${describeValue(spec.args)}`);
  if (typeof spec.cwd !== 'string' || spec.cwd === '') throw bad(`${where} cwd must be a directory path, received ${describeValue(spec.cwd)}`);
  if (typeof spec.env !== 'object' || spec.env === null) throw bad(`${where} env must be an object of strings, received ${describeValue(spec.env)}`);
  if (!STOP_SIGNALS.includes(spec.stopSignal)) throw bad(`${where} stopSignal must be one of ${STOP_SIGNALS.join(', ')}, received ${describeValue(spec.stopSignal)}`);
  if (!wholeNumber(spec.stopTimeoutMs, 0)) throw bad(`${where} stopTimeoutMs must be a whole number of milliseconds >= 0, received ${describeValue(spec.stopTimeoutMs)}`);
  if (!READINESS.includes(spec.readiness?.type)) throw bad(`${where} readiness.type must be one of ${READINESS.join(', ')}, received ${describeValue(spec.readiness?.type)}`);
  return spec;
}
