/**
 * Tick labels for the time (x) axis of every chart. uPlot's default puts the full date and
 * time under the first tick ("11/24/26 9:19am"), which on a wide chart runs into the next
 * tick's second line. Here each tick reads "09:20" (or "09:19:45" when ticks are seconds
 * apart), and only the first tick and a tick on a new day carry the date ("Nov 24") on a
 * second line, with ticks at least TIME_TICK_SPACE pixels apart, so no two labels meet.
 * No imports: test/console/console-units.test.ts runs it under Node.
 */

/** Pixels between x ticks, at least: room for "09:19:45" or "Nov 24" at 12 px with a gap. */
export const TIME_TICK_SPACE = 64;

const M = 60;
const H = 3600;
/**
 * The steps between ticks, in seconds, that uPlot picks from (the smallest that keeps
 * TIME_TICK_SPACE). Finer than uPlot's own between 1 and 5 minutes, so that a narrow chart of
 * the last 5 minutes still gets a tick every 2 minutes rather than one tick in all.
 */
export const TIME_INCRS = [1, 2, 5, 10, 15, 20, 30, M, 2 * M, 5 * M, 10 * M, 15 * M, 20 * M, 30 * M, H, 2 * H, 3 * H, 6 * H, 12 * H, 24 * H, 7 * 24 * H];

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number): string => String(n).padStart(2, '0');

/** Labels for ticks at `splits` (seconds since the epoch), `incrS` seconds apart, in local time. */
export function timeTickLabels(splits: readonly number[], incrS: number): string[] {
  let previousDay = '';
  return splits.map((s, i) => {
    const d = new Date(s * 1000);
    const day = `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;
    const date = `${MONTHS[d.getMonth()]} ${d.getDate()}`;
    const newDay = i === 0 || day !== previousDay;
    previousDay = day;
    if (incrS >= 86_400) return date;
    const time = incrS >= 60 ? `${two(d.getHours())}:${two(d.getMinutes())}` : `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
    return newDay ? `${time}\n${date}` : time;
  });
}

/** uPlot's `axes[0].values` callback. */
export const timeAxisValues = (_u: unknown, splits: number[], _axisIdx: number, _space: number, incrS: number): string[] => timeTickLabels(splits, incrS);
