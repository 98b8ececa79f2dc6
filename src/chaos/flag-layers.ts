/**
 * Flags set by chaos faults, as layers over the value a flag had before: removing a
 * fault restores what was under it (the previous fault's value, or the flag's value
 * before chaos, or no flag), whatever order faults are removed in.
 */
import type { FlagStore, FlagValue } from '../control/flags.js';

interface Stack {
  /** The value before the first chaos layer; undefined: the flag was not set. */
  base: FlagValue | undefined;
  layers: Array<{ faultId: string; value: FlagValue }>;
}

export class FlagLayers {
  readonly #flags: Pick<FlagStore, 'all' | 'set' | 'remove'>;
  readonly #stacks = new Map<string, Stack>();

  constructor(flags: Pick<FlagStore, 'all' | 'set' | 'remove'>) {
    this.#flags = flags;
  }

  /** Sets `key` to `value` for `faultId`; on a failed write nothing is recorded. */
  async push(faultId: string, key: string, value: FlagValue): Promise<void> {
    const stack = this.#stacks.get(key) ?? { base: this.#flags.all()[key], layers: [] };
    await this.#flags.set(key, value);
    stack.layers.push({ faultId, value });
    this.#stacks.set(key, stack);
  }

  /** Removes `faultId`'s layer of `key` and writes what is now on top. */
  async pop(faultId: string, key: string): Promise<void> {
    const stack = this.#stacks.get(key);
    if (!stack) return;
    const at = stack.layers.findIndex((l) => l.faultId === faultId);
    if (at < 0) return;
    const wasTop = at === stack.layers.length - 1;
    stack.layers.splice(at, 1);
    if (stack.layers.length === 0) {
      this.#stacks.delete(key);
      if (stack.base === undefined) await this.#flags.remove(key);
      else await this.#flags.set(key, stack.base);
    } else if (wasTop) {
      await this.#flags.set(key, stack.layers[stack.layers.length - 1]!.value);
    }
  }

  /** True while a chaos fault holds `key`. */
  owns(key: string): boolean {
    return this.#stacks.has(key);
  }

  /** Forgets every layer without writing (after the flags were cleared). */
  forget(): void {
    this.#stacks.clear();
  }
}
