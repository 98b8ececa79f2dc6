/**
 * Random numbers in [0, 1) for toxicity rolls, jitter and slicing. Seedable
 * (mulberry32) so `--seed` makes a run repeatable, as toxiproxy-server's -seed does.
 */
export type Random = () => number;

export function createRandom(seed?: number): Random {
  if (seed === undefined) return Math.random;
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A whole number in [min, max], both included. */
export function randomInt(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}
