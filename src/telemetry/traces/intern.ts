/**
 * Sharing of repeated values between stored records, which is what keeps a stored
 * span small: every span of a batch carries the same resource and scope, and most
 * attribute values ("GET", a route, a user agent) repeat from span to span. The
 * decoders hand us fresh copies of each; the stores keep one.
 *
 * Every table here is bounded: when one fills up it starts over, so a stream of
 * unique values costs a little CPU but never unbounded memory.
 */
import type { AttributeValue, Attributes, Resource, Scope } from '../model.js';

/** Strings longer than this are kept as they arrive: long values rarely repeat. */
const MAX_INTERNED_LENGTH = 256;

/** Keeps one copy of each short string it sees, up to `capacity` distinct strings. */
export class StringInterner {
  readonly #capacity: number;
  #table = new Map<string, string>();

  constructor(capacity = 16_384) {
    this.#capacity = capacity;
  }

  intern(value: string): string {
    if (value.length > MAX_INTERNED_LENGTH) return value;
    const known = this.#table.get(value);
    if (known !== undefined) return known;
    if (this.#table.size >= this.#capacity) this.#table = new Map();
    this.#table.set(value, value);
    return value;
  }

  get size(): number {
    return this.#table.size;
  }
}

/** A canonical key for an attribute set: JSON with the keys in sorted order. */
export function attributesKey(attributes: Attributes): string {
  const keys = Object.keys(attributes).sort();
  let key = '';
  for (const k of keys) key += `${JSON.stringify(k)}:${JSON.stringify(attributes[k])},`;
  return key;
}

/**
 * Shares resources and scopes. A resource object seen before (the decoders reuse one
 * per batch) is found by identity; a new object with known contents maps to the copy
 * already kept.
 */
export class RecordInterner {
  readonly strings: StringInterner;
  readonly #capacity: number;
  #resourcesById = new WeakMap<Resource, Resource>();
  #resources = new Map<string, Resource>();
  #scopes = new Map<string, Scope>();

  constructor(options: { strings?: StringInterner; capacity?: number } = {}) {
    this.strings = options.strings ?? new StringInterner();
    this.#capacity = options.capacity ?? 4_096;
  }

  resource(resource: Resource): Resource {
    const seen = this.#resourcesById.get(resource);
    if (seen !== undefined) return seen;
    const key = attributesKey(resource.attributes);
    let kept = this.#resources.get(key);
    if (kept === undefined) {
      if (this.#resources.size >= this.#capacity) this.#resources = new Map();
      kept = Object.freeze({ attributes: Object.freeze(this.attributes(resource.attributes)) });
      this.#resources.set(key, kept);
    }
    this.#resourcesById.set(resource, kept);
    return kept;
  }

  scope(scope: Scope): Scope {
    const key = `${scope.name}\u0000${scope.version}`;
    let kept = this.#scopes.get(key);
    if (kept === undefined) {
      if (this.#scopes.size >= this.#capacity) this.#scopes = new Map();
      kept = Object.freeze({ name: this.strings.intern(scope.name), version: this.strings.intern(scope.version) });
      this.#scopes.set(key, kept);
    }
    return kept;
  }

  /** A copy of `attributes` whose string values are shared; EMPTY_ATTRIBUTES when there are none. */
  attributes(attributes: Attributes): Attributes {
    let out: Attributes | undefined;
    for (const key in attributes) {
      out ??= {};
      out[key] = this.value(attributes[key] ?? null);
    }
    return out ?? EMPTY_ATTRIBUTES;
  }

  value(value: AttributeValue): AttributeValue {
    if (typeof value === 'string') return this.strings.intern(value);
    return value;
  }
}

/** Shared by every record without attributes; frozen so that no one writes into it. */
export const EMPTY_ATTRIBUTES: Attributes = Object.freeze({});
