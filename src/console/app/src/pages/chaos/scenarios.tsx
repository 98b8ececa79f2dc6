/**
 * Scenarios: one-click buttons for the common faults, then every named scenario of
 * `GET /api/chaos/scenarios` as a form. All of them go through POST /api/chaos.
 */
import { useState } from 'preact/hooks';
import { ApiError } from '../../api.js';
import { href } from '../../router.js';
import { inject } from './faults-api.js';
import type { ChaosRequest, ChaosScenarioInfo } from './faults-api.js';
import { ScenarioForm } from './scenario-form.js';
import type { TargetChoices } from './scenario-form.js';

interface Quick {
  title: string;
  what: string;
  request: ChaosRequest;
}

/** Active until removed (Remove or Reset all above); the forms below set a duration. */
const QUICK: Quick[] = [
  { title: 'Database latency', what: 'adds 300 ms to every reply from postgres', request: { scenario: 'postgres-latency', value: 300 } },
  { title: 'Database outage', what: 'disables the postgres proxy: connections are refused', request: { scenario: 'postgres-outage' } },
  { title: 'Cache outage', what: 'disables the cache proxy: the menu falls back to postgres', request: { scenario: 'cache-outage' } },
  { title: 'Payment errors', what: 'half of the charges answer 503 (flag paymentFailureRate 0.5)', request: { scenario: 'payments-errors', value: 0.5 } },
  { title: 'Kill a replica', what: 'SIGKILLs one replica, as a crash would; the supervisor restarts it', request: { scenario: 'kill-replica' } },
];

export interface ScenariosProps {
  /** null until loaded. */
  scenarios: ChaosScenarioInfo[] | null;
  choices: TargetChoices;
  onChange: () => void;
}

export function Scenarios({ scenarios, choices, onChange }: ScenariosProps) {
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (q: Quick, instant: boolean): Promise<void> => {
    setBusy(true);
    setMessage(null);
    try {
      const fault = await inject(q.request);
      const after = instant ? 'it happened at once, nothing to remove' : 'remove it from the Active list above';
      setMessage({ ok: true, text: `${q.title}: ${fault.detail}. Watch the Overview charts; ${after}.` });
      onChange();
    } catch (err) {
      setMessage({ ok: false, text: `${q.title} failed: ${(err as Error).message}${err instanceof ApiError ? ` [${err.code}]` : ''}` });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="scenarios-title">
      <h2 id="scenarios-title">Scenarios</h2>
      <ul class="quick-scenarios">
        {QUICK.map((q) => {
          const info = scenarios?.find((s) => s.name === q.request.scenario);
          const missing = scenarios !== null && !info ? `this lab does not know the scenario ${q.request.scenario}` : info && !info.available ? info.reason : null;
          const describedBy = `quick-${q.request.scenario}`;
          return (
            <li>
              <button type="button" class="primary" disabled={busy || scenarios === null || missing !== null} aria-describedby={describedBy} onClick={() => void run(q, info?.instant ?? false)}>
                {q.title}
              </button>
              <span id={describedBy} class="muted">
                {missing ? `not available: ${missing}` : q.what} <code class="small">{q.request.scenario}</code>
              </span>
            </li>
          );
        })}
      </ul>
      <p role="status" class={message && !message.ok ? 'error' : 'muted'} data-testid="quick-message">
        {message ? message.text : null}
        {message?.ok ? (
          <>
            {' '}
            <a href={href('overview')}>Open the Overview</a>
          </>
        ) : null}
      </p>
      <h3 class="sub">Every scenario</h3>
      {scenarios === null ? (
        <p class="muted">Loading the scenarios…</p>
      ) : (
        <div class="scenario-grid">
          {scenarios.map((s) => (
            <ScenarioForm key={s.name} scenario={s} choices={choices} onInjected={onChange} />
          ))}
        </div>
      )}
    </section>
  );
}
