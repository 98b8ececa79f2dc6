/** The time range picker's choices and the live clock every chart shares. */
import { createContext } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';

export const RANGES = [
  { label: 'Last 5 minutes', minutes: 5 },
  { label: 'Last 15 minutes', minutes: 15 },
  { label: 'Last 60 minutes', minutes: 60 },
] as const;

export interface TimeRange {
  minutes: number;
  setMinutes(minutes: number): void;
}

export const TimeRangeContext = createContext<TimeRange>({ minutes: 5, setMinutes: () => undefined });

export const useTimeRange = (): TimeRange => useContext(TimeRangeContext);

/** Re-renders every `intervalMs` (charts refresh at least every 2 s); paused while the tab is hidden. */
export function useTick(intervalMs = 2000): number {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') setTick((t) => t + 1);
    }, intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return tick;
}

/** Step for a range query so that a chart gets about 150 points. */
export function stepFor(minutes: number): number {
  return Math.max(1, Math.round((minutes * 60) / 150));
}
