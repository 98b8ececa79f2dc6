/** Traces: a search with a scatter plot and a table (#/traces?service=…), and one trace's waterfall (#/traces/<id>). */
import { useRoute } from '../router.js';
import { TraceSearch } from './traces/search.js';
import { TraceView } from './traces/trace-view.js';
import './traces/traces.css';

export function Traces() {
  const route = useRoute();
  const traceId = route.rest[0];
  return traceId ? <TraceView traceId={traceId} /> : <TraceSearch params={route.params} />;
}
