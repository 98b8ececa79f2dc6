/** Adds a toxic to a proxy, or changes one: checked here first, then by the proxy. */
import { useState } from 'preact/hooks';
import { addToxic, updateToxic } from './chaos-api.js';
import { TOXIC_TYPES, checkDraft, draftFor, specFor } from './toxic-types.js';
import type { Toxic, ToxicDraft } from './toxic-types.js';

export interface ToxicFormProps {
  proxy: string;
  /** The toxic to change; without it the form adds a new one. */
  toxic?: Toxic | undefined;
  onDone: () => void;
  onCancel: () => void;
}

export function ToxicForm({ proxy, toxic, onDone, onCancel }: ToxicFormProps) {
  const [draft, setDraft] = useState<ToxicDraft>(() => draftFor(toxic?.type ?? 'latency', toxic));
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [refused, setRefused] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const editing = toxic !== undefined;
  const spec = specFor(draft.type);
  const id = (field: string): string => `toxic-${proxy}-${toxic?.name ?? 'new'}-${field}`;

  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    const checked = checkDraft(draft);
    setRefused(null);
    if (!checked.ok) {
      setProblems(checked.problems);
      return;
    }
    setProblems({});
    setBusy(true);
    try {
      if (editing) await updateToxic(proxy, toxic.name, checked.toxic);
      else await addToxic(proxy, checked.toxic);
      onDone();
    } catch (err) {
      setRefused((err as Error).message);
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
  const described = (field: string) => (problems[field] ? { 'aria-invalid': true, 'aria-describedby': id(`${field}-error`) } : {});

  return (
    <form class="toxic-form" aria-label={editing ? `Change toxic ${toxic.name} on ${proxy}` : `Add a toxic to ${proxy}`} onSubmit={(e) => void submit(e)} noValidate>
      <div class="fields">
        <label for={id('type')}>
          Type
          <select id={id('type')} value={draft.type} disabled={editing} onChange={(e) => setDraft(draftFor((e.target as HTMLSelectElement).value))}>
            {TOXIC_TYPES.map((t) => (
              <option value={t.type}>{t.label}</option>
            ))}
          </select>
          {problem('type')}
        </label>
        {editing ? null : (
          <label for={id('name')}>
            Name (optional)
            <input id={id('name')} value={draft.name} placeholder={`${draft.type}_${draft.stream}`} onInput={(e) => setDraft({ ...draft, name: (e.target as HTMLInputElement).value })} {...described('name')} />
            {problem('name')}
          </label>
        )}
        <label for={id('stream')}>
          Stream
          <select id={id('stream')} value={draft.stream} disabled={editing || spec?.upstreamOnly} onChange={(e) => setDraft({ ...draft, stream: (e.target as HTMLSelectElement).value as ToxicDraft['stream'] })}>
            <option value="downstream">downstream (replies)</option>
            <option value="upstream">upstream (requests)</option>
          </select>
          {problem('stream')}
        </label>
        <label for={id('toxicity')}>
          Toxicity (0..1)
          <input id={id('toxicity')} inputMode="decimal" value={draft.toxicity} onInput={(e) => setDraft({ ...draft, toxicity: (e.target as HTMLInputElement).value })} {...described('toxicity')} />
          {problem('toxicity')}
        </label>
        {(spec?.attributes ?? []).map((a) => (
          <label for={id(a.key)}>
            {a.label}
            {a.optional ? ' (optional)' : ''}
            <input
              id={id(a.key)}
              inputMode={a.kind === 'text' ? 'text' : a.kind === 'prob' ? 'decimal' : 'numeric'}
              value={draft.attributes[a.key] ?? ''}
              onInput={(e) => setDraft({ ...draft, attributes: { ...draft.attributes, [a.key]: (e.target as HTMLInputElement).value } })}
              {...described(a.key)}
            />
            {problem(a.key)}
          </label>
        ))}
      </div>
      {refused ? (
        <p class="error" role="alert">
          The proxy refused: {refused}
        </p>
      ) : null}
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>
          {editing ? `Save ${toxic.name}` : `Add toxic to ${proxy}`}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
