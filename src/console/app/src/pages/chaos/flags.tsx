/** The services' failure flags (the cafe's, examples/cafe/README.md "Failure flags"): set and clear. */
import { useState } from 'preact/hooks';
import { clearFlag, setFlag } from './chaos-api.js';
import type { FlagValue } from './chaos-api.js';

interface FlagSpec {
  key: string;
  kind: 'ms' | 'prob' | 'kib' | 'bool';
  what: string;
  initial: string;
}

export const KNOWN_FLAGS: FlagSpec[] = [
  { key: 'slowMenuQueryMs', kind: 'ms', what: 'the menu query sleeps this long inside postgres (ms)', initial: '500' },
  { key: 'paymentFailureRate', kind: 'prob', what: 'payments answers 503 for this fraction of charges (0..1)', initial: '0.5' },
  { key: 'cpuHog', kind: 'ms', what: 'each cafe request busy-loops this long on the event loop (ms)', initial: '20' },
  { key: 'memoryLeak', kind: 'kib', what: 'each cafe request retains this much memory (KiB)', initial: '64' },
  { key: 'cacheDisabled', kind: 'bool', what: 'the menu skips the cache and reads postgres every time', initial: 'true' },
];

function parse(spec: FlagSpec, raw: string): { ok: true; value: FlagValue } | { ok: false; problem: string } {
  if (spec.kind === 'bool') return { ok: true, value: raw === 'true' };
  const n = Number(raw.trim());
  if (raw.trim() === '' || !Number.isFinite(n)) return { ok: false, problem: `${spec.key} must be a number, received "${raw}"` };
  if (spec.kind === 'prob' && (n < 0 || n > 1)) return { ok: false, problem: `${spec.key} must be from 0 to 1, received ${n}` };
  if (n < 0) return { ok: false, problem: `${spec.key} must be >= 0, received ${n}` };
  return { ok: true, value: n };
}

function FlagRow({ spec, value, onChange }: { spec: FlagSpec; value: FlagValue | undefined; onChange: () => void }) {
  const [draft, setDraft] = useState(spec.initial);
  const [error, setError] = useState<string | null>(null);
  const id = `flag-${spec.key}`;
  const act = async (what: () => Promise<unknown>): Promise<void> => {
    setError(null);
    try {
      await what();
      onChange();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const submit = (e: Event): void => {
    e.preventDefault();
    const parsed = parse(spec, draft);
    if (!parsed.ok) setError(parsed.problem);
    else void act(() => setFlag(spec.key, parsed.value));
  };
  return (
    <tr>
      <th scope="row">
        <code>{spec.key}</code>
        <div class="muted">{spec.what}</div>
      </th>
      <td>{value === undefined ? <span class="muted">off</span> : <span class="badge bad">{JSON.stringify(value)}</span>}</td>
      <td>
        <form class="inline" onSubmit={submit} noValidate>
          <label for={id} class="sr-only">
            Value for {spec.key}
          </label>
          {spec.kind === 'bool' ? (
            <select id={id} value={draft} onChange={(e) => setDraft((e.target as HTMLSelectElement).value)}>
              <option value="true">true</option>
              <option value="false">false</option>
            </select>
          ) : (
            <input id={id} size={6} inputMode="decimal" value={draft} aria-invalid={error ? true : undefined} onInput={(e) => setDraft((e.target as HTMLInputElement).value)} />
          )}
          <button type="submit">Set {spec.key}</button>
          <button type="button" disabled={value === undefined} onClick={() => void act(() => clearFlag(spec.key))}>
            Clear {spec.key}
          </button>
        </form>
        {error ? (
          <p class="error" role="alert">
            {error}
          </p>
        ) : null}
      </td>
    </tr>
  );
}

export function Flags({ flags, onChange }: { flags: Record<string, FlagValue>; onChange: () => void }) {
  return (
    <section aria-labelledby="flags-title">
      <h2 id="flags-title">Failure flags</h2>
      <p class="muted">Read by the services within a second (through OpenFeature or the flags file); no restart needed.</p>
      <table>
        <thead>
          <tr>
            <th scope="col">Flag</th>
            <th scope="col">Now</th>
            <th scope="col">Change</th>
          </tr>
        </thead>
        <tbody>
          {KNOWN_FLAGS.map((spec) => (
            <FlagRow key={spec.key} spec={spec} value={flags[spec.key]} onChange={onChange} />
          ))}
        </tbody>
      </table>
    </section>
  );
}
