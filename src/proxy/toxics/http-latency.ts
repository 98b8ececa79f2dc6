import { sleep } from '../timing.js';
import { randomInt } from '../random.js';
import { num } from './attributes.js';
import { HttpRequestSplitter } from './http-splitter.js';
import { MATCH_ATTRIBUTES, requestMatches } from './http-match.js';
import type { ToxicDefinition } from './definition.js';

/** Delays matching HTTP requests by latency ± jitter ms; other requests pass at once. */
export const httpLatency: ToxicDefinition = {
  type: 'http_latency',
  description: 'Delays matching HTTP requests by latency ± jitter ms before they reach the upstream.',
  extension: true,
  streams: ['upstream'],
  activatesPerRequest: true,
  attributes: {
    latency: { kind: 'integer', default: 0, min: 0, unit: 'ms' },
    jitter: { kind: 'integer', default: 0, min: 0, unit: 'ms' },
    ...MATCH_ATTRIBUTES,
  },
  createStage(attrs, ctx) {
    const splitter = new HttpRequestSplitter();
    return {
      async push(chunk, emit) {
        if (ctx.signal.aborted) return emit(chunk);
        for (const segment of splitter.split(chunk.data)) {
          const a = attrs();
          if (segment.request && segment.first && requestMatches(a, segment.request, ctx.random)) {
            ctx.activated();
            const jitter = num(a, 'jitter');
            const delay = num(a, 'latency') + (jitter > 0 ? randomInt(ctx.random, -jitter, jitter) : 0);
            await sleep(chunk.at + delay - ctx.now(), ctx.signal);
          }
          await emit({ data: segment.data, at: chunk.at });
        }
      },
      dispose() {},
    };
  },
};
