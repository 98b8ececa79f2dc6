/** Adds a toxic to a proxy, or changes one: checked here first, then by the proxy. */
import { useState } from 'preact/hooks';
import { addToxic, updateToxic } from './chaos-api.js';
import { ToxicFields } from './toxic-fields.js';
import { checkDraft, draftFor } from './toxic-types.js';
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

  return (
    <form class="toxic-form" aria-label={editing ? `Change toxic ${toxic.name} on ${proxy}` : `Add a toxic to ${proxy}`} onSubmit={(e) => void submit(e)} noValidate>
      <div class="fields">
        <ToxicFields idPrefix={`toxic-${proxy}-${toxic?.name ?? 'new'}`} draft={draft} setDraft={setDraft} problems={problems} editing={editing} />
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
