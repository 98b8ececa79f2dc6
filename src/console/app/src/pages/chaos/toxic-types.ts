/**
 * The toxics the proxy knows (docs/proxy.md), their attributes, and the checks the
 * forms run before anything is sent. The proxy checks again and its message is shown
 * when it refuses.
 */

export type Stream = 'upstream' | 'downstream';

export interface Toxic {
  name: string;
  type: string;
  stream: Stream;
  toxicity: number;
  attributes: Record<string, unknown>;
}

export interface Proxy {
  name: string;
  listen: string;
  upstream: string;
  enabled: boolean;
  toxics: Toxic[];
}

/** `int`: an integer >= 0; `prob`: a number 0..1; `status`: an HTTP status 100-599. */
export type AttrKind = 'int' | 'prob' | 'status' | 'text';

export interface AttrSpec {
  key: string;
  label: string;
  kind: AttrKind;
  /** Shown in the form when adding a toxic of this type. */
  initial: string;
  /** Blank is allowed (the proxy's default applies). */
  optional?: boolean;
}

export interface ToxicSpec {
  type: string;
  label: string;
  attributes: AttrSpec[];
  /** HTTP-aware toxics act on the upstream stream only. */
  upstreamOnly?: boolean;
}

const httpMatch: AttrSpec[] = [
  { key: 'probability', label: 'Probability (0..1)', kind: 'prob', initial: '1', optional: true },
  { key: 'path_prefix', label: 'Path prefix', kind: 'text', initial: '', optional: true },
  { key: 'method', label: 'Method', kind: 'text', initial: '', optional: true },
];

export const TOXIC_TYPES: ToxicSpec[] = [
  { type: 'latency', label: 'latency: delay data', attributes: [{ key: 'latency', label: 'Latency (ms)', kind: 'int', initial: '300' }, { key: 'jitter', label: 'Jitter (ms)', kind: 'int', initial: '0' }] },
  { type: 'bandwidth', label: 'bandwidth: limit the rate', attributes: [{ key: 'rate', label: 'Rate (KB/s)', kind: 'int', initial: '100' }] },
  { type: 'slow_close', label: 'slow_close: hold the close', attributes: [{ key: 'delay', label: 'Delay (ms)', kind: 'int', initial: '1000' }] },
  { type: 'timeout', label: 'timeout: drop data, then close', attributes: [{ key: 'timeout', label: 'Timeout (ms, 0 holds)', kind: 'int', initial: '1000' }] },
  { type: 'reset_peer', label: 'reset_peer: TCP reset', attributes: [{ key: 'timeout', label: 'After (ms)', kind: 'int', initial: '0' }] },
  {
    type: 'slicer',
    label: 'slicer: cut data into pieces',
    attributes: [
      { key: 'average_size', label: 'Average size (bytes)', kind: 'int', initial: '64' },
      { key: 'size_variation', label: 'Size variation (bytes)', kind: 'int', initial: '16' },
      { key: 'delay', label: 'Delay (µs)', kind: 'int', initial: '1000' },
    ],
  },
  { type: 'limit_data', label: 'limit_data: close after N bytes', attributes: [{ key: 'bytes', label: 'Bytes', kind: 'int', initial: '1024' }] },
  {
    type: 'http_error',
    label: 'http_error: answer with an HTTP error (ours)',
    upstreamOnly: true,
    attributes: [{ key: 'status_code', label: 'Status code', kind: 'status', initial: '503' }, { key: 'body', label: 'Body', kind: 'text', initial: '', optional: true }, ...httpMatch],
  },
  {
    type: 'http_latency',
    label: 'http_latency: delay matching HTTP requests (ours)',
    upstreamOnly: true,
    attributes: [{ key: 'latency', label: 'Latency (ms)', kind: 'int', initial: '300' }, { key: 'jitter', label: 'Jitter (ms)', kind: 'int', initial: '0' }, ...httpMatch],
  },
];

export const specFor = (type: string): ToxicSpec | undefined => TOXIC_TYPES.find((t) => t.type === type);

export interface ToxicDraft {
  name: string;
  type: string;
  stream: Stream;
  toxicity: string;
  attributes: Record<string, string>;
}

export function draftFor(type: string, from?: Toxic): ToxicDraft {
  const spec = specFor(type);
  const attributes: Record<string, string> = {};
  for (const a of spec?.attributes ?? []) {
    const current = from?.attributes[a.key];
    attributes[a.key] = typeof current === 'number' || typeof current === 'string' ? String(current) : a.initial;
  }
  return {
    name: from?.name ?? '',
    type,
    stream: from?.stream ?? (spec?.upstreamOnly ? 'upstream' : 'downstream'),
    toxicity: from ? String(from.toxicity) : '1',
    attributes,
  };
}

export interface CheckedToxic {
  name?: string;
  type: string;
  stream: Stream;
  toxicity: number;
  attributes: Record<string, number | string>;
}

/** Checks a draft; answers the body to send, or the problems by field. */
export function checkDraft(draft: ToxicDraft): { ok: true; toxic: CheckedToxic } | { ok: false; problems: Record<string, string> } {
  const problems: Record<string, string> = {};
  const spec = specFor(draft.type);
  if (!spec) problems['type'] = `type must be one of ${TOXIC_TYPES.map((t) => t.type).join(', ')}, received "${draft.type}"`;
  if (draft.name && !/^[\w.-]+$/.test(draft.name)) problems['name'] = `name may hold letters, digits, "_", "." and "-", received "${draft.name}"`;
  if (spec?.upstreamOnly && draft.stream !== 'upstream') problems['stream'] = `${draft.type} acts on the upstream stream only`;
  const toxicity = Number(draft.toxicity);
  if (draft.toxicity.trim() === '' || !Number.isFinite(toxicity) || toxicity < 0 || toxicity > 1) problems['toxicity'] = `toxicity must be a number from 0 to 1, received "${draft.toxicity}"`;
  const attributes: Record<string, number | string> = {};
  for (const a of spec?.attributes ?? []) {
    const raw = (draft.attributes[a.key] ?? '').trim();
    if (raw === '') {
      if (!a.optional) problems[a.key] = `${a.label} is required`;
      continue;
    }
    if (a.kind === 'text') {
      attributes[a.key] = raw;
      continue;
    }
    const n = Number(raw);
    if (a.kind === 'int' && !(Number.isInteger(n) && n >= 0)) problems[a.key] = `${a.label} must be an integer >= 0, received "${raw}"`;
    else if (a.kind === 'prob' && !(Number.isFinite(n) && n >= 0 && n <= 1)) problems[a.key] = `${a.label} must be a number from 0 to 1, received "${raw}"`;
    else if (a.kind === 'status' && !(Number.isInteger(n) && n >= 100 && n <= 599)) problems[a.key] = `${a.label} must be an integer from 100 to 599, received "${raw}"`;
    else attributes[a.key] = n;
  }
  if (draft.type === 'slicer' && !problems['size_variation'] && !problems['average_size'] && Number(attributes['size_variation']) >= Number(attributes['average_size'])) {
    problems['size_variation'] = 'Size variation must be smaller than the average size';
  }
  if (Object.keys(problems).length > 0) return { ok: false, problems };
  return { ok: true, toxic: { ...(draft.name ? { name: draft.name } : {}), type: draft.type, stream: draft.stream, toxicity, attributes } };
}

/** "latency 300 ms, jitter 0 ms" for lists. */
export function describeToxic(t: Toxic): string {
  const spec = specFor(t.type);
  const parts = Object.entries(t.attributes)
    .filter(([, v]) => v !== '' && v !== undefined && v !== null)
    .map(([k, v]) => `${spec?.attributes.find((a) => a.key === k)?.label ?? k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`);
  return `${t.type} (${t.stream}${t.toxicity < 1 ? `, toxicity ${t.toxicity}` : ''})${parts.length ? ` — ${parts.join(', ')}` : ''}`;
}
