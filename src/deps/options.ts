/** Checks of the options preparePostgres and prepareCache take; each failure names the option and what arrived. */
import { describeValue, LabError } from '../errors.js';

export function requirePort(value: unknown, option: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 65_535) {
    throw new LabError('LAB_DEPS_BAD_OPTION', `${option} must be an integer from 0 to 65535 (0 for a free port), received ${describeValue(value)}`);
  }
  return value;
}

export function requireText(value: unknown, option: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new LabError('LAB_DEPS_BAD_OPTION', `${option} must be a non-empty string, received ${describeValue(value)}`);
  }
  return value;
}

export function requireOneOf<T extends string>(value: unknown, allowed: readonly T[], option: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new LabError('LAB_DEPS_BAD_OPTION', `${option} must be one of ${allowed.map((a) => `"${a}"`).join(', ')}, received ${describeValue(value)}`);
  }
  return value as T;
}
