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
  const hs = new Int32Array(shingles.buffer, shingles.byteOffset, n);
  for (let p = 0; p < count; p++) {
    const a = perms.a[p]! | 0;
    const b = perms.b[p]! | 0;
    let min = 0x7fffffff;
    for (let i = 0; i < n; i++) {
      const v = ((Math.imul(a, hs[i]!) + b) | 0) ^ 0x80000000;
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
