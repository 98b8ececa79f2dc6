/**
 * A toxic's fields (type, name, stream, toxicity, the type's attributes), each with its problem
 * beside it: shared by the proxy's "Add a toxic" form and the "toxic" scenario.
 */
import { TOXIC_TYPES, draftFor, specFor } from './toxic-types.js';
import type { ToxicDraft } from './toxic-types.js';

export interface ToxicFieldsProps {
  /** Makes the ids unique on the page. */
  idPrefix: string;
  draft: ToxicDraft;
  setDraft: (draft: ToxicDraft) => void;
  problems: Record<string, string>;
  /** Changing a toxic in place: its type, name and stream are fixed. */
  editing?: boolean;
}

export function ToxicFields({ idPrefix, draft, setDraft, problems, editing = false }: ToxicFieldsProps) {
  const spec = specFor(draft.type);
  const id = (field: string): string => `${idPrefix}-${field}`;
  const problem = (field: string) =>
    problems[field] ? (
      <span class="error field-error" id={id(`${field}-error`)}>
        {problems[field]}
      </span>
    ) : null;
  const described = (field: string) => (problems[field] ? { 'aria-invalid': true, 'aria-describedby': id(`${field}-error`) } : {});

  return (
    <>
      <div class="field">
        <label for={id('type')}>Type</label>
        <select id={id('type')} value={draft.type} disabled={editing} onChange={(e) => setDraft(draftFor((e.target as HTMLSelectElement).value))}>
          {TOXIC_TYPES.map((t) => (
            <option value={t.type}>{t.label}</option>
          ))}
        </select>
        {problem('type')}
      </div>
      {editing ? null : (
        <div class="field">
          <label for={id('name')}>Name (optional)</label>
          <input id={id('name')} value={draft.name} placeholder={`${draft.type}_${draft.stream}`} onInput={(e) => setDraft({ ...draft, name: (e.target as HTMLInputElement).value })} {...described('name')} />
          {problem('name')}
        </div>
      )}
      <div class="field">
        <label for={id('stream')}>Stream</label>
        <select id={id('stream')} value={draft.stream} disabled={editing || spec?.upstreamOnly} onChange={(e) => setDraft({ ...draft, stream: (e.target as HTMLSelectElement).value as ToxicDraft['stream'] })}>
          <option value="downstream">downstream (replies)</option>
          <option value="upstream">upstream (requests)</option>
        </select>
        {problem('stream')}
      </div>
      <div class="field">
        <label for={id('toxicity')}>Toxicity (0..1)</label>
        <input id={id('toxicity')} inputMode="decimal" value={draft.toxicity} onInput={(e) => setDraft({ ...draft, toxicity: (e.target as HTMLInputElement).value })} {...described('toxicity')} />
        {problem('toxicity')}
      </div>
      {(spec?.attributes ?? []).map((a) => (
        <div class="field">
          <label for={id(a.key)}>
            {a.label}
            {a.optional ? ' (optional)' : ''}
          </label>
          <input
            id={id(a.key)}
            inputMode={a.kind === 'text' ? 'text' : a.kind === 'prob' ? 'decimal' : 'numeric'}
            value={draft.attributes[a.key] ?? ''}
            onInput={(e) => setDraft({ ...draft, attributes: { ...draft.attributes, [a.key]: (e.target as HTMLInputElement).value } })}
            {...described(a.key)}
          />
          {problem(a.key)}
        </div>
      ))}
    </>
  );
}
