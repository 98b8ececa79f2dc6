/** Splits a byte stream into text lines: partial chunks, \r\n, and a cap on line length. */
import { StringDecoder } from 'node:string_decoder';

/** Longest line kept; the rest of a longer line is dropped up to its newline. */
export const MAX_LINE_CHARS = 16 * 1024;
const TRUNCATED = ' [line truncated]';

export class LineSplitter {
  readonly #decoder = new StringDecoder('utf8');
  readonly #onLine: (line: string) => void;
  #partial = '';
  /** True while dropping the tail of a line that passed the cap. */
  #dropping = false;

  constructor(onLine: (line: string) => void) {
    this.#onLine = onLine;
  }

  push(chunk: Buffer | string): void {
    this.#take(typeof chunk === 'string' ? chunk : this.#decoder.write(chunk));
  }

  /** Emits what is left (a last line without a newline). */
  end(): void {
    this.#take(this.#decoder.end());
    if (this.#partial !== '' && !this.#dropping) this.#onLine(stripCr(this.#partial));
    this.#partial = '';
    this.#dropping = false;
  }

  #take(text: string): void {
    let start = 0;
    for (;;) {
      const newline = text.indexOf('\n', start);
      if (newline === -1) break;
      const piece = text.slice(start, newline);
      start = newline + 1;
      if (this.#dropping) {
        this.#dropping = false;
        continue;
      }
      const line = this.#partial + piece;
      this.#partial = '';
      this.#onLine(line.length > MAX_LINE_CHARS ? line.slice(0, MAX_LINE_CHARS) + TRUNCATED : stripCr(line));
    }
    if (this.#dropping) return;
    this.#partial += text.slice(start);
    if (this.#partial.length > MAX_LINE_CHARS) {
      // Emit the capped line now so memory stays bounded; drop the rest until its newline.
      this.#onLine(this.#partial.slice(0, MAX_LINE_CHARS) + TRUNCATED);
      this.#partial = '';
      this.#dropping = true;
    }
  }
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
