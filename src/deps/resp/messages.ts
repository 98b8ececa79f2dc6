/** Error replies the built-in cache shares with Redis, word for word. */

export const SYNTAX_ERROR = 'ERR syntax error';
export const NOT_AN_INTEGER = 'ERR value is not an integer or out of range';
export const OVERFLOW = 'ERR increment or decrement would overflow';
export const CLIENT_NAME_INVALID = 'ERR Client names cannot contain spaces, newlines or special characters.';

export function wrongArity(name: string): string {
  return `ERR wrong number of arguments for '${name}' command`;
}

export function invalidExpireTime(name: string): string {
  return `ERR invalid expire time in '${name}' command`;
}

/** Redis quotes at most 128 bytes of the name, then arguments until 128 bytes of them are shown. */
const QUOTE_BYTES = 128;

/** `ERR unknown command 'FOO', with args beginning with: 'a' 'b' ` (arguments as bytes, cut as Redis cuts them). */
export function unknownCommand(args: readonly Buffer[]): string {
  const name = args[0]!.subarray(0, QUOTE_BYTES).toString('latin1');
  let shown = '';
  for (let i = 1; i < args.length && shown.length < QUOTE_BYTES; i++) {
    shown += `'${args[i]!.subarray(0, QUOTE_BYTES - shown.length).toString('latin1')}' `;
  }
  return `ERR unknown command '${name}', with args beginning with: ${shown}`;
}

/** C's toupper() in the C locale: ASCII letters only. */
function asciiUpper(text: string): string {
  return text.replace(/[a-z]/g, (c) => c.toUpperCase());
}

export function unknownSubcommand(container: Buffer, sub: Buffer): string {
  return `ERR unknown subcommand '${sub.subarray(0, QUOTE_BYTES).toString('latin1')}'. Try ${asciiUpper(container.toString('latin1'))} HELP.`;
}

/** Names may hold printable ASCII without spaces ('!' to '~'); an empty name clears it. */
export function isValidClientName(name: Buffer): boolean {
  return name.every((byte) => byte >= 0x21 && byte <= 0x7e);
}
