import { describe, expect, it } from 'vitest';
import { Rng, childKey, keyOf, toSeed } from '../../src/core/random.js';
import { uuidFromKey, IdAllocator } from '../../src/timeline/ids.js';

const seed = toSeed(42);

function draws(rng: Rng, n: number): number[] {
  return Array.from({ length: n }, () => rng.nextUint32());
}

describe('Rng', () => {
  it('gives the same sequence for the same key path', () => {
    expect(draws(Rng.of(seed, 'patient', 7), 50)).toEqual(draws(Rng.of(seed, 'patient', 7), 50));
  });

  it('gives a patient the same stream whatever other streams drew before', () => {
    const alone = draws(Rng.of(seed, 'patient', 3), 20);
    const other = Rng.of(seed, 'patient', 2);
    draws(other, 10_000);
    expect(draws(Rng.of(seed, 'patient', 3), 20)).toEqual(alone);
  });

  it('forks children from the key, not from the parent state', () => {
    const a = Rng.of(seed, 'p');
    const childBefore = draws(a.fork('vitals'), 10);
    draws(a, 1000);
    expect(draws(a.fork('vitals'), 10)).toEqual(childBefore);
  });

  it('makes neighbouring patient streams independent (no shared or shifted draws, no correlation)', () => {
    const n = 2000;
    const streams = Array.from({ length: 200 }, (_, i) => Array.from({ length: n }, ((r) => () => r.next())(Rng.of(seed, 'patient', i))));
    const seen = new Set<number>();
    for (const s of streams.slice(0, 50)) for (const x of s.slice(0, 100)) seen.add(x);
    // 5,000 draws of 32 bits: a collision would mean overlapping streams.
    expect(seen.size).toBe(5000);
    let maxCorrelation = 0;
    for (let i = 0; i + 1 < streams.length; i++) {
      const a = streams[i]!;
      const b = streams[i + 1]!;
      let sab = 0;
      for (let k = 0; k < n; k++) sab += (a[k]! - 0.5) * (b[k]! - 0.5);
      const corr = sab / n / (1 / 12);
      maxCorrelation = Math.max(maxCorrelation, Math.abs(corr));
    }
    // For independent uniforms the correlation of 2,000 pairs has sd ≈ 0.022; 0.1 is > 4.5 sd.
    expect(maxCorrelation).toBeLessThan(0.1);
  });

  it('draws uniformly: 10 bins of 100,000 draws within 3% of their expectation', () => {
    const rng = Rng.of(seed, 'uniformity');
    const bins = new Array<number>(10).fill(0);
    for (let i = 0; i < 100_000; i++) bins[Math.floor(rng.next() * 10)]!++;
    for (const b of bins) expect(Math.abs(b - 10_000)).toBeLessThan(300);
  });

  it('draws normals with mean 0 and sd 1', () => {
    const rng = Rng.of(seed, 'normal');
    let s = 0;
    let ss = 0;
    const n = 50_000;
    for (let i = 0; i < n; i++) {
      const z = rng.normal();
      s += z;
      ss += z * z;
    }
    expect(Math.abs(s / n)).toBeLessThan(0.02);
    expect(Math.abs(Math.sqrt(ss / n - (s / n) ** 2) - 1)).toBeLessThan(0.02);
  });

  it('depends on the seed', () => {
    expect(draws(Rng.of(toSeed(1), 'x'), 5)).not.toEqual(draws(Rng.of(toSeed(2), 'x'), 5));
    expect(() => toSeed(-1)).toThrow(RangeError);
    expect(() => toSeed(1.5)).toThrow(RangeError);
  });
});

describe('ids', () => {
  it('are RFC 9562 version-8 UUIDs, stable per key and item', () => {
    const key = keyOf(seed, 'patient', 1);
    const id = uuidFromKey(childKey(key, 0));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const a = new IdAllocator(key);
    const b = new IdAllocator(key);
    const first = [a.next(), a.next(), a.next()];
    expect([b.next(), b.next(), b.next()]).toEqual(first);
    expect(new Set(first).size).toBe(3);
  });
});
