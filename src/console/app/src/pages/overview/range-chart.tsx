/** One live chart on the overview: a PromQL range query drawn by the shared Chart, with its error in place. */
import type { ComponentChildren } from 'preact';
import { useRef } from 'preact/hooks';
import type { LabEvent, PromSeries } from '../../api.js';
import { Chart, fromProm } from '../../chart.js';
import type { ChartProps } from '../../chart.js';
import { useRange } from './use-range.js';

export interface RangeChartProps {
  title: string;
  /** null: nothing to query (the empty text shows). */
  query: string | null;
  label: (metric: Record<string, string>) => string;
  unit?: ChartProps['unit'];
  scale?: number;
  events: LabEvent[];
  empty: string;
  onPick?: ((timeS: number, series: PromSeries[]) => void) | undefined;
  /** Below the plot, e.g. a keyboard way to what a click on the plot does. */
  footer?: (series: PromSeries[]) => ComponentChildren;
  /** Sorts and trims series before drawing (e.g. to put "all routes" first). */
  order?: (series: PromSeries[]) => PromSeries[];
}

export function RangeChart(props: RangeChartProps) {
  const { series, error } = useRange(props.query);
  const shown = series ? (props.order ? props.order(series) : series) : [];
  const empty = props.query === null ? props.empty : series === null ? (error ? 'No data: the query failed.' : 'Loading…') : props.empty;
  // The Chart keeps the click handler of the render that created its plot: hand it one stable
  // function that reads the latest props and data.
  const latest = useRef({ props, series });
  latest.current = { props, series };
  const pick = useRef((t: number): void => latest.current.props.onPick?.(t, latest.current.series ?? []));
  const onPick = props.onPick ? pick.current : undefined;
  return (
    <div class={props.onPick ? 'ov-panel ov-pick' : 'ov-panel'}>
      <Chart title={props.title} series={fromProm(shown, props.label, props.scale)} unit={props.unit} events={props.events} empty={empty} onPick={onPick} />
      {error ? <p class="error ov-note" role="alert">{props.title}: {error}</p> : null}
      {props.footer && series && series.length > 0 ? <div class="ov-note">{props.footer(series)}</div> : null}
    </div>
  );
}
