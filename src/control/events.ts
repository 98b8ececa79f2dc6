/**
 * What happened to the lab, for the markers on the console's charts (and the drills'
 * reports): faults injected or removed through the proxy, replicas killed, services
 * scaled or restarted, flags changed, load started or stopped. A bounded list.
 */
export interface LabEvent {
  timeMs: number;
  kind: 'fault' | 'load' | 'lab' | 'drill';
  action: string;
  detail: string;
}

export interface EventLog {
  add(event: Omit<LabEvent, 'timeMs'>): void;
  since(timeMs: number): LabEvent[];
}

export function createEventLog(max = 1000, clock: () => number = Date.now): EventLog {
  const events: LabEvent[] = [];
  return {
    add(event) {
      events.push({ timeMs: clock(), ...event });
      if (events.length > max) events.splice(0, events.length - max);
    },
    since: (timeMs) => events.filter((e) => e.timeMs >= timeMs),
  };
}

/** The event a successful Toxiproxy API call stands for, or null for one that changes nothing. */
export function proxyEvent(method: string, path: string, body: string): Omit<LabEvent, 'timeMs'> | null {
  if (method === 'GET' || method === 'HEAD') return null;
  if (path === '/reset') return { kind: 'fault', action: 'reset', detail: 'every toxic removed, every proxy enabled' };
  const m = /^\/proxies\/([^/]+)(?:\/toxics(?:\/([^/]+))?)?$/.exec(path);
  if (!m) return { kind: 'fault', action: 'change', detail: `${method} ${path}` };
  const [, proxy, toxic] = m;
  const isToxics = path.includes('/toxics');
  let summary = '';
  try {
    const parsed = JSON.parse(body || '{}') as { type?: string; attributes?: Record<string, unknown>; enabled?: boolean };
    if (parsed.type) summary = ` ${parsed.type}${parsed.attributes ? ` ${JSON.stringify(parsed.attributes)}` : ''}`;
    if (!isToxics && typeof parsed.enabled === 'boolean') return { kind: 'fault', action: parsed.enabled ? 'remove' : 'inject', detail: `proxy ${proxy} ${parsed.enabled ? 'enabled' : 'disabled (outage)'}` };
  } catch {
    // not JSON: the proxy refused it, so no event is recorded anyway
  }
  if (isToxics && method === 'DELETE') return { kind: 'fault', action: 'remove', detail: `toxic ${toxic} removed from ${proxy}` };
  if (isToxics) return { kind: 'fault', action: method === 'POST' && !toxic ? 'inject' : 'change', detail: `${toxic ?? 'toxic'} on ${proxy}:${summary}` };
  return { kind: 'fault', action: method === 'DELETE' ? 'remove' : 'change', detail: `proxy ${proxy} ${method === 'DELETE' ? 'deleted' : 'changed'}` };
}
