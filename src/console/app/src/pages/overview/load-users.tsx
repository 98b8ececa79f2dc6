/** Active load users, from the load generator's metric (cloudlab_load_active_users) when it exists. */
import type { LabEvent } from '../../api.js';
import { RangeChart } from './range-chart.js';

export function LoadUsers({ names, events }: { names: Set<string>; events: LabEvent[] }) {
  const metric = [...names].find((n) => n.startsWith('cloudlab_load_active_users'));
  if (!metric) {
    return (
      <figure class="chart">
        <figcaption>load · active users</figcaption>
        <p class="empty">No load running: start one on the <a href="#/load">Load page</a>, or run <code>cloudlab load morning-rush</code> in the lab's directory.</p>
      </figure>
    );
  }
  return <RangeChart title="load · active users" query={`sum(${metric})`} label={() => 'active users'} events={events} empty="No load running in this time range: start one from the Load page." />;
}
