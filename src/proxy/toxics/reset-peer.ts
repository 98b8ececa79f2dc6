import { sleep } from '../timing.js';
import { num } from './attributes.js';
import type { ToxicDefinition } from './definition.js';

/**
 * On the first data in its direction, waits `timeout` ms and then resets the
 * connection (TCP RST, so peers see ECONNRESET). Data meanwhile is dropped.
 */
export const resetPeer: ToxicDefinition = {
  type: 'reset_peer',
  description: 'Resets the connection (TCP RST) timeout ms after data arrives.',
  extension: false,
  streams: ['downstream', 'upstream'],
  attributes: {
    timeout: { kind: 'integer', default: 0, min: 0, unit: 'ms' },
  },
  createStage(attrs, ctx) {
    let triggered = false;
    return {
      push() {
        if (triggered) return;
        triggered = true;
        void sleep(num(attrs(), 'timeout'), ctx.signal).then(() => {
          if (!ctx.signal.aborted) ctx.connection.reset();
        });
      },
      dispose() {},
    };
  },
};
