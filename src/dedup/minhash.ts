/**
 * MinHash signatures (Broder 1997) in datasketch's arithmetic. datasketch permutes a 32-bit shingle
 * hash h as `((a·h + b) mod (2^61 − 1)) & (2^32 − 1)`. Chartwright draws every a odd and below 2^29
 * and every b below 2^32, so a·h + b < 2^61 − 1: the modulo never bites and the permutation is
 * exactly `(a·h + b) mod 2^32`, one 32-bit multiply-add (Math.imul) per shingle and permutation.
 * datasketch's own `MinHash(permutations=(a, b), hashfunc=...)` computes bit-identical signatures
 * from the same (a, b), which is what the interop test checks.
 */
import { createHash } from 'node:crypto';

/** The (a, b) pairs of the permutations. */
export interface Permutations {
  readonly a: Uint32Array;
  readonly b: Uint32Array;
}

/** datasketch's initial hash value (2^32 − 1): the signature of a text without shingles. */
export const EMPTY_HASH = 0xffffffff;

/**
 * `count` permutations for a seed: permutation i takes a and b from the first 8 bytes of
 * sha256("chartwright-minhash:<seed>:<i>") (little-endian), a made odd and below 2^29.
 */
export function permutations(count: number, seed: number): Permutations {
  const a = new Uint32Array(count);
  const b = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    const digest = createHash('sha256').update(`chartwright-minhash:${seed}:${i}`).digest();
    a[i] = ((digest.readUInt32LE(0) & 0x1fffffff) | 1) >>> 0;
    b[i] = digest.readUInt32LE(4);
  }
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
  const hs = new Int32Array(shingles.buffer, shingles.byteOffset, n);
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
