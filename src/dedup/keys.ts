/**
 * The lookup keys of the index, as 53-bit integers (exact in a double and in a SQLite INTEGER):
 * LSH band keys (a hash of a band's r signature values) and window keys (a rolling hash of W
 * consecutive token hashes). A key is two independent 32-bit hashes, 21 + 32 bits of them kept,
 * so unrelated keys collide with probability 2^-53; a collision only costs a confirmation, since
 * every hit is checked on the texts themselves.
 */
import { murmur3Words } from '../murmur3.js';

const TWO_32 = 2 ** 32;
const HIGH_MASK = 0x1fffff;

/** Joins a high and a low 32-bit hash into one key below 2^53. */
export function joinKey(high: number, low: number): number {
  return (high & HIGH_MASK) * TWO_32 + (low >>> 0);
}

/** The low 32 bits of a key. (Not `key % 2^32`: a double's modulo is a call to fmod, ten times slower.) */
export function keyLow(key: number): number {
  return (key - Math.floor(key / TWO_32) * TWO_32) >>> 0;
}

/** The high 21 bits of a key. */
export function keyHigh(key: number): number {
  return Math.floor(key / TWO_32) >>> 0;
}

/** Band i's key: two MurmurHash3 seeds per band, so equal values in different bands give different keys. */
export function bandKeys(signature: Uint32Array, bands: number, rows: number): Float64Array {
  const out = new Float64Array(bands);
  for (let i = 0; i < bands; i++) {
    const offset = i * rows;
    out[i] = joinKey(murmur3Words(signature, offset, rows, 2 * i + 2), murmur3Words(signature, offset, rows, 2 * i + 1));
  }
  return out;
}

// Two odd bases for the polynomial rolling hashes (mod 2^32): H = Σ h[k] · B^(W−1−k).
const BASE_1 = 0x01000193;
const BASE_2 = 0x5bd1e995;

function power(base: number, exponent: number): number {
  let result = 1;
  for (let i = 0; i < exponent; i++) result = Math.imul(result, base);
  return result;
}

/**
 * Keys of the windows of `width` tokens starting at positions 0, stride, 2·stride, ...
 * (`stride` 1 for every position). Texts shorter than `width` have none.
 */
export function windowKeys(hashes: Uint32Array, width: number, stride: number): Float64Array {
  const count = hashes.length < width ? 0 : Math.floor((hashes.length - width) / stride) + 1;
  const out = new Float64Array(count);
  if (count === 0) return out;
  const top1 = power(BASE_1, width - 1);
  const top2 = power(BASE_2, width - 1);
  let h1 = 0;
  let h2 = 0;
  for (let k = 0; k < width; k++) {
    h1 = (Math.imul(h1, BASE_1) + hashes[k]!) | 0;
    h2 = (Math.imul(h2, BASE_2) + hashes[k]!) | 0;
  }
  out[0] = joinKey(h2, h1);
  let written = 1;
  const last = hashes.length - width;
  for (let start = 1; start <= last; start++) {
    const leaving = hashes[start - 1]! | 0;
    const entering = hashes[start + width - 1]! | 0;
    h1 = (Math.imul((h1 - Math.imul(leaving, top1)) | 0, BASE_1) + entering) | 0;
    h2 = (Math.imul((h2 - Math.imul(leaving, top2)) | 0, BASE_2) + entering) | 0;
    if (start % stride === 0) out[written++] = joinKey(h2, h1);
  }
  return out;
}
