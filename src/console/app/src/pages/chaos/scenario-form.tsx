/**
 * One named scenario as a form: its value (checked by its unit), its target (a proxy, a
 * service or a flag), how long the lab keeps it, and Inject (POST /api/chaos). Each problem is
 * shown beside its field and read out with it; the lab's refusal is shown under the button.
 */
import { useState } from 'preact/hooks';
import { ApiError } from '../../api.js';
import { inject } from './faults-api.js';
import type { ActiveFault, ChaosRequest, ChaosScenarioInfo } from './faults-api.js';
import { DURATION_CHOICES, checkDuration, checkValue, formatCountdown, valueHint } from './scenario-checks.js';
import type { DurationChoice } from './scenario-checks.js';
import { ToxicFields } from './toxic-fields.js';
import { checkDraft, draftFor } from './toxic-types.js';
import type { ToxicDraft } from './toxic-types.js';

export interface TargetChoices {
  /** null until loaded. */
  proxies: string[] | null;
  services: string[];
  flags: string[];
}

export interface ScenarioFormProps {
  scenario: ChaosScenarioInfo;
  choices: TargetChoices;
  onInjected: () => void;
}

function optionsFor(target: NonNullable<ChaosScenarioInfo['target']>, choices: TargetChoices): string[] {
  if (target.name === 'proxy') return choices.proxies ?? [];
  if (target.name === 'service') return choices.services;
  if (target.name === 'flag') return choices.flags;
  return [];
}

function injectedText(s: ChaosScenarioInfo, fault: ActiveFault): string {
  if (s.instant) return `${s.name}: done, ${fault.detail}.`;
  const until = fault.expiresAtMs === null ? 'active until you remove it' : `the lab removes it in ${formatCountdown(fault.expiresAtMs - Date.now())}`;
  return `${s.name} injected as ${fault.id}: ${fault.detail}; ${until}.`;
}

export function ScenarioForm({ scenario: s, choices, onInjected }: ScenarioFormProps) {
  const [value, setValue] = useState('');
  const [target, setTarget] = useState('');
  const [duration, setDuration] = useState<DurationChoice>('none');
  const [custom, setCustom] = useState('90s');
  const [toxic, setToxic] = useState<ToxicDraft>(() => draftFor('latency'));
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const id = (field: string): string => `scenario-${s.name}-${field}`;
  const targets = s.target ? optionsFor(s.target, choices) : [];
  // Without a pick: the scenario's default, else the first choice when one is required.
  const chosenTarget = target || (s.target && !s.target.default && s.target.required ? (targets[0] ?? '') : '');

  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    const found: Record<string, string> = {};
    const body: ChaosRequest = { scenario: s.name };
    if (s.value) {
      const checked = checkValue(s.value, value);
      if (!checked.ok) found['value'] = checked.problem;
      else if (checked.value !== undefined) body.value = checked.value;
    }
    if (s.target) {
      if (chosenTarget) body.target = chosenTarget;
      else if (s.target.required && !s.target.default) found['target'] = `pick a ${s.target.name}: this lab has none to act on`;
    }
    if (!s.instant) {
      const checked = checkDuration(duration, custom);
      if (!checked.ok) found['duration'] = checked.problem;
      else if (checked.value !== null) body.durationMs = checked.value;
    }
    if (s.name === 'toxic') {
      const checked = checkDraft(toxic);
      if (!checked.ok) Object.assign(found, checked.problems);
      else body.toxic = checked.toxic;
    }
    setProblems(found);
    setMessage(null);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      setMessage({ ok: true, text: injectedText(s, await inject(body)) });
      onInjected();
    } catch (err) {
      setMessage({ ok: false, text: `The lab refused: ${(err as Error).message}${err instanceof ApiError ? ` [${err.code}]` : ''}` });
    } finally {
      setBusy(false);
    }
  };

  const problem = (field: string) =>
    problems[field] ? (
      <span class="error field-error" id={id(`${field}-error`)}>
        {problems[field]}
      </span>
    ) : null;
  const described = (field: string, hint?: string) => {
    const ids = [hint, problems[field] ? id(`${field}-error`) : undefined].filter(Boolean).join(' ');
    return { ...(problems[field] ? { 'aria-invalid': true } : {}), ...(ids ? { 'aria-describedby': ids } : {}) };
  };

  return (
    <article class="scenario-card" aria-labelledby={id('title')} data-testid="scenario-form" data-scenario={s.name}>
      <h3 id={id('title')}>{s.name}</h3>
      <p class="muted" id={id('summary')}>
        {s.summary}
      </p>
      {s.available ? null : (
        <p class="unavailable" id={id('reason')}>
          Not available: {s.reason}
        </p>
      )}
      <form onSubmit={(e) => void submit(e)} noValidate aria-label={`Inject ${s.name}`}>
        <fieldset disabled={!s.available || busy}>
          <legend class="sr-only">{s.name}</legend>
          <div class="fields">
            {s.value ? (
              <div class="field">
                <label for={id('value')}>
                  {s.value.name} ({s.value.unit})
                </label>
                <input
                  id={id('value')}
                  value={value}
                  inputMode={s.value.unit === 'true/false/number/string' ? 'text' : 'decimal'}
                  placeholder={s.value.default === null ? '' : `default: ${s.value.default}`}
                  onInput={(e) => setValue((e.target as HTMLInputElement).value)}
                  {...described('value', id('value-hint'))}
                />
                <span class="hint" id={id('value-hint')}>
                  {valueHint(s.value)}
                  {s.value.required ? '' : ', optional'}
                </span>
                {problem('value')}
              </div>
            ) : null}
            {s.target ? (
              <div class="field">
                <label for={id('target')}>{s.target.name}</label>
                <select id={id('target')} value={chosenTarget} onChange={(e) => setTarget((e.target as HTMLSelectElement).value)} {...described('target')}>
                  {s.target.default || !s.target.required ? <option value="">{s.target.default ? `default: ${s.target.default}` : 'default'}</option> : null}
                  {targets.length === 0 && s.target.required && !s.target.default ? <option value="">none in this lab</option> : null}
                  {targets.map((t) => (
                    <option value={t}>{t}</option>
                  ))}
                </select>
                {problem('target')}
              </div>
            ) : null}
            {s.name === 'toxic' ? <ToxicFields idPrefix={id('toxic')} draft={toxic} setDraft={setToxic} problems={problems} /> : null}
            {s.instant ? (
              <span class="hint">happens at once; nothing to remove</span>
            ) : (
              <div class="field">
                <label for={id('duration')}>Duration</label>
                <select id={id('duration')} value={duration} onChange={(e) => setDuration((e.target as HTMLSelectElement).value as DurationChoice)}>
                  {DURATION_CHOICES.map((c) => (
                    <option value={c.id}>{c.label}</option>
                  ))}
                </select>
              </div>
            )}
            {!s.instant && duration === 'custom' ? (
              <div class="field">
                <label for={id('custom')}>Custom duration</label>
                <input id={id('custom')} value={custom} onInput={(e) => setCustom((e.target as HTMLInputElement).value)} {...described('duration', id('custom-hint'))} />
                <span class="hint" id={id('custom-hint')}>
                  100ms to 24h: 90s, 2m, 1h
                </span>
                {problem('duration')}
              </div>
            ) : null}
          </div>
          <button type="submit" class="primary" aria-describedby={s.available ? id('summary') : id('reason')}>
            {s.instant ? `Run ${s.name}` : `Inject ${s.name}`}
          </button>
        </fieldset>
      </form>
      <p role="status" class={message && !message.ok ? 'error' : 'muted'} data-testid="scenario-message">
        {message?.text}
      </p>
      <small class="fis">
        Nearest AWS FIS action: <code>{s.fisAction}</code>
      </small>
    </article>
  );
}
