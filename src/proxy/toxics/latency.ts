import { sleep } from '../timing.js';
import { randomInt } from '../random.js';
import { num } from './attributes.js';
import type { ToxicDefinition } from './definition.js';

/**
 * Delays each chunk until `latency ± jitter` ms after it was read. Measuring from the
 * read time keeps a stream of chunks from piling delay on delay.
 */
export const latency: ToxicDefinition = {
  type: 'latency',
  description: 'Adds a delay of latency ± jitter ms to the data in its direction.',
  extension: false,
  streams: ['downstream', 'upstream'],
  attributes: {
    latency: { kind: 'integer', default: 0, min: 0, unit: 'ms' },
    jitter: { kind: 'integer', default: 0, min: 0, unit: 'ms' },
  },
  createStage(attrs, ctx) {
    return {
      push(chunk, emit) {
        const a = attrs();
        const jitter = num(a, 'jitter');
        const delay = num(a, 'latency') + (jitter > 0 ? randomInt(ctx.random, -jitter, jitter) : 0);
        const due = chunk.at + delay;
        const wait = due - ctx.now();
        if (wait <= 0 || ctx.signal.aborted) return emit(chunk);
        return sleep(wait, ctx.signal).then(() => emit({ data: chunk.data, at: Math.max(chunk.at, due) }));
      },
      dispose() {},
    };
  },
};
