import { sleep } from '../timing.js';
import { randomInt } from '../random.js';
import type { Random } from '../random.js';
import { num } from './attributes.js';
import type { ToxicDefinition } from './definition.js';

/** Cut points for a buffer of `size` bytes, pieces about `average ± variation` long. */
export function sliceOffsets(size: number, average: number, variation: number, random: Random): number[] {
  const cuts: number[] = [];
  let start = 0;
  while (size - start > average + variation) {
    const piece = Math.max(1, average + (variation > 0 ? randomInt(random, -variation, variation) : 0));
    start += piece;
    cuts.push(start);
  }
  cuts.push(size);
  return cuts;
}

/** Splits each chunk into smaller pieces, `delay` µs apart (Toxiproxy uses µs here). */
export const slicer: ToxicDefinition = {
  type: 'slicer',
  description: 'Slices data into pieces of average_size ± size_variation bytes, delay µs apart.',
  extension: false,
  streams: ['downstream', 'upstream'],
  attributes: {
    average_size: { kind: 'integer', default: 0, min: 0, unit: 'bytes' },
    size_variation: { kind: 'integer', default: 0, min: 0, unit: 'bytes' },
    delay: { kind: 'integer', default: 0, min: 0, unit: 'µs' },
  },
  check(attrs) {
    const average = num(attrs, 'average_size');
    const variation = num(attrs, 'size_variation');
    if (average > 0 && variation >= average) {
      return `attributes.size_variation must be less than average_size (${average}), received ${variation}`;
    }
    return undefined;
  },
  createStage(attrs, ctx) {
    return {
      async push(chunk, emit) {
        const a = attrs();
        const average = num(a, 'average_size');
        if (average <= 0) return emit(chunk);
        const cuts = sliceOffsets(chunk.data.length, average, num(a, 'size_variation'), ctx.random);
        let from = 0;
        for (const [i, to] of cuts.entries()) {
          await emit({ data: chunk.data.subarray(from, to), at: chunk.at });
          from = to;
          if (i < cuts.length - 1) await sleep(num(a, 'delay') / 1000, ctx.signal);
        }
      },
      dispose() {},
    };
  },
};
