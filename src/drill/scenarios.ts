/**
 * The chaos scenarios a drill's faults may name. With a lab running, its own list
 * (`GET /api/chaos/scenarios`) is authoritative, availability included; without one
 * (`--dry-run`, or a lab too old to list them) this static list is.
 */

export interface KnownScenario {
  name: string;
  /** Happens at once and leaves nothing to undo: a duration makes no sense. */
  instant: boolean;
  /** False when the lab lacks the part it needs; `reason` says which. */
  available: boolean;
  reason: string | null;
  /** The value must be given (the lab has no default). */
  valueRequired: boolean;
  valueName: string | null;
  targetRequired: boolean;
}

const INSTANT = new Set(['kill-replica', 'restart-postgres', 'flush-cache']);

export const STATIC_SCENARIOS: readonly string[] = Object.freeze([
  'postgres-latency',
  'postgres-outage',
  'postgres-bandwidth',
  'cache-latency',
  'cache-outage',
  'payments-latency',
  'payments-errors',
  'reset-peer',
  'toxic',
  'kill-replica',
  'restart-postgres',
  'flush-cache',
  'postgres-connections',
  'flag',
]);

/** The static list, as KnownScenarios (values and targets unchecked: the lab checks them). */
export function staticScenarios(): KnownScenario[] {
  return STATIC_SCENARIOS.map((name) => ({ name, instant: INSTANT.has(name), available: true, reason: null, valueRequired: false, valueName: null, targetRequired: false }));
}

/** Reads `GET /api/chaos/scenarios` (`{ scenarios: [...] }` or a bare list of ChaosScenarioInfo). */
export function scenariosFromApi(body: unknown): KnownScenario[] | null {
  const list = Array.isArray(body) ? body : body !== null && typeof body === 'object' ? (body as { scenarios?: unknown }).scenarios : undefined;
  if (!Array.isArray(list)) return null;
  const out: KnownScenario[] = [];
  for (const item of list) {
    if (item === null || typeof item !== 'object') continue;
    const info = item as Record<string, unknown>;
    if (typeof info['name'] !== 'string') continue;
    const value = info['value'] as { name?: unknown; required?: unknown; default?: unknown } | null | undefined;
    const target = info['target'] as { required?: unknown; default?: unknown } | null | undefined;
    out.push({
      name: info['name'],
      instant: info['instant'] === true,
      available: info['available'] !== false,
      reason: typeof info['reason'] === 'string' ? info['reason'] : null,
      valueRequired: value?.required === true && (value.default === null || value.default === undefined),
      valueName: typeof value?.name === 'string' ? value.name : null,
      targetRequired: target?.required === true && (target.default === null || target.default === undefined),
    });
  }
  return out;
}
