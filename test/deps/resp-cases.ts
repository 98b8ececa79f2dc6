/**
 * The cases of the RESP contract test: each runs on a fresh connection to an empty
 * server, against the built-in cache and a real redis-server, and the replies must
 * be the same bytes. A few replies hold values that differ by nature (a client id,
 * the server version, a TTL average): those cases compare a projection instead.
 */
import type { RespValue } from './resp-client.js';
import { encodeCommand } from './resp-client.js';

export interface ContractCase {
  name: string;
  /** Commands, sent pipelined in one write; one reply each. */
  commands?: (string | Buffer)[][];
  /** Or raw bytes, then `replies` replies are read, or everything until the server closes. */
  raw?: string | Buffer;
  replies?: number;
  closes?: boolean;
  /** Compares this instead of the bytes. */
  project?: (replies: RespValue[]) => unknown;
}

/** `c('SET k v')`: a command from space-separated words. */
function c(line: string): string[] {
  return line.split(' ');
}

const INT64_MAX = '9223372036854775807';
const INT64_MIN = '-9223372036854775808';

/** HELLO's flat map with the connection id and the server version masked. */
function maskHello(replies: RespValue[]): unknown {
  return replies.map((r) => (Array.isArray(r) ? r.map((v, i) => (i === 3 || i === 7 ? 'masked' : v)) : r));
}

/** INFO's `field:value` lines with the fields named kept (values of `masked` replaced by `*`). */
function infoFields(keep: string[], masked: string[] = []) {
  return (replies: RespValue[]): unknown =>
    replies.map((r) => {
      if (!Buffer.isBuffer(r)) return r;
      return r
        .toString('latin1')
        .split('\r\n')
        .filter((line) => line.startsWith('#') || keep.some((k) => line.startsWith(`${k}:`)))
        .map((line) => line.replace(/avg_ttl=\d+/, 'avg_ttl=*'))
        .map((line) => (masked.some((m) => line.startsWith(`${m}:`)) ? `${line.split(':')[0]}:*` : line));
    });
}

export const CONTRACT_CASES: ContractCase[] = [
  // GET, SET and its options
  { name: 'SET then GET, a missing key is nil', commands: [c('SET k v'), c('GET k'), c('GET missing')] },
  { name: 'commands and options are case-insensitive', commands: [c('set k v nx'), c('SeT k v2 xX'), c('get k'), c('GET K')] },
  { name: 'SET NX and XX', commands: [c('SET k v NX'), c('SET k w NX'), c('SET m v XX'), c('SET k w XX'), c('GET k'), c('GET m')] },
  { name: 'SET GET returns the old value, also when NX aborts', commands: [c('SET k v GET'), c('SET k w GET'), c('SET k x NX GET'), c('SET m x XX GET'), c('GET k')] },
  { name: 'SET EX and PX set a TTL, a plain SET clears it', commands: [c('SET k v EX 100'), c('TTL k'), c('SET k v PX 100000'), c('TTL k'), c('SET k v'), c('TTL k')] },
  { name: 'SET KEEPTTL keeps the TTL', commands: [c('SET k v EX 100'), c('SET k w KEEPTTL'), c('TTL k'), c('GET k')] },
  { name: 'SET with the same unit twice takes the last', commands: [c('SET k v EX 10 EX 100'), c('TTL k'), c('SET k v NX NX'), c('SET k v GET GET')] },
  { name: 'SET EXAT in the past stores a key that is gone at once', commands: [c('SET k v EXAT 1'), c('EXISTS k'), c('SET k v PXAT 1'), c('GET k')] },
  {
    name: 'SET option conflicts are syntax errors',
    commands: [c('SET k v NX XX'), c('SET k v XX NX'), c('SET k v EX 10 PX 10'), c('SET k v KEEPTTL EX 10'), c('SET k v EX 10 KEEPTTL'), c('SET k v EX'), c('SET k v foo'), c('SET k v EX 10 EXAT 10')],
  },
  {
    name: 'SET expire values that are not valid',
    commands: [c('SET k v EX 0'), c('SET k v EX -1'), c('SET k v EX abc'), c('SET k v PX 0'), c('SET k v EX 1.5'), c(`SET k v EX ${INT64_MAX}`), c('SET k v EX 9223372036854775'), c(`SET k v PX ${INT64_MAX}`), c('EXISTS k')],
  },
  { name: 'binary keys and values round-trip', commands: [['SET', Buffer.from([0, 255, 13, 10]), Buffer.from('a\r\nb\0c')], ['GET', Buffer.from([0, 255, 13, 10])], ['SET', '', ''], ['GET', '']] },
  { name: 'MGET mixes values and nils', commands: [c('SET a 1'), c('SET b 2'), c('MGET a missing b a')] },

  // Counters
  { name: 'INCR, DECR, INCRBY, DECRBY', commands: [c('INCR n'), c('INCR n'), c('DECR n'), c('INCRBY n 10'), c('INCRBY n -20'), c('DECRBY n 5'), c('DECR fresh'), c('GET n')] },
  {
    name: 'INCR on values that are not integers',
    commands: [c('SET a abc'), c('INCR a'), c('SET a 01'), c('INCR a'), c('SET a +1'), c('INCR a'), c('SET a -0'), c('INCR a'), c('SET a 1.5'), c('INCR a'), ['SET', 'a', ' 1'], c('INCR a'), c('SET a 99999999999999999999'), c('INCR a')],
  },
  { name: 'INCRBY arguments that are not integers', commands: [c('INCRBY n abc'), c('INCRBY n 1.5'), c('DECRBY n x'), c('INCRBY n 123456789012345678901')] },
  { name: 'counter overflow', commands: [c(`SET n ${INT64_MAX}`), c('INCR n'), c(`SET m ${INT64_MIN}`), c('DECR m'), c('SET o 1'), c(`INCRBY o ${INT64_MAX}`), c(`DECRBY o ${INT64_MIN}`), c(`INCRBY o ${INT64_MIN}`)] },
  { name: 'INCR keeps the TTL', commands: [c('SET n 1 EX 100'), c('INCR n'), c('TTL n')] },

  // Keys and expiry
  { name: 'DEL and EXISTS count keys (EXISTS counts repeats)', commands: [c('SET a 1'), c('SET b 2'), c('EXISTS a a b missing'), c('DEL a missing a'), c('EXISTS a b'), c('DEL b')] },
  { name: 'TTL and PTTL: -2 missing, -1 no expiry', commands: [c('TTL missing'), c('PTTL missing'), c('SET k v'), c('TTL k'), c('PTTL k')] },
  { name: 'EXPIRE and PEXPIRE', commands: [c('EXPIRE missing 10'), c('SET k v'), c('EXPIRE k 100'), c('TTL k'), c('PEXPIRE k 50000'), c('TTL k'), c('EXPIRE k 0'), c('EXISTS k'), c('SET k v'), c('PEXPIRE k -5'), c('GET k')] },
  {
    name: 'EXPIRE NX, XX, GT and LT',
    commands: [c('SET k v'), c('EXPIRE k 100 XX'), c('EXPIRE k 100 GT'), c('EXPIRE k 100 NX'), c('EXPIRE k 200 NX'), c('EXPIRE k 50 GT'), c('EXPIRE k 200 gt'), c('EXPIRE k 300 LT'), c('EXPIRE k 100 lt'), c('TTL k'), c('EXPIRE k 150 XX'), c('TTL k'), c('SET m v'), c('EXPIRE m 10 LT'), c('TTL m')],
  },
  { name: 'EXPIRE option errors', commands: [c('SET k v'), c('EXPIRE k 10 NX XX'), c('EXPIRE k 10 GT LT'), c('EXPIRE k 10 NX GT'), c('EXPIRE k 10 foo'), c('EXPIRE k abc'), c('EXPIRE k abc foo'), c('TTL k')] },
  { name: 'EXPIRE times that overflow', commands: [c('SET k v'), c(`EXPIRE k ${INT64_MAX}`), c(`EXPIRE k ${INT64_MIN}`), c(`PEXPIRE k ${INT64_MAX}`), c('EXPIRE k 9223372036854775'), c('TTL k')] },
  { name: 'DBSIZE, FLUSHDB and FLUSHALL', commands: [c('SET a 1'), c('SET b 2'), c('DBSIZE'), c('FLUSHDB'), c('DBSIZE'), c('SET a 1'), c('FLUSHALL ASYNC'), c('FLUSHALL sync'), c('FLUSHALL foo'), c('FLUSHALL async sync'), c('FLUSHDB x'), c('DBSIZE')] },

  // Connection
  { name: 'PING and ECHO', commands: [c('PING'), c('PING hello'), c('PING a b'), c('ECHO hi'), ['ECHO', ''], c('ECHO a b')] },
  { name: 'SELECT 0 only', commands: [c('SELECT 0'), c('SELECT x'), c('SELECT 99999999999'), c('SELECT -1')] },
  { name: 'HELLO 2 answers the server map as a flat array', commands: [c('HELLO'), c('HELLO 2'), c('HELLO 2 SETNAME app'), c('CLIENT GETNAME'), c('HELLO 2 AUTH default anything')], project: maskHello },
  { name: 'HELLO errors', commands: [c('HELLO 1'), c('HELLO 4'), c('HELLO abc'), c('HELLO 2 foo'), c('HELLO 2 SETNAME'), ['HELLO', '2', 'SETNAME', 'a b'], c('HELLO 2 AUTH a b'), c('HELLO 2 AUTH default')] },
  { name: 'CLIENT SETNAME and GETNAME', commands: [c('CLIENT GETNAME'), c('CLIENT SETNAME app-1'), c('client getname'), ['CLIENT', 'SETNAME', 'a b'], ['CLIENT', 'SETNAME', ''], c('CLIENT GETNAME')] },
  { name: 'CLIENT errors', commands: [c('CLIENT'), c('CLIENT SETNAME'), c('CLIENT foo'), c('client Foo'), c('CLIENT GETNAME x'), c('CLIENT SETNAME a b')] },
  { name: 'CLIENT ID is an integer', commands: [c('CLIENT ID')], project: (r) => r.map((v) => typeof v) },
  { name: 'AUTH without a configured password', commands: [c('AUTH secret'), c('AUTH default secret'), c('AUTH someone secret'), c('AUTH a b c')] },

  // Errors for unknown commands and arity
  { name: 'unknown commands', commands: [c('FOO'), c('foo a b'), ['FOO', 'a\r\nb', 'c'], ['X'.repeat(200), 'y'], ['FOO', ...Array.from({ length: 20 }, () => 'abcdefghij')], ['FOO', 'a'.repeat(200)]] },
  {
    name: 'wrong number of arguments',
    commands: [c('GET'), c('GET a b'), c('SET k'), c('MGET'), c('DEL'), c('EXISTS'), c('INCR'), c('INCRBY k'), c('DECR a b'), c('DECRBY'), c('TTL'), c('PTTL a b'), c('EXPIRE k'), c('PEXPIRE'), c('DBSIZE x'), c('ECHO'), c('SELECT'), c('MULTI x'), c('EXEC x'), c('DISCARD x'), c('AUTH')],
  },

  // COMMAND
  {
    name: 'COMMAND INFO describes the commands as Redis 7.0 does',
    commands: [
      c('COMMAND INFO get set mget incr decr incrby decrby del exists expire pexpire ttl pttl dbsize flushall flushdb'),
      c('COMMAND INFO ping echo select hello auth quit info multi exec discard nosuchcommand'),
      c('COMMAND INFO client|setname client|getname client|id command|count command|info command|list command|docs'),
    ],
  },
  { name: 'COMMAND errors', commands: [c('COMMAND foo'), c('COMMAND COUNT x')] },

  // INFO
  { name: 'INFO keyspace counts keys and keys with a TTL', commands: [c('INFO keyspace'), c('SET a 1'), c('SET b 2 EX 100'), c('INFO keyspace')], project: infoFields(['db0']) },
  { name: 'INFO has the fields clients read', commands: [c('INFO'), c('INFO server'), c('INFO persistence'), c('INFO all')], project: infoFields(['redis_mode', 'loading', 'role', 'arch_bits'], []) },
  { name: 'INFO of an unknown section is empty', commands: [c('INFO nosuchsection')] },

  // Transactions
  { name: 'MULTI and EXEC', commands: [c('MULTI'), c('SET a 1'), c('INCR a'), c('GET a'), c('EXEC'), c('GET a')] },
  { name: 'an error inside EXEC is one of its replies', commands: [c('SET a x'), c('MULTI'), c('INCR a'), c('SET b 1'), c('EXEC'), c('GET b')] },
  { name: 'a rejected command aborts EXEC', commands: [c('MULTI'), c('SET a 1'), c('FOO'), c('EXEC'), c('MULTI'), c('GET'), c('EXEC'), c('GET a')] },
  { name: 'a rejected EXEC discards the transaction', commands: [c('MULTI'), c('SET a 1'), c('EXEC x'), c('EXEC'), c('GET a')] },
  { name: 'QUIT inside MULTI runs at once', raw: '*1\r\n$5\r\nMULTI\r\n*1\r\n$4\r\nQUIT\r\n*1\r\n$4\r\nPING\r\n', closes: true },
  { name: 'MULTI nesting, EXEC and DISCARD without MULTI', commands: [c('EXEC'), c('DISCARD'), c('MULTI'), c('MULTI'), c('SET a 1'), c('DISCARD'), c('GET a')] },

  // The wire: inline commands, pipelining, protocol errors
  { name: 'inline commands', raw: 'PING\r\nPING\n\r\n\r\n   \r\nPING   a\r\nset a "b c"\r\nget a\r\nECHO "\\x41\\n\\q"\r\nECHO \'it\\\'s\'\r\nECHO a\tb\r\nECHO ""\r\nFOO a  b\r\n', replies: 10 },
  { name: 'an inline $ line is a command named $4', raw: '$4\r\nPING\r\n', replies: 2 },
  { name: 'empty and negative arrays are skipped', raw: '*0\r\n*-1\r\n*1\r\n$4\r\nPING\r\n', replies: 1 },
  { name: 'the CRLF after a bulk is skipped unchecked', raw: '*1\r\n$4\r\nPINGxx', replies: 1 },
  { name: 'pipelined commands answer in order', raw: Buffer.concat(Array.from({ length: 200 }, (_, i) => encodeCommand(i % 2 === 0 ? c('INCR n') : c('DECRBY m 2')))), replies: 200 },
  { name: 'unbalanced quotes close the connection', raw: 'PING\r\nset a "b\r\nPING\r\n', closes: true },
  { name: 'a closing quote must end the word', raw: 'ECHO "a"b\r\n', closes: true },
  { name: 'an invalid array length closes the connection', raw: '*abc\r\n', closes: true },
  { name: 'an array length with a leading zero is invalid', raw: '*01\r\n$4\r\nPING\r\n', closes: true },
  { name: 'an array longer than 2^31-1 is invalid', raw: '*3000000000\r\n', closes: true },
  { name: 'a bulk must start with $', raw: '*1\r\nx\r\n', closes: true },
  { name: 'a negative bulk length is invalid', raw: '*1\r\n$-1\r\n', closes: true },
  { name: 'a bulk longer than the limit is invalid', raw: '*1\r\n$600000000\r\n', closes: true },
  { name: 'an inline line over 64 KiB closes the connection', raw: 'a'.repeat(70_000), closes: true },
  { name: 'an array length line over 64 KiB closes the connection', raw: `*${'1'.repeat(70_000)}`, closes: true },
  { name: 'a bulk length line over 64 KiB closes the connection', raw: `*1\r\n$${'1'.repeat(70_000)}`, closes: true },
  { name: 'QUIT answers OK and closes', raw: 'PING\r\nQUIT\r\nPING\r\n', closes: true },
];
