/**
 * The live tail: an EventSource on the hub's /api/logs/tail (same origin, so the token cookie is
 * sent). New lines are batched every 250 ms, newest first, at most `max` kept; while paused they
 * wait in a bounded buffer. After an error it reconnects from the last line it saw, without duplicates.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { recordKey } from './log-line.js';
import type { LogRecord } from './log-line.js';

export type TailState = 'connecting' | 'live' | 'reconnecting' | 'unauthorized';

export interface Tail {
  lines: LogRecord[];
  state: TailState;
  /** Lines received while paused, shown on resume. */
  pending: number;
  clear: () => void;
}

export function useTail(filters: string, sinceMinutes: number, paused: boolean, max = 500): Tail {
  const [lines, setLines] = useState<LogRecord[]>([]);
  const [state, setState] = useState<TailState>('connecting');
  const [pending, setPending] = useState(0);
  const incoming = useRef<LogRecord[]>([]);
  const pausedRef = useRef(paused);
  pausedRef.current = paused;

  useEffect(() => {
    let source: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let lastUs = 0;
    const seen = new Set<string>();
    incoming.current = [];
    setLines([]);
    setPending(0);
    const connect = (): void => {
      setState(lastUs ? 'reconnecting' : 'connecting');
      const since = lastUs ? String(lastUs) : `${sinceMinutes}m`;
      source = new EventSource(`/api/hub/api/logs/tail?${filters}${filters ? '&' : ''}since=${since}&limit=200`);
      source.onopen = () => setState('live');
      source.onmessage = (event: MessageEvent<string>) => {
        let record: LogRecord;
        try {
          record = JSON.parse(event.data) as LogRecord;
        } catch {
          return;
        }
        const key = recordKey(record);
        if (seen.has(key)) return;
        seen.add(key);
        if (seen.size > 4 * max) seen.delete(seen.values().next().value as string);
        lastUs = Math.max(lastUs, record.timeUnixUs);
        incoming.current.push(record);
        if (incoming.current.length > max) incoming.current.splice(0, incoming.current.length - max);
      };
      source.onerror = () => {
        // Reconnect ourselves (a restarted hub or control API, a lost cookie) from the last line seen.
        source?.close();
        setState('reconnecting');
        retry = setTimeout(connect, 2000);
        fetch('/api/status', { credentials: 'same-origin' }).then(
          (res) => res.status === 401 && setState('unauthorized'),
          () => undefined,
        );
      };
    };
    connect();
    const flush = setInterval(() => {
      if (pausedRef.current) {
        setPending(incoming.current.length);
        return;
      }
      if (incoming.current.length === 0) return;
      const batch = incoming.current.reverse();
      incoming.current = [];
      setPending(0);
      setLines((prev) => [...batch, ...prev].slice(0, max));
    }, 250);
    return () => {
      source?.close();
      clearTimeout(retry);
      clearInterval(flush);
    };
  }, [filters, sinceMinutes, max]);

  return {
    lines,
    state,
    pending,
    clear: () => {
      setLines([]);
      incoming.current = [];
      setPending(0);
    },
  };
}
