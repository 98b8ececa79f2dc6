/**
 * How a drill shows its progress: in a terminal, finished steps as lines and one live
 * line (phase, time, faults active, the last probe results, the load); elsewhere (CI,
 * a pipe), plain lines per phase and per probe round.
 */
import { displayValue } from './probes/tolerance.js';
import type { DrillProgress } from './run/progress.js';
import type { ProbeResult } from './types.js';

export interface DrillProgressView {
  progress(p: DrillProgress): void;
  /** Prints a line above the live one. */
  line(text: string): void;
  /** Clears the live line before other output. */
  done(): void;
}

const shortResult = (r: ProbeResult): string => `${r.name} ${r.ok ? '✔' : '✘'}${r.value === null ? '' : ` ${displayValue(r.value)}`}`;

export function createDrillProgressView(out: NodeJS.WritableStream & { isTTY?: boolean }, now: () => number = Date.now): DrillProgressView {
  const tty = out.isTTY === true && process.env['CI'] === undefined;
  const t0 = now();
  let phase = 'starting';
  let phaseStart = t0;
  let faults = 0;
  let probes = '';
  let load = '';
  let drawn = false;
  const stamp = (): string => `[${((now() - t0) / 1000).toFixed(1).padStart(6)}s]`;
  const clear = (): void => {
    if (drawn) out.write('\r\x1b[2K');
    drawn = false;
  };
  const draw = (): void => {
    if (!tty) return;
    const text = `${phase} ${((now() - phaseStart) / 1000).toFixed(1)}s | faults active ${faults}${load ? ` | ${load}` : ''}${probes ? ` | ${probes}` : ''}`;
    const width = (out as { columns?: number }).columns ?? 160;
    out.write(`\r\x1b[2K${text.length > width - 1 ? `${text.slice(0, width - 2)}…` : text}`);
    drawn = true;
  };
  const line = (text: string): void => {
    clear();
    out.write(`${tty ? '' : `${stamp()} `}${text}\n`);
    draw();
  };
  return {
    line,
    done: clear,
    progress(p) {
      switch (p.type) {
        case 'phase':
          phase = p.phase;
          phaseStart = now();
          probes = '';
          if (p.phase !== 'method') load = '';
          line(`▸ ${p.phase}: ${p.text}`);
          return;
        case 'round':
          faults = p.faultsActive;
          probes = p.results.map(shortResult).join(', ');
          if (tty) draw();
          else if (p.results.length > 0) out.write(`${stamp()}   ${phase} +${(p.elapsedMs / 1000).toFixed(1)}s faults active ${p.faultsActive}: ${p.results.map((r) => `${shortResult(r)}${r.ok || r.reason === null ? '' : ` (${r.reason})`}`).join('; ')}\n`);
          return;
        case 'fault':
          line(`  ${p.action === 'inject' ? '⚡ injected' : '✓ removed'} ${p.text}`);
          return;
        case 'load':
          load = `${p.rps} req/s p95 ${p.p95Ms.toFixed(0)} ms${p.errors > 0 ? ` ${p.errors} errors` : ''}`;
          draw();
          return;
        case 'note':
          line(`  ${p.text}`);
          return;
        case 'verdict':
          clear();
          return;
      }
    },
  };
}
