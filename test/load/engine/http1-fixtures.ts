/** Raw HTTP/1.1 answers for the http1 parser and transport tests, with what each must parse to. */

export interface Fixture {
  name: string;
  /** The bytes the server sends (latin1). */
  raw: string;
  head?: boolean;
  status: number;
  body: string;
  keepAlive: boolean;
}

const CL = (body: string): string => `content-length: ${Buffer.byteLength(body)}\r\n`;

export const FIXTURES: Fixture[] = [
  { name: 'content-length', raw: `HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\n${CL('hello world')}\r\nhello world`, status: 200, body: 'hello world', keepAlive: true },
  { name: 'odd header case and spacing', raw: 'HTTP/1.1 201 Created\r\nCoNtEnT-LeNgTh:   3  \r\nX-Other: a:b\r\n\r\nabc', status: 201, body: 'abc', keepAlive: true },
  { name: 'empty reason phrase', raw: 'HTTP/1.1 200\r\ncontent-length: 2\r\n\r\nok', status: 200, body: 'ok', keepAlive: true },
  { name: 'zero length', raw: 'HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n', status: 404, body: '', keepAlive: true },
  {
    name: 'chunked with extensions and trailers',
    raw: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;name=value\r\nhello\r\n1 ; x="y"\r\n \r\nA\r\n0123456789\r\n0;last\r\nX-Trailer: yes\r\nX-Second: 2\r\n\r\n',
    status: 200, body: 'hello 0123456789', keepAlive: true,
  },
  { name: 'chunked, upper-case hex, no trailers', raw: 'HTTP/1.1 200 OK\r\ntransfer-encoding: gzip, chunked\r\n\r\nB\r\nhello world\r\n0\r\n\r\n', status: 200, body: 'hello world', keepAlive: true },
  { name: 'connection: close', raw: `HTTP/1.1 500 Internal Server Error\r\nConnection: close\r\n${CL('boom')}\r\nboom`, status: 500, body: 'boom', keepAlive: false },
  { name: 'connection tokens', raw: `HTTP/1.1 200 OK\r\nConnection: Upgrade, Close\r\n${CL('x')}\r\nx`, status: 200, body: 'x', keepAlive: false },
  { name: 'HTTP/1.0 with keep-alive', raw: `HTTP/1.0 200 OK\r\nConnection: keep-alive\r\n${CL('old')}\r\nold`, status: 200, body: 'old', keepAlive: true },
  { name: 'HTTP/1.0 without keep-alive', raw: `HTTP/1.0 200 OK\r\n${CL('old')}\r\nold`, status: 200, body: 'old', keepAlive: false },
  { name: '204 ignores a length', raw: 'HTTP/1.1 204 No Content\r\ncontent-length: 10\r\n\r\n', status: 204, body: '', keepAlive: true },
  { name: '304 has no body', raw: 'HTTP/1.1 304 Not Modified\r\netag: "x"\r\n\r\n', status: 304, body: '', keepAlive: true },
  { name: 'HEAD has no body', head: true, raw: 'HTTP/1.1 200 OK\r\ncontent-length: 1234\r\n\r\n', status: 200, body: '', keepAlive: true },
  { name: '100 Continue then the answer', raw: `HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nlink: </a>\r\n\r\nHTTP/1.1 200 OK\r\n${CL('after')}\r\nafter`, status: 200, body: 'after', keepAlive: true },
  { name: 'multi-byte UTF-8 body', raw: Buffer.from(`HTTP/1.1 200 OK\r\n${CL('café ☕')}\r\ncafé ☕`, 'utf8').toString('latin1'), status: 200, body: 'café ☕', keepAlive: true },
];

/** Answers the parser must refuse (the transport counts them as `other`). */
export const MALFORMED: Array<{ name: string; raw: string }> = [
  { name: 'not HTTP', raw: 'SSH-2.0-OpenSSH_9.2\r\n\r\n' },
  { name: 'bad status', raw: 'HTTP/1.1 2x0 OK\r\ncontent-length: 0\r\n\r\n' },
  { name: 'bad content-length', raw: 'HTTP/1.1 200 OK\r\ncontent-length: 12a\r\n\r\n' },
  { name: 'two content-lengths', raw: 'HTTP/1.1 200 OK\r\ncontent-length: 1\r\ncontent-length: 2\r\n\r\nab' },
  { name: 'header without colon', raw: 'HTTP/1.1 200 OK\r\nno colon here\r\n\r\n' },
  { name: 'bad chunk size', raw: 'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n' },
  { name: 'chunk longer than its size', raw: 'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n' },
  { name: '101 without an upgrade', raw: 'HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\n\r\n' },
  { name: 'bare LF head', raw: 'HTTP/1.1 200 OK\ncontent-length: 2\n\nok' },
  { name: 'head too large', raw: `HTTP/1.1 200 OK\r\nx-big: ${'a'.repeat(17 * 1024)}\r\ncontent-length: 0\r\n\r\n` },
];
