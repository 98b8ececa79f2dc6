/**
 * The services' OpenTelemetry ContextManager: the active context lasts for the
 * synchronous extent of `context.with(ctx, fn)` and no longer. It does not follow
 * awaits, timers or callbacks on its own; the services carry the request's context
 * across those explicitly (trace-context.ts).
 *
 * Why not the SDK's AsyncLocalStorage manager: on Node 20 AsyncLocalStorage turns on
 * V8 promise hooks for the whole process as soon as one request enters a context, and
 * from then on every promise of every request, traced or not, pays for them (measured
 * at about a third of a cached GET /menu's CPU; benchmarks/cafe.mjs). With this manager
 * a request the sampler drops costs its sampling decision and nothing after it
 * (server-spans.ts).
 *
 * `bind` wraps functions (pg's pool binds its connect callback with it) and returns
 * anything else as it is: no event emitter is patched.
 */
import { ROOT_CONTEXT } from '@opentelemetry/api';
import type { Context, ContextManager } from '@opentelemetry/api';

export class SyncContextManager implements ContextManager {
  #active: Context = ROOT_CONTEXT;

  active(): Context {
    return this.#active;
  }

  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(context: Context, fn: F, thisArg?: ThisParameterType<F>, ...args: A): ReturnType<F> {
    const previous = this.#active;
    this.#active = context;
    try {
      return fn.call(thisArg, ...args);
    } finally {
      this.#active = previous;
    }
  }

  bind<T>(context: Context, target: T): T {
    if (typeof target !== 'function') return target;
    const fn = target as (...args: unknown[]) => unknown;
    const enter = this.with.bind(this);
    return function bound(this: unknown, ...args: unknown[]): unknown {
      return enter(context, fn, this, ...args);
    } as T;
  }

  enable(): this {
    return this;
  }

  disable(): this {
    this.#active = ROOT_CONTEXT;
    return this;
  }
}
