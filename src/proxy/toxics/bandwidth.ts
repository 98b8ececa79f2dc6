import { sleep } from '../timing.js';
import { num } from './attributes.js';
import type { Chunk, Emit } from '../stage.js';
import type { ToxicDefinition } from './definition.js';

/** Slices big chunks so that no piece takes longer than this to send. */
const SLICE_MS = 100;

/**
 * Passes data at `rate` KB/s (1 KB = 1000 bytes, as Toxiproxy counts). Keeps a send
 * schedule rather than sleeping per chunk, so timer slop does not add up.
 */
export const bandwidth: ToxicDefinition = {
  type: 'bandwidth',
  description: 'Limits the data rate to rate KB/s; 0 means no limit.',
  extension: false,
  streams: ['downstream', 'upstream'],
  attributes: {
    rate: { kind: 'integer', default: 0, min: 0, unit: 'KB/s' },
  },
  createStage(attrs, ctx) {
    let due = 0; // when the last scheduled byte may leave (ms)
    async function send(chunk: Chunk, emit: Emit): Promise<void> {
      let data = chunk.data;
      while (data.length > 0) {
        const rate = num(attrs(), 'rate');
        if (rate <= 0 || ctx.signal.aborted) {
          await emit({ data, at: chunk.at });
          return;
        }
        const bytesPerMs = rate; // KB/s = bytes/ms
        const piece = data.subarray(0, Math.max(1, bytesPerMs * SLICE_MS));
        data = data.subarray(piece.length);
        due = Math.max(due, ctx.now()) + piece.length / bytesPerMs;
        await sleep(due - ctx.now(), ctx.signal);
        await emit({ data: piece, at: chunk.at });
      }
    }
    return {
      push(chunk, emit) {
        if (num(attrs(), 'rate') <= 0) return emit(chunk);
        return send(chunk, emit);
      },
      dispose() {},
    };
  },
};
