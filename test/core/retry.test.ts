import { describe, expect, it } from 'vitest';
import { retryAfterMs } from '../../src/core/retry-after.js';
import { backoffDelayMs, retryDelayMs, withRetry, type RetryEvent } from '../../src/core/retry.js';
import { AuthError, ConnectionError, InterruptedError, RateLimitError, ServerError } from '../../src/errors.js';

const policy = { attempts: 4, baseDelayMs: 100, maxDelayMs: 5000 };

/** Jitter values in turn, so every wait is known exactly. */
function sequence(...values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length]!;
}

/** Records the waits instead of waiting. */
function recorder(): { waits: number[]; sleep: (ms: number) => Promise<void> } {
  const waits: number[] = [];
  return { waits, sleep: (ms) => (waits.push(ms), Promise.resolve()) };
}

/** A call that fails with each error in turn, then answers 'ok'. */
function failing(...errors: unknown[]): { run: () => Promise<string>; calls: () => number } {
  let calls = 0;
  return {
    run: () => {
      const error = errors[calls++];
      return error === undefined ? Promise.resolve('ok') : Promise.reject(error);
    },
    calls: () => calls,
  };
}

describe('Retry-After', () => {
  const headers = (h: Record<string, string>) => ({ get: (n: string) => h[n] ?? null });
  it('reads retry-after-ms, seconds and HTTP dates, and ignores what it cannot read', () => {
    expect(retryAfterMs(headers({ 'retry-after-ms': '250', 'retry-after': '9' }))).toBe(250);
    expect(retryAfterMs(headers({ 'retry-after': '2' }))).toBe(2000);
    expect(retryAfterMs(headers({ 'retry-after': '1.5' }))).toBe(1500);
    const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');
    expect(retryAfterMs(headers({ 'retry-after': 'Wed, 21 Oct 2015 07:28:10 GMT' }), now)).toBe(10_000);
    // A date in the past means "now".
    expect(retryAfterMs(headers({ 'retry-after': 'Wed, 21 Oct 2015 07:27:00 GMT' }), now)).toBe(0);
    expect(retryAfterMs(headers({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(retryAfterMs(headers({ 'retry-after': '-5' }))).toBeUndefined();
    expect(retryAfterMs(headers({ 'retry-after-ms': 'x', 'retry-after': '3' }))).toBe(3000);
    expect(retryAfterMs(headers({}))).toBeUndefined();
    expect(retryAfterMs(undefined)).toBeUndefined();
    expect(retryAfterMs({ 'retry-after': '3' } as never)).toBeUndefined();
  });
});

describe('backoff', () => {
  it('waits between half the ceiling and the ceiling, doubling up to the cap', () => {
    expect(backoffDelayMs(policy, 1, 0)).toBe(50);
    expect(backoffDelayMs(policy, 1, 0.999)).toBe(100);
    expect(backoffDelayMs(policy, 4, 0)).toBe(400);
    expect(backoffDelayMs(policy, 20, 0.999)).toBe(4998);
    expect(backoffDelayMs(policy, 20, 0)).toBe(2500);
  });

  it("prefers the server's Retry-After, capped by the policy", () => {
    expect(retryDelayMs(policy, 1, 2000, 0.9)).toBe(2000);
    expect(retryDelayMs(policy, 1, 120_000, 0.9)).toBe(5000);
    expect(retryDelayMs(policy, 1, 0, 0.9)).toBe(0);
    expect(retryDelayMs(policy, 3, undefined, 0.5)).toBe(300);
  });
});

describe('withRetry', () => {
  it('retries retryable request errors with injected jitter, honouring Retry-After, and reports each retry', async () => {
    const clock = recorder();
    const events: RetryEvent[] = [];
    const call = failing(new ServerError('503', { status: 503 }), new RateLimitError('429', { status: 429, retryAfterMs: 1234 }), new ConnectionError('reset'));
    const result = await withRetry(call.run, { policy, random: sequence(0, 0.9, 0.5), sleep: clock.sleep, onRetry: (e) => events.push(e) });
    expect(result).toBe('ok');
    expect(call.calls()).toBe(4);
    // Retry 1: backoff 50..100 at jitter 0; retry 2: the server's 1234 ms (jitter unused); retry 3: 200..400 at jitter 0.5.
    expect(clock.waits).toEqual([50, 1234, 300]);
    expect(events.map((e) => [e.attempt, e.delayMs, (e.error as Error).message])).toEqual([[1, 50, '503'], [2, 1234, '429'], [3, 300, 'reset']]);
  });

  it('throws the last error as it is once the attempts are spent, and tells the last attempt so', async () => {
    const clock = recorder();
    const seen: boolean[] = [];
    const last = new ServerError('still down', { status: 500 });
    const errors = [new ServerError('down', { status: 500 }), new ServerError('down', { status: 502 }), new ServerError('down', { status: 503 }), last];
    let i = 0;
    const error = await withRetry(({ last: isLast }) => {
      seen.push(isLast);
      return Promise.reject(errors[i++]);
    }, { policy, random: () => 0, sleep: clock.sleep }).catch((e: unknown) => e);
    expect(error).toBe(last);
    expect(seen).toEqual([false, false, false, true]);
    expect(clock.waits).toHaveLength(3);
  });

  it('does not retry what retrying cannot fix', async () => {
    for (const error of [new AuthError('no'), new ServerError('not FHIR'), new InterruptedError(), new TypeError('bug')]) {
      const call = failing(error);
      await expect(withRetry(call.run, { policy, sleep: recorder().sleep })).rejects.toBe(error);
      expect(call.calls()).toBe(1);
    }
  });

  it('lets the caller decide what is retryable', async () => {
    const clock = recorder();
    const call = failing(new Error('flaky'));
    expect(await withRetry(call.run, { policy, random: () => 0, sleep: clock.sleep, advise: () => ({ retryAfterMs: 7 }) })).toBe('ok');
    expect(clock.waits).toEqual([7]);
  });

  it("stops waiting when the signal aborts, with the signal's reason", async () => {
    const controller = new AbortController();
    const call = failing(new ConnectionError('reset'));
    const pending = withRetry(call.run, { policy: { ...policy, baseDelayMs: 60_000, maxDelayMs: 60_000 }, signal: controller.signal });
    await new Promise((resolve) => setImmediate(resolve));
    const reason = new InterruptedError();
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    expect(call.calls()).toBe(1);
  });
});
