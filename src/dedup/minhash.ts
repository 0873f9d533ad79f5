/**
 * MinHash signatures (Broder 1997) in datasketch 2.x's default scheme, "affine32": each 32-bit
 * shingle hash h is pre-mixed once with the MurmurHash3 finalizer, then permutation k maps it to
 * `a_k · fmix32(h) + b_k mod 2^32` (a_k odd, so each permutation is a bijection). The (a, b) pairs
 * are datasketch's own for the same seed: drawn from `numpy.random.RandomState(seed)` as
 * `a = randint(0, 2^31, n, uint32) · 2 + 1`, then `b = randint(0, 2^32, n, uint32)`. So
 * `datasketch.MinHash(num_perm=n, seed=s, hashfunc=<Chartwright's shingle hash>)` holds exactly
 * Chartwright's signature, which the interop test checks. The arithmetic is one Math.imul per
 * shingle and permutation, four permutations per instruction in WebAssembly SIMD (minhash-wasm.ts).
 */
import { fmix32 } from '../murmur3.js';
import { minimaSimd } from './minhash-wasm.js';
import { Mt19937 } from './mt19937.js';

/** The (a, b) pairs of the permutations. */
export interface Permutations {
  readonly a: Uint32Array;
  readonly b: Uint32Array;
}

/** datasketch's initial hash value (2^32 − 1): the signature of a text without shingles. */
export const EMPTY_HASH = 0xffffffff;

/** datasketch's permutations for `count` permutations and a seed (see the module comment). */
export function permutations(count: number, seed: number): Permutations {
  const mt = new Mt19937(seed);
  const a = new Uint32Array(count);
  const b = new Uint32Array(count);
  // randint(0, 2^31, dtype=uint32) masks one 32-bit draw to 31 bits (no rejection at a power of two).
  for (let i = 0; i < count; i++) a[i] = (((mt.next() & 0x7fffffff) * 2) + 1) >>> 0;
  for (let i = 0; i < count; i++) b[i] = mt.next();
  return { a, b };
}

/** The signature of a set of shingle hashes: per permutation, the least permuted hash. */
export function minhashSignature(shingles: Uint32Array, perms: Permutations): Uint32Array {
  const count = perms.a.length;
  const out = new Uint32Array(count).fill(EMPTY_HASH);
  const n = shingles.length;
  if (n === 0) return out;
  // Signed comparison on values shifted by 2^31 orders them as unsigned, and keeps V8 on int32.
  // Four permutations per pass over the shingles: each hash is loaded once for four multiply-adds.
  const hs = new Int32Array(n);
  for (let i = 0; i < n; i++) hs[i] = fmix32(shingles[i]!) | 0;
  if (minimaSimd(hs, perms.a, perms.b, out)) return out;
  return scalarMinima(hs, perms, out);
}

/** The scalar form of the minima (the reference for the SIMD loop, and its fallback). */
export function scalarMinima(hs: Int32Array, perms: Permutations, out: Uint32Array): Uint32Array {
  const count = perms.a.length;
  const n = hs.length;
  const a = new Int32Array(perms.a.buffer, perms.a.byteOffset, count);
  const b = new Int32Array(perms.b.buffer, perms.b.byteOffset, count);
  let p = 0;
  for (; p + 4 <= count; p += 4) {
    const a0 = a[p]!, a1 = a[p + 1]!, a2 = a[p + 2]!, a3 = a[p + 3]!;
    const b0 = b[p]! ^ 0x80000000, b1 = b[p + 1]! ^ 0x80000000, b2 = b[p + 2]! ^ 0x80000000, b3 = b[p + 3]! ^ 0x80000000;
    let m0 = 0x7fffffff, m1 = 0x7fffffff, m2 = 0x7fffffff, m3 = 0x7fffffff;
    for (let i = 0; i < n; i++) {
      const h = hs[i]!;
      // (x + b) ^ 2^31 == x + (b ^ 2^31) modulo 2^32, so the shift folds into b.
      const v0 = (Math.imul(a0, h) + b0) | 0;
      const v1 = (Math.imul(a1, h) + b1) | 0;
      const v2 = (Math.imul(a2, h) + b2) | 0;
      const v3 = (Math.imul(a3, h) + b3) | 0;
      if (v0 < m0) m0 = v0;
      if (v1 < m1) m1 = v1;
      if (v2 < m2) m2 = v2;
      if (v3 < m3) m3 = v3;
    }
    out[p] = (m0 ^ 0x80000000) >>> 0;
    out[p + 1] = (m1 ^ 0x80000000) >>> 0;
    out[p + 2] = (m2 ^ 0x80000000) >>> 0;
    out[p + 3] = (m3 ^ 0x80000000) >>> 0;
  }
  for (; p < count; p++) {
    const ap = a[p]!;
    const bp = b[p]! ^ 0x80000000;
    let min = 0x7fffffff;
    for (let i = 0; i < n; i++) {
      const v = (Math.imul(ap, hs[i]!) + bp) | 0;
      if (v < min) min = v;
    }
    out[p] = (min ^ 0x80000000) >>> 0;
  }
  return out;
}

/** Share of equal positions: the MinHash estimate of Jaccard similarity. */
export function estimatedJaccard(x: Uint32Array, y: Uint32Array): number {
  let equal = 0;
  for (let i = 0; i < x.length; i++) if (x[i] === y[i]) equal++;
  return x.length === 0 ? 0 : equal / x.length;
}
