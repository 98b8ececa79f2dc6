/**
 * The wire shapes of the control API's chaos routes (`/api/chaos*`), shared by the lab
 * (which owns faults and their timers), `cloudlab chaos`, and the drills.
 */

/** One named scenario, as `GET /api/chaos/scenarios` lists it. */
export interface ChaosScenarioInfo {
  /** `postgres-latency`, `cache-outage`, `kill-replica`, `toxic`, ... */
  name: string;
  /** One line: what it does to the lab. */
  summary: string;
  /** The value it takes (`latency_ms`, `ratio`, ...), or null for none. */
  value: { name: string; unit: string; required: boolean; default: number | string | null } | null;
  /** What it acts on (a proxy, a service), or null. */
  target: { name: string; required: boolean; default: string | null } | null;
  /** `true` when it happens at once and leaves nothing to undo (kill-replica, restart-postgres, flush-cache). */
  instant: boolean;
  /** The nearest AWS FIS action, for docs/chaos.md and the CLI's list. */
  fisAction: string;
  /** False when this lab lacks the part it needs; `reason` then says which. */
  available: boolean;
  reason: string | null;
}

/** The body of `POST /api/chaos`. */
export interface ChaosRequest {
  scenario: string;
  value?: number | string;
  target?: string;
  /** Removed by the lab itself after this long; omitted: active until removed or reset. */
  durationMs?: number;
  /** Only for `scenario: "toxic"`: a raw Toxiproxy toxic on `target` (a proxy name). */
  toxic?: { type: string; name?: string; stream?: 'upstream' | 'downstream'; toxicity?: number; attributes?: Record<string, number> };
}

/** Something that makes the lab misbehave now. */
export interface ActiveFault {
  /** `f1`, `f2`, ... for faults injected through chaos; `toxic:<proxy>/<toxic>`, `proxy:<proxy>`, `flag:<key>` for ones applied another way (the proxy's API, the flags API). */
  id: string;
  origin: 'chaos' | 'proxy' | 'flag';
  /** The scenario for `chaos` faults; `toxic`, `outage` or `flag` for the others. */
  scenario: string;
  value: number | string | null;
  target: string | null;
  /** One line for people: `latency 2000 ms on postgres (downstream)`. */
  detail: string;
  startedAtMs: number | null;
  /** When the lab removes it by itself, or null. */
  expiresAtMs: number | null;
}

/** `GET /api/chaos`. */
export interface ChaosStatus {
  faults: ActiveFault[];
}

/** `POST /api/chaos` answers 201 with the fault (for an instant scenario: `fault.expiresAtMs` null and it is not kept as active). */
export interface ChaosInjected {
  fault: ActiveFault;
}

/** `DELETE /api/chaos/{id}` answers 200 with `{ removed }`; `POST /api/chaos/reset` with `{ removed: [...] }`. */
export interface ChaosRemoved {
  removed: ActiveFault[];
}
