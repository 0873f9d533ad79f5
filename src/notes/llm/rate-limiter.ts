/**
 * A sliding one-minute window limiter for requests per minute and tokens per minute. A caller
 * reserves an amount before the request (tokens: an estimate) and may settle it to the real amount
 * after, so a run stays under the provider's quota instead of bouncing off 429s.
 */
import { setTimeout as delay } from 'node:timers/promises';

const WINDOW_MS = 60_000;

/** Time source and sleeper; injectable so tests need no real waiting. */
export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) => delay(ms, undefined, signal === undefined ? {} : { signal }),
};

/** A reservation; `settle` replaces the reserved amount with the real one. */
export interface Reservation {
  settle(actual: number): void;
}

export class WindowLimiter {
  private readonly entries: { at: number; amount: number }[] = [];

  /** @param perMinute the most the window may hold. */
  constructor(
    readonly perMinute: number,
    private readonly clock: Clock = systemClock,
  ) {
    if (!(perMinute > 0)) throw new RangeError('a rate limit must be positive');
  }

  /** Waits until `amount` fits in the last minute, then records it. An amount above the limit waits for an empty window. */
  async reserve(amount: number, signal?: AbortSignal): Promise<Reservation> {
    for (;;) {
      signal?.throwIfAborted();
      const now = this.clock.now();
      this.expire(now);
      const used = this.entries.reduce((n, e) => n + e.amount, 0);
      if (used === 0 || used + amount <= this.perMinute) {
        const entry = { at: now, amount };
        this.entries.push(entry);
        return { settle: (actual) => void (entry.amount = actual) };
      }
      const oldest = this.entries[0]!;
      await this.clock.sleep(Math.max(1, oldest.at + WINDOW_MS - now), signal);
    }
  }

  /** The amount recorded in the window ending now. */
  used(): number {
    this.expire(this.clock.now());
    return this.entries.reduce((n, e) => n + e.amount, 0);
  }

  private expire(now: number): void {
    while (this.entries.length > 0 && this.entries[0]!.at + WINDOW_MS <= now) this.entries.shift();
  }
}
