import { sleep } from '../timing.js';
import { num } from './attributes.js';
import type { ToxicDefinition } from './definition.js';

/** Holds the close of its direction for `delay` ms after the source closed. */
export const slowClose: ToxicDefinition = {
  type: 'slow_close',
  description: 'Delays the TCP close by delay ms after the other side closed.',
  extension: false,
  streams: ['downstream', 'upstream'],
  attributes: {
    delay: { kind: 'integer', default: 0, min: 0, unit: 'ms' },
  },
  createStage(attrs, ctx) {
    return {
      push: (chunk, emit) => emit(chunk),
      end: () => sleep(num(attrs(), 'delay'), ctx.signal),
      dispose() {},
    };
  },
};
