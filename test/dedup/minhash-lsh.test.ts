import { describe, expect, it } from 'vitest';
import { fmix32, murmur3String, murmur3Words } from '../../src/core/murmur3.js';
import { candidateProbability, optimalLshParams } from '../../src/dedup/lsh-params.js';
import { EMPTY_HASH, estimatedJaccard, minhashSignature, permutations, scalarMinima } from '../../src/dedup/minhash.js';
import { minimaSimd } from '../../src/dedup/minhash-wasm.js';
import { resolveDedupParams } from '../../src/dedup/settings.js';
import { prng } from './support.js';

describe('MurmurHash3_x86_32', () => {
  it('matches the reference implementation (values from Python mmh3, signed=False)', () => {
    expect(murmur3String('')).toBe(0);
    expect(murmur3String('', 42)).toBe(142593372);
    expect(murmur3String('hello')).toBe(613153351);
    expect(murmur3String('The quick brown fox jumps over the lazy dog')).toBe(776992547);
    expect(murmur3String('héllo wörld 𝄞')).toBe(2991280788);
    // Words are their little-endian bytes.
    const words = new Uint32Array([0x6c6c6568, 0x0000006f]);
    expect(murmur3Words(words, 0, 1)).toBe(murmur3String('hell'));
  });
});

describe('LSH parameters', () => {
  it('finds datasketch\'s optimum when no recall floor is set', () => {
    // datasketch.lsh._optimal_param(0.8, 128, 0.5, 0.5) == (9, 13); (0.7, 128) == (14, 9).
    const base = { numPerm: 128, falsePositiveWeight: 0.5, falseNegativeWeight: 0.5, minRecallAtThreshold: 0 };
    expect(optimalLshParams({ ...base, threshold: 0.8 })).toMatchObject({ bands: 9, rows: 13 });
    expect(optimalLshParams({ ...base, threshold: 0.7 })).toMatchObject({ bands: 14, rows: 9 });
  });

  it('catches pairs at the default threshold with probability >= 0.99', () => {
    const p = resolveDedupParams({});
    expect(p.bands * p.rows).toBeLessThanOrEqual(p.numPerm);
    expect(candidateProbability(0.8, p.bands, p.rows)).toBeGreaterThanOrEqual(0.99);
    // ... while the plain optimum would catch fewer than half.
    expect(candidateProbability(0.8, 9, 13)).toBeLessThan(0.5);
  });
});

describe('MinHash', () => {
  it("draws datasketch's permutations (numpy RandomState(1), scheme affine32)", () => {
    // datasketch 2.0: MinHash(num_perm=4).permutations
    const perms = permutations(4, 1);
    expect([...perms.a]).toEqual([3582191691, 4270784983, 1892572953, 3715639441]);
    expect([...perms.b]).toEqual([491263, 550290313, 1298508491, 4290846341]);
  });

  it("computes datasketch's affine32 update a * fmix32(h) + b mod 2^32 exactly", () => {
    const perms = permutations(64, 1);
    const random = prng(3);
    for (let trial = 0; trial < 200; trial++) {
      const h = Math.floor(random() * 2 ** 32);
      const signature = minhashSignature(new Uint32Array([h]), perms);
      const mixed = BigInt(fmix32(h));
      for (let p = 0; p < 64; p++) {
        expect(signature[p]).toBe(Number((BigInt(perms.a[p]!) * mixed + BigInt(perms.b[p]!)) % 2n ** 32n));
      }
    }
  });

  it('computes in WebAssembly SIMD exactly what the scalar loop computes, at any permutation count and text length', () => {
    const random = prng(17);
    for (const count of [8, 13, 96, 128, 250]) {
      const perms = permutations(count, 1 + count);
      for (const n of [0, 1, 3, 57, 400, 5000]) {
        const shingles = Uint32Array.from({ length: n }, () => Math.floor(random() * 2 ** 32));
        const hs = Int32Array.from(shingles, (h) => fmix32(h) | 0);
        const scalar = scalarMinima(hs, perms, new Uint32Array(count).fill(EMPTY_HASH));
        const simd = new Uint32Array(count).fill(EMPTY_HASH);
        expect(minimaSimd(hs, perms.a, perms.b, simd)).toBe(true);
        expect([...simd]).toEqual([...scalar]);
        expect([...minhashSignature(shingles, perms)]).toEqual([...scalar]);
      }
    }
  });

  it('estimates Jaccard similarity without bias (mean error < 0.01 over 200 pairs)', () => {
    const perms = permutations(128, 1);
    const random = prng(11);
    let totalError = 0;
    for (let trial = 0; trial < 200; trial++) {
      const shared = 50 + Math.floor(random() * 300);
      const own = Math.floor(random() * 300);
      const make = (): number => Math.floor(random() * 2 ** 32);
      const common = Array.from({ length: shared }, make);
      const a = new Uint32Array([...common, ...Array.from({ length: own }, make)]);
      const b = new Uint32Array([...common, ...Array.from({ length: own }, make)]);
      totalError += estimatedJaccard(minhashSignature(a, perms), minhashSignature(b, perms)) - shared / (shared + 2 * own);
    }
    expect(Math.abs(totalError / 200)).toBeLessThan(0.01);
  });
});
