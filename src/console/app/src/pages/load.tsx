/** Load: the load generator arrives with issue 7; until then the page says what it will do. */
import { useEffect, useState } from 'preact/hooks';
import { labStatus } from '../api.js';
import { href } from '../router.js';

export function Load() {
  const [edge, setEdge] = useState<string | null>(null);
  useEffect(() => {
    labStatus().then(
      (s) => setEdge(s.urls['cafe (edge)'] ?? null),
      () => setEdge(null),
    );
  }, []);
  const base = edge ?? '<edge URL>';
  return (
    <section>
      <h1>Load</h1>
      <div class="empty" data-testid="load-empty">
        <p>
          <strong>The load generator is not built yet.</strong> It arrives with <code>cloudlab load</code> (issue 7).
        </p>
        <p>This page will then start and stop a load scenario (virtual users hitting the edge), and chart the users, requests per second and latency live, with markers on every chart when load starts or stops.</p>
        <p>
          Until then, make traffic yourself against the edge URL that <code>cloudlab up</code> printed, and watch it on the <a href={href('overview')}>Overview</a>:
        </p>
        <pre>
          <code>{`while true; do curl -s ${base}/menu > /dev/null; sleep 0.1; done\ncurl -s -X POST ${base}/orders -H 'Idempotency-Key: '$RANDOM -H 'content-type: application/json' \\\n  -d '{"items":[{"menuItemId":1,"quantity":1}]}'`}</code>
        </pre>
      </div>
    </section>
  );
}
