/**
 * An OpenFeature provider that reads flags from a JSON file (CAFE_FLAGS_FILE) and
 * re-reads it when it changes: at once on a file-system event for it (fs.watch on
 * its directory, so an atomic rename-over is seen too), and by polling every
 * second where such events are not delivered. Two shapes are accepted:
 *
 *   { "slowMenuQueryMs": 1500, "cacheDisabled": true }            plain values
 *   { "flags": { "cacheDisabled": { "state": "ENABLED",             flagd's format
 *       "variants": { "on": true, "off": false }, "defaultVariant": "on" } } }
 *
 * A missing file means every flag takes its default; a file that does not parse
 * keeps the last good flags and logs why.
 */
import { watch } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { ErrorCode, OpenFeatureEventEmitter, ProviderEvents, StandardResolutionReasons } from '@openfeature/server-sdk';
import type { EvaluationContext, JsonValue, Provider, ResolutionDetails } from '@openfeature/server-sdk';
import type { Logger } from './logger.js';

interface FlagValue {
  value: JsonValue;
  variant?: string;
}

type FlagType = 'boolean' | 'string' | 'number' | 'object';

function parseFlags(text: string): Map<string, FlagValue> {
  const doc = JSON.parse(text) as unknown;
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new Error('the file must hold a JSON object');
  const flags = new Map<string, FlagValue>();
  const nested = (doc as { flags?: unknown }).flags;
  if (nested !== undefined && nested !== null && typeof nested === 'object' && !Array.isArray(nested)) {
    for (const [key, def] of Object.entries(nested as Record<string, unknown>)) {
      const d = def as { state?: unknown; variants?: Record<string, JsonValue>; defaultVariant?: unknown };
      if (d.state === 'DISABLED' || typeof d.defaultVariant !== 'string' || d.variants === undefined) continue;
      const value = d.variants[d.defaultVariant];
      if (value !== undefined) flags.set(key, { value, variant: d.defaultVariant });
    }
    return flags;
  }
  for (const [key, value] of Object.entries(doc as Record<string, JsonValue>)) flags.set(key, { value });
  return flags;
}

export class FileFlagProvider implements Provider {
  readonly metadata = { name: 'cafe-file-flags' } as const;
  readonly runsOn = 'server' as const;
  readonly events = new OpenFeatureEventEmitter();
  readonly #path: string | undefined;
  readonly #logger: Logger;
  readonly #pollMs: number;
  #flags = new Map<string, FlagValue>();
  #signature = '';
  #timer: NodeJS.Timeout | undefined;
  #watcher: FSWatcher | undefined;
  #reloading: Promise<void> = Promise.resolve();

  constructor(path: string | undefined, logger: Logger, pollMs = 1000) {
    this.#path = path;
    this.#logger = logger;
    this.#pollMs = pollMs;
  }

  async initialize(): Promise<void> {
    await this.#reload();
    const path = this.#path;
    if (path === undefined) return;
    try {
      this.#watcher = watch(dirname(path), { persistent: false }, (_event, filename) => {
        if (filename === null || filename === basename(path)) void this.#reload();
      });
      this.#watcher.on('error', () => this.#watcher?.close());
    } catch {
      // no file-system events here: polling alone
    }
    const tick = (): void => {
      void this.#reload().finally(() => {
        if (this.#timer !== undefined) this.#timer = setTimeout(tick, this.#pollMs).unref();
      });
    };
    this.#timer = setTimeout(tick, this.#pollMs).unref();
  }

  onClose(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#watcher?.close();
    this.#watcher = undefined;
    return Promise.resolve();
  }

  /** The current raw values, for logs and diagnostics. */
  snapshot(): Record<string, JsonValue> {
    return Object.fromEntries([...this.#flags].map(([k, v]) => [k, v.value]));
  }

  /** Reloads one at a time: a watch event during a poll waits for it, then checks again. */
  #reload(): Promise<void> {
    this.#reloading = this.#reloading.then(() => this.#reloadOnce()).catch((err: unknown) => this.#logger.error({ err }, "flags reload failed"));
    return this.#reloading;
  }

  async #reloadOnce(): Promise<void> {
    if (this.#path === undefined) return;
    let signature: string;
    try {
      const info = await stat(this.#path);
      signature = `${info.mtimeMs}:${info.size}:${info.ino}`;
    } catch {
      signature = 'missing';
    }
    if (signature === this.#signature) return;
    this.#signature = signature;
    if (signature === 'missing') {
      this.#apply(new Map(), `flags file ${this.#path} not found: every flag is off`);
      return;
    }
    try {
      this.#apply(parseFlags(await readFile(this.#path, 'utf8')), `flags file ${this.#path} loaded`);
    } catch (err) {
      this.#logger.error({ err }, `flags file ${this.#path} is not valid (${(err as Error).message}); keeping the previous flags`);
    }
  }

  #apply(flags: Map<string, FlagValue>, message: string): void {
    const changed = [...new Set([...flags.keys(), ...this.#flags.keys()])].filter(
      (key) => JSON.stringify(flags.get(key)?.value) !== JSON.stringify(this.#flags.get(key)?.value),
    );
    this.#flags = flags;
    this.#logger.info({ flags: this.snapshot() }, message);
    if (changed.length > 0) this.events.emit(ProviderEvents.ConfigurationChanged, { flagsChanged: changed });
  }

  #resolve<T extends JsonValue>(key: string, fallback: T, type: FlagType): ResolutionDetails<T> {
    const flag = this.#flags.get(key);
    if (flag === undefined) return { value: fallback, reason: StandardResolutionReasons.DEFAULT };
    const actual = Array.isArray(flag.value) || flag.value === null ? 'object' : typeof flag.value;
    if (actual !== type) {
      return { value: fallback, reason: StandardResolutionReasons.ERROR, errorCode: ErrorCode.TYPE_MISMATCH, errorMessage: `flag ${key} must be a ${type}, received ${JSON.stringify(flag.value)}` };
    }
    return { value: flag.value as T, reason: StandardResolutionReasons.STATIC, ...(flag.variant === undefined ? {} : { variant: flag.variant }) };
  }

  resolveBooleanEvaluation(key: string, fallback: boolean, _context: EvaluationContext): Promise<ResolutionDetails<boolean>> {
    return Promise.resolve(this.#resolve(key, fallback, 'boolean'));
  }

  resolveStringEvaluation(key: string, fallback: string, _context: EvaluationContext): Promise<ResolutionDetails<string>> {
    return Promise.resolve(this.#resolve(key, fallback, 'string'));
  }

  resolveNumberEvaluation(key: string, fallback: number, _context: EvaluationContext): Promise<ResolutionDetails<number>> {
    return Promise.resolve(this.#resolve(key, fallback, 'number'));
  }

  resolveObjectEvaluation<T extends JsonValue>(key: string, fallback: T, _context: EvaluationContext): Promise<ResolutionDetails<T>> {
    return Promise.resolve(this.#resolve(key, fallback, 'object'));
  }
}
