// Progress lines on stderr, so stdout keeps only the results. On a terminal one line
// is redrawn in place; otherwise (CI, a pipe, a file) each step is a plain line.
const tty = Boolean(process.stderr.isTTY);

/** A step starts: shown at once (and redrawn on a terminal). */
export function step(line) {
  process.stderr.write(tty ? `\r\x1b[K${line}` : `${line}\n`);
}

/** A live figure within a step: only drawn on a terminal, where it costs one line. */
export function live(line) {
  if (tty) process.stderr.write(`\r\x1b[K${line}`);
}

/** A step is done: its line stays. */
export function done(line) {
  process.stderr.write(tty ? `\r\x1b[K${line}\n` : `${line}\n`);
}
