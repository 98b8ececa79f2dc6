/**
 * When a shard sends. Closed model: users loop (pick a task, send, think) and a
 * controller adds or removes users to follow usersAt(); a removed user finishes its
 * request. Open model: arrivals at intended times computed from rateAt() (never from
 * timers firing), each response timed from its intended start, as wrk2 does; beyond
 * maxInFlight an arrival is dropped and counted.
 */
import type { ClosedModel, OpenModel } from '../types.js';
import { arrivalTimesMs, shareOf, totalDurationMs, usersAt } from './schedule.js';
import type { Shard } from './shard.js';

/** How often the closed model's controller follows the schedule. */
const CONTROL_EVERY_MS = 50;

/** Calls `then` after `ms` or when the shard stops, whichever comes first. */
function wait(shard: Shard, ms: number, then: () => void, wake?: { cancel: (() => void) | null }): void {
  let off = (): void => {};
  const timer = setTimeout(() => {
    off();
    if (wake) wake.cancel = null;
    then();
  }, Math.max(0, ms));
  const done = (): void => {
    clearTimeout(timer);
    off();
    if (wake) wake.cancel = null;
    then();
  };
  off = shard.onStop(done);
  if (wake) wake.cancel = done;
}

/** Resolves after `ms` or when the shard stops, whichever comes first. */
function pause(shard: Shard, ms: number): Promise<void> {
  return new Promise((resolve) => wait(shard, ms, resolve));
}

const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

interface User {
  id: number;
  removed: boolean;
  wake: { cancel: (() => void) | null };
}

/**
 * A user's loop: pick a task, send, think, again, until removed or stopped. Driven by
 * callbacks (no promise per request); Shard.start() never calls back synchronously.
 */
function startUser(shard: Shard, user: User): void {
  let iteration = 0;
  let thinkMin = 0;
  let thinkMax = 0;
  const next = (): void => {
    if (user.removed || shard.stopped) return;
    const task = shard.pickTask();
    thinkMin = task.task.thinkMs.min;
    thinkMax = task.task.thinkMs.max;
    shard.start(task, user.id, iteration++, null, answered);
  };
  const answered = (): void => {
    if (user.removed || shard.stopped) return;
    const thinkMs = thinkMin + shard.random() * Math.max(0, thinkMax - thinkMin);
    if (thinkMs > 0) wait(shard, thinkMs, next, user.wake);
    else next();
  };
  next();
}

/** The closed model, from `t0` (clock ms) to the end of its stages or a stop. */
export async function runClosed(shard: Shard, model: ClosedModel, t0: number): Promise<void> {
  const users: User[] = [];
  const endMs = totalDurationMs(model);
  let nextId = 1;
  const follow = (elapsedMs: number): void => {
    const target = shareOf(usersAt(model, elapsedMs), shard.index, shard.count);
    while (users.length < target) {
      // User ids interleave over shards, so {{vu}} is unique across workers.
      const user: User = { id: (nextId++ - 1) * shard.count + shard.index + 1, removed: false, wake: { cancel: null } };
      startUser(shard, user);
      users.push(user);
    }
    while (users.length > target) {
      const user = users.pop() as User;
      user.removed = true;
      user.wake.cancel?.();
    }
    shard.users = users.length;
  };
  while (!shard.stopped) {
    const elapsedMs = shard.clock() - t0;
    if (elapsedMs >= endMs) break;
    follow(elapsedMs);
    await pause(shard, Math.min(CONTROL_EVERY_MS, endMs - elapsedMs));
  }
  // The loops end with their request: Shard.close() waits for those in flight, or cuts them.
  shard.stop();
  shard.users = 0;
}

/** The open model: this shard takes arrivals k with k % count === index. */
export async function runOpen(shard: Shard, model: OpenModel, t0: number): Promise<void> {
  const maxInFlight = Math.max(1, shareOf(model.maxInFlight, shard.index, shard.count));
  const endMs = totalDurationMs(model);
  let k = -1;
  let behind = 0;
  for (const atMs of arrivalTimesMs(model)) {
    k++;
    if (k % shard.count !== shard.index) continue;
    if (atMs >= endMs || shard.stopped) break;
    const waitMs = t0 + atMs - shard.clock();
    if (waitMs > 0) {
      await pause(shard, waitMs);
      behind = 0;
    } else if (++behind % 16 === 0) {
      await yieldToLoop(); // behind schedule: let answers in, then catch up in a burst
    }
    if (shard.stopped) break;
    const task = shard.pickTask();
    if (shard.inFlight >= maxInFlight) shard.recordDropped(task);
    else shard.start(task, (k % maxInFlight) + 1, k, t0 + atMs, null);
  }
  // Wait out the end of the last stage, so the run lasts its duration.
  const restMs = t0 + endMs - shard.clock();
  if (restMs > 0 && !shard.stopped) await pause(shard, restMs);
  shard.stop();
}
