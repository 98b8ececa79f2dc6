import { num } from './attributes.js';
import type { ToxicDefinition } from './definition.js';

/**
 * Stops all data in its direction and closes the connection after `timeout` ms;
 * 0 holds it open forever. Removing the toxic closes what it held, as Toxiproxy does.
 */
export const timeout: ToxicDefinition = {
  type: 'timeout',
  description: 'Drops all data and closes the connection after timeout ms (0: never closes).',
  extension: false,
  streams: ['downstream', 'upstream'],
  attributes: {
    timeout: { kind: 'integer', default: 0, min: 0, unit: 'ms' },
  },
  createStage(attrs, ctx) {
    const ms = num(attrs(), 'timeout');
    const timer = ms > 0 ? setTimeout(() => ctx.connection.close(), ms) : undefined;
    return {
      push() {
        // Data is dropped on the floor while the toxic holds the connection.
      },
      dispose(reason) {
        clearTimeout(timer);
        if (reason === 'removed') ctx.connection.close();
      },
    };
  },
};
