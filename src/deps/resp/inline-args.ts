/**
 * Splits an inline command (`SET greeting "hello world"`, as typed in telnet) into
 * arguments with Redis's rules: blanks separate words; "double quotes" take the
 * escapes \n \r \t \b \a \\ \" and \xHH; 'single quotes' take only \'; a closing
 * quote must be followed by a blank or the end. A NUL byte ends the line.
 */

const NUL = 0x00;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const DOUBLE_QUOTE = 0x22;
const SINGLE_QUOTE = 0x27;
const BACKSLASH = 0x5c;
const LOWER_X = 0x78;

/** Blanks between words: C's isspace(). */
function isBlank(byte: number): boolean {
  return byte === SPACE || (byte >= TAB && byte <= CR);
}

function hexValue(byte: number): number {
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  if (byte >= 0x61 && byte <= 0x66) return byte - 0x61 + 10;
  if (byte >= 0x41 && byte <= 0x46) return byte - 0x41 + 10;
  return -1;
}

const ESCAPES: Record<number, number> = { 0x6e: LF, 0x72: CR, 0x74: TAB, 0x62: 0x08, 0x61: 0x07 };

/** The arguments of one inline line, or null when its quotes do not balance. */
export function splitInlineArgs(line: Buffer): Buffer[] | null {
  // Reads past the end (and at a NUL) as 0, like the C string Redis scans.
  const at = (i: number): number => (i < line.length ? line[i]! : NUL);
  const args: Buffer[] = [];
  let p = 0;
  for (;;) {
    while (at(p) !== NUL && isBlank(at(p))) p++;
    if (at(p) === NUL) return args;
    const word: number[] = [];
    let inDouble = false;
    let inSingle = false;
    let done = false;
    while (!done) {
      const c = at(p);
      if (inDouble) {
        if (c === BACKSLASH && at(p + 1) === LOWER_X && hexValue(at(p + 2)) >= 0 && hexValue(at(p + 3)) >= 0) {
          word.push(hexValue(at(p + 2)) * 16 + hexValue(at(p + 3)));
          p += 3;
        } else if (c === BACKSLASH && at(p + 1) !== NUL) {
          p++;
          word.push(ESCAPES[at(p)] ?? at(p));
        } else if (c === DOUBLE_QUOTE) {
          if (at(p + 1) !== NUL && !isBlank(at(p + 1))) return null;
          done = true;
        } else if (c === NUL) {
          return null;
        } else {
          word.push(c);
        }
      } else if (inSingle) {
        if (c === BACKSLASH && at(p + 1) === SINGLE_QUOTE) {
          p++;
          word.push(SINGLE_QUOTE);
        } else if (c === SINGLE_QUOTE) {
          if (at(p + 1) !== NUL && !isBlank(at(p + 1))) return null;
          done = true;
        } else if (c === NUL) {
          return null;
        } else {
          word.push(c);
        }
      } else if (c === SPACE || c === LF || c === CR || c === TAB || c === NUL) {
        done = true;
      } else if (c === DOUBLE_QUOTE) {
        inDouble = true;
      } else if (c === SINGLE_QUOTE) {
        inSingle = true;
      } else {
        word.push(c);
      }
      if (at(p) !== NUL) p++;
    }
    args.push(Buffer.from(word));
  }
}
