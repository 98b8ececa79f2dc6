/**
 * Overview: for each service its RED metrics per route and its dependencies (cache, database,
 * circuit breakers), then the replicas with their health and the active load users. Every chart
 * follows the time range picker, refreshes every 2 s, shares the hover cursor and shows fault and
 * load markers.
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, labStatus } from '../api.js';
import type { LabEvent, LabStatus } from '../api.js';
import { useTick } from '../time-range.js';
import { DependencyCharts } from './overview/dependency-charts.js';
import { LoadUsers } from './overview/load-users.js';
import { RedCharts } from './overview/red-charts.js';
import { Replicas } from './overview/replicas.js';
import { useInventory, useLabEvents } from './overview/use-range.js';
import './overview/overview.css';

type Part = LabStatus['parts'][number];

function useStatus(): { status: LabStatus | null; error: ApiError | Error | null } {
  const tick = useTick();
  const [state, setState] = useState<{ status: LabStatus | null; error: ApiError | Error | null }>({ status: null, error: null });
  useEffect(() => {
    let live = true;
    labStatus().then(
      (status) => live && setState({ status, error: null }),
      (error: Error) => live && setState((s) => ({ status: s.status, error })),
    );
    return () => {
      live = false;
    };
  }, [tick]);
  return state;
}

/** What to do to get requests into a service, for its empty charts. */
function hintFor(service: Part, status: LabStatus): string {
  const edge = status.urls['cafe (edge)'];
  if (service.url?.startsWith('http')) return `send a request to ${service.url}${service.name === 'cafe' ? '/menu' : '/'}`;
  if (edge) return `${service.name} is called by cafe: place an order with POST ${edge}/orders`;
  return `send a request to ${service.name}`;
}

const anchor = (name: string): string => `ov-${name.replace(/[^a-z0-9-]/gi, '-')}`;

function StatusError({ error }: { error: Error }) {
  if (error instanceof ApiError && error.status === 401) {
    return (
      <p class="error" role="alert">
        Not signed in: open the console link that <code>cloudlab up</code> printed (it carries <code>?token=…</code>), or run <code>cloudlab status</code> to see it again.
      </p>
    );
  }
  return (
    <p class="error" role="alert">
      Cannot reach the lab ({error.message}). Is it still up? <code>cloudlab status</code> tells; this page retries every 2 s.
    </p>
  );
}

export function Overview() {
  const { status, error } = useStatus();
  const inventory = useInventory();
  const events = useLabEvents();
  const services = (status?.parts ?? []).filter((p) => p.kind === 'service').sort((a, b) => Number(Boolean(b.url)) - Number(Boolean(a.url)) || a.name.localeCompare(b.name));

  return (
    <section class="overview">
      <h1>Overview{status ? ` · ${status.name}` : ''}</h1>
      {error ? <StatusError error={error} /> : null}
      {inventory.error ? <p class="error" role="alert">Metrics hub: {inventory.error}</p> : null}
      {status === null && !error ? <p class="empty">Loading the lab's status…</p> : null}
      {status && services.length === 0 ? <p class="empty">This lab runs no services: add some to cloudlab.yaml and run cloudlab up again.</p> : null}
      {services.length > 0 ? (
        <nav class="ov-jump" aria-label="Overview sections">
          {services.map((s) => (
            <a href={`#${anchor(s.name)}`} onClick={jump(anchor(s.name))}>{s.name}</a>
          ))}
          <a href="#ov-replicas" onClick={jump('ov-replicas')}>Replicas</a>
          <a href="#ov-load" onClick={jump('ov-load')}>Load</a>
          <span class="ov-legend">Dashed lines on the charts: red = fault injected, green = fault removed, grey = load or lab event.</span>
        </nav>
      ) : null}
      {status ? <EventList events={events} /> : null}
      {status
        ? services.map((s) => (
            <section aria-labelledby={anchor(s.name)} class="ov-service">
              <h2 id={anchor(s.name)} tabIndex={-1}>
                {s.name} <span class={`badge ${s.state === 'ready' ? 'ok' : 'bad'}`}>{s.state}</span> <span class="ov-detail">{s.detail}</span>
              </h2>
              <RedCharts service={s.name} events={events} hint={hintFor(s, status)} />
              <DependencyCharts service={s.name} names={inventory.byJob.get(s.name) ?? new Set()} events={events} />
            </section>
          ))
        : null}
      {status ? (
        <>
          <h2 id="ov-replicas" tabIndex={-1}>Replicas</h2>
          <Replicas services={services} events={events} />
          <h2 id="ov-load" tabIndex={-1}>Load</h2>
          <div class="grid">
            <LoadUsers names={inventory.names} events={events} />
          </div>
        </>
      ) : null}
    </section>
  );
}

/** The markers' meaning, in words: what happened when, newest first. */
function EventList({ events }: { events: LabEvent[] }) {
  if (events.length === 0) return <p class="ov-note">No faults or load in this time range: the Chaos and Load pages add some.</p>;
  return (
    <details class="ov-events">
      <summary>
        {events.length} lab event{events.length === 1 ? '' : 's'} in this time range (the dashed lines)
      </summary>
      <ul>
        {[...events].reverse().map((e) => (
          <li>
            <time dateTime={new Date(e.timeMs).toISOString()}>{new Date(e.timeMs).toLocaleTimeString()}</time> · {e.kind} {e.action}: {e.detail}
          </li>
        ))}
      </ul>
    </details>
  );
}

/** In-page links: the hash holds the route, so move focus and scroll instead of changing it. */
function jump(id: string) {
  return (e: MouseEvent): void => {
    e.preventDefault();
    const target = document.getElementById(id);
    target?.focus({ preventScroll: true });
    target?.scrollIntoView({ behavior: 'smooth', block: 'start' });
  };
}
