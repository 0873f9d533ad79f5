import { describe, expect, it } from 'vitest';
import { WindowLimiter, type Clock } from '../../../src/notes/llm/rate-limiter.js';

/** A clock whose sleep moves time forward instead of waiting. */
function manualClock(): Clock & { waits: number[]; t: number } {
  const clock = {
    t: 0,
    waits: [] as number[],
    now: () => clock.t,
    sleep: async (ms: number) => {
      clock.waits.push(ms);
      clock.t += ms;
    },
  };
  return clock;
}

describe('window limiter', () => {
  it('lets N requests a minute through and holds the next until the window frees', async () => {
    const clock = manualClock();
    const rpm = new WindowLimiter(2, clock);
    await rpm.reserve(1);
    clock.t = 10_000;
    await rpm.reserve(1);
    await rpm.reserve(1);
    expect(clock.waits).toEqual([50_000]);
    expect(clock.t).toBe(60_000);
  });

  it('counts tokens, settles estimates to real usage, and lets an oversized request through an empty window', async () => {
    const clock = manualClock();
    const tpm = new WindowLimiter(1000, clock);
    const first = await tpm.reserve(900);
    first.settle(300);
    await tpm.reserve(600);
    expect(clock.waits).toEqual([]);
    expect(tpm.used()).toBe(900);
    await tpm.reserve(5000);
    expect(clock.waits).toEqual([60_000]);
  });

  it('stops waiting when aborted', async () => {
    const rpm = new WindowLimiter(1);
    await rpm.reserve(1);
    const controller = new AbortController();
    const pending = rpm.reserve(1, controller.signal);
    controller.abort();
    await expect(pending).rejects.toThrow();
  });
});
