/** The Load page's form: a built-in scenario, optional users/duration/rate, start and stop. */
import { useState } from 'preact/hooks';
import { ApiError } from '../../api.js';
import { SCENARIOS, startLoad, stopLoad } from './load-api.js';
import type { LoadStart } from './load-api.js';

const DESCRIPTIONS: Record<string, string> = {
  steady: 'a calm, steady background of users reading the menu and ordering',
  'morning-rush': 'ramp up to a peak, hold, ramp down; mostly menu reads, some orders with idempotency keys',
  spike: 'a sudden burst of users, then back to normal',
};

export function LoadForm({ running, onChange }: { running: boolean; onChange: () => void }) {
  const [scenario, setScenario] = useState<string>('morning-rush');
  const [vus, setVus] = useState('');
  const [duration, setDuration] = useState('');
  const [rate, setRate] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const act = async (action: () => Promise<unknown>): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (err) {
      setError(err instanceof ApiError ? `${err.message} [${err.code}]` : String(err));
    } finally {
      setBusy(false);
      onChange();
    }
  };
  const start = (e: Event): void => {
    e.preventDefault();
    const body: LoadStart = { scenario };
    if (vus !== '') body.vus = Number(vus);
    if (duration !== '') body.durationMs = Math.round(Number(duration) * 1000);
    if (rate !== '') body.rate = Number(rate);
    void act(() => startLoad(body));
  };
  return (
    <form class="load-form" onSubmit={start} noValidate>
      <label>
        Scenario{' '}
        <select value={scenario} onChange={(e) => setScenario((e.target as HTMLSelectElement).value)} disabled={running} data-testid="load-scenario">
          {SCENARIOS.map((s) => (
            <option value={s}>{s}</option>
          ))}
        </select>
      </label>
      <label>
        Users <input type="number" min="1" placeholder="scenario's" value={vus} onInput={(e) => setVus((e.target as HTMLInputElement).value)} disabled={running} />
      </label>
      <label>
        Duration (s) <input type="number" min="1" placeholder="scenario's" value={duration} onInput={(e) => setDuration((e.target as HTMLInputElement).value)} disabled={running} />
      </label>
      <label>
        Rate (req/s) <input type="number" min="1" placeholder="open model only" value={rate} onInput={(e) => setRate((e.target as HTMLInputElement).value)} disabled={running} />
      </label>
      {running ? (
        <button type="button" class="danger" disabled={busy} onClick={() => void act(stopLoad)} data-testid="load-stop">
          Stop
        </button>
      ) : (
        <button type="submit" class="primary" disabled={busy} data-testid="load-start">
          Start load
        </button>
      )}
      <p class="muted">{DESCRIPTIONS[scenario]}</p>
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
    </form>
  );
}
