import type { AttributeSpec, Attributes } from './definition.js';
import type { HttpRequestInfo } from './http-splitter.js';
import { num, str } from './attributes.js';
import type { Random } from '../random.js';

/** Attributes shared by the HTTP-aware toxics: which requests they act on. */
export const MATCH_ATTRIBUTES: Record<string, AttributeSpec> = {
  probability: { kind: 'number', default: 1, min: 0, max: 1 },
  path_prefix: { kind: 'string', default: '', pattern: /^(\/.*)?$/, hint: 'empty or a path starting with "/"' },
  method: { kind: 'string', default: '', pattern: /^[A-Za-z]*$/, hint: 'empty (any) or an HTTP method such as "GET"' },
};

/** Decides, once per request, whether the toxic acts on it. */
export function requestMatches(attrs: Attributes, request: HttpRequestInfo, random: Random): boolean {
  const method = str(attrs, 'method');
  if (method !== '' && method.toUpperCase() !== request.method) return false;
  if (!request.path.startsWith(str(attrs, 'path_prefix'))) return false;
  const probability = num(attrs, 'probability');
  return probability >= 1 || random() < probability;
}
