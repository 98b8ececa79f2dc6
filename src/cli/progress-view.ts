/**
 * How `cloudlab up` and `down` show progress: in a terminal, finished steps as
 * lines and a spinner line naming what is still starting; elsewhere (CI, a pipe),
 * plain timestamped lines only.
 */
const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const MARKS: Record<string, string> = { ready: '✔', failed: '✖', info: 'ℹ', stopping: '…', stopped: '■', starting: '▸' };

export interface ProgressEvent {
  part: string;
  state: string;
  detail: string;
}

export interface ProgressView {
  event(e: ProgressEvent): void;
  done(): void;
}

export function createProgressView(out: NodeJS.WritableStream & { isTTY?: boolean }, t0 = Date.now()): ProgressView {
  const tty = out.isTTY === true && process.env['CI'] === undefined;
  const pending = new Set<string>();
  let frame = 0;
  let timer: NodeJS.Timeout | undefined;
  const elapsed = (): string => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
  const clear = (): void => {
    if (tty) out.write('\r\x1b[2K');
  };
  const spinner = (): void => {
    if (!tty || pending.size === 0) return;
    out.write(`\r\x1b[2K${FRAMES[frame++ % FRAMES.length]} starting ${[...pending].join(', ')} (${elapsed()})`);
  };
  if (tty) {
    timer = setInterval(spinner, 80);
    timer.unref();
  }
  return {
    event(e) {
      if (e.state === 'starting') pending.add(e.part);
      if (e.state === 'ready' || e.state === 'failed') pending.delete(e.part);
      if (tty && e.state === 'starting') return spinner();
      clear();
      out.write(`${tty ? '' : `[${elapsed().padStart(6)}] `}${MARKS[e.state] ?? '-'} ${e.part.padEnd(10)} ${e.state === 'ready' || e.state === 'starting' ? '' : `${e.state}: `}${e.detail}\n`);
      spinner();
    },
    done() {
      if (timer) clearInterval(timer);
      clear();
    },
  };
}
