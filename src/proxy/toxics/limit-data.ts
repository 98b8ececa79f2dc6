import { num } from './attributes.js';
import type { ToxicDefinition } from './definition.js';

/**
 * Passes `bytes` bytes in its direction, then closes the connection. The count lives in
 * the link's toxic state, so an update (a new limit) counts the bytes already passed.
 */
export const limitData: ToxicDefinition = {
  type: 'limit_data',
  description: 'Closes the connection once bytes bytes have passed in its direction.',
  extension: false,
  streams: ['downstream', 'upstream'],
  attributes: {
    bytes: { kind: 'integer', default: 0, min: 0, unit: 'bytes' },
  },
  createStage(attrs, ctx) {
    const state = ctx.state;
    state['passed'] ??= 0;
    let closed = false;
    return {
      async push(chunk, emit) {
        if (closed) return;
        const passed = state['passed'] ?? 0;
        const left = num(attrs(), 'bytes') - passed;
        const data = left < chunk.data.length ? chunk.data.subarray(0, Math.max(0, left)) : chunk.data;
        if (data.length > 0) {
          state['passed'] = passed + data.length;
          await emit({ data, at: chunk.at });
        }
        if ((state['passed'] ?? 0) >= num(attrs(), 'bytes')) {
          closed = true;
          ctx.connection.close();
        }
      },
      dispose() {},
    };
  },
};
