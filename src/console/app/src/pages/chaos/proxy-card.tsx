/** One proxy: its state, an outage switch, its toxics with change and remove, and the add form. */
import { useState } from 'preact/hooks';
import { removeToxic, setProxyEnabled } from './chaos-api.js';
import { ToxicForm } from './toxic-form.js';
import { describeToxic } from './toxic-types.js';
import type { Proxy } from './toxic-types.js';

export interface ProxyCardProps {
  proxy: Proxy;
  /** Reload after a change. */
  onChange: () => void;
}

export function ProxyCard({ proxy, onChange }: ProxyCardProps) {
  const [editing, setEditing] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const act = async (what: () => Promise<unknown>): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      await what();
      onChange();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const done = (): void => {
    setEditing(null);
    onChange();
  };

  return (
    <article class="proxy-card" aria-labelledby={`proxy-${proxy.name}`} data-testid="proxy-card">
      <header>
        <h3 id={`proxy-${proxy.name}`}>{proxy.name}</h3>
        <span class={`badge ${proxy.enabled ? 'ok' : 'bad'}`}>{proxy.enabled ? 'enabled' : 'disabled (outage)'}</span>
        <span class="muted">
          {proxy.listen} → {proxy.upstream}
        </span>
        <button type="button" class={proxy.enabled ? 'danger' : 'primary'} disabled={busy} onClick={() => void act(() => setProxyEnabled(proxy.name, !proxy.enabled))}>
          {proxy.enabled ? `Disable ${proxy.name}` : `Enable ${proxy.name}`}
        </button>
      </header>
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
      {proxy.toxics.length === 0 ? (
        <p class="muted">No toxics: traffic passes untouched.</p>
      ) : (
        <table>
          <caption class="sr-only">Toxics on {proxy.name}</caption>
          <thead>
            <tr>
              <th scope="col">Toxic</th>
              <th scope="col">What it does</th>
              <th scope="col">
                <span class="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {proxy.toxics.map((t) => (
              <>
                <tr data-testid="toxic-row">
                  <td>{t.name}</td>
                  <td>{describeToxic(t)}</td>
                  <td>
                    <div class="row-actions">
                    <button type="button" aria-expanded={editing === t.name} onClick={() => setEditing(editing === t.name ? null : t.name)}>
                      Change {t.name}
                    </button>
                    <button type="button" class="danger" disabled={busy} onClick={() => void act(() => removeToxic(proxy.name, t.name))}>
                      Remove {t.name}
                    </button>
                    </div>
                  </td>
                </tr>
                {editing === t.name ? (
                  <tr>
                    <td colSpan={3}>
                      <ToxicForm key={t.name} proxy={proxy.name} toxic={t} onDone={done} onCancel={() => setEditing(null)} />
                    </td>
                  </tr>
                ) : null}
              </>
            ))}
          </tbody>
        </table>
      )}
      {editing === '' ? (
        <ToxicForm proxy={proxy.name} onDone={done} onCancel={() => setEditing(null)} />
      ) : (
        <button type="button" aria-expanded="false" onClick={() => setEditing('')}>
          Add a toxic to {proxy.name}
        </button>
      )}
    </article>
  );
}
