import { num } from './attributes.js';
import type { ToxicDefinition } from './definition.js';

/** Passes `bytes` bytes in its direction, then closes the connection. */
export const limitData: ToxicDefinition = {
  type: 'limit_data',
  description: 'Closes the connection once bytes bytes have passed in its direction.',
  extension: false,
  streams: ['downstream', 'upstream'],
  attributes: {
    bytes: { kind: 'integer', default: 0, min: 0, unit: 'bytes' },
  },
  createStage(attrs, ctx) {
    let passed = 0;
    let closed = false;
    return {
      async push(chunk, emit) {
        if (closed) return;
        const left = num(attrs(), 'bytes') - passed;
        const data = left < chunk.data.length ? chunk.data.subarray(0, Math.max(0, left)) : chunk.data;
        if (data.length > 0) {
          passed += data.length;
          await emit({ data, at: chunk.at });
        }
        if (passed >= num(attrs(), 'bytes')) {
          closed = true;
          ctx.connection.close();
        }
      },
      dispose() {},
    };
  },
};
