/**
 * Exact Jaccard similarity of two texts' n-gram shingle sets, the truth every LSH candidate is
 * confirmed against. Shingles are compared by their tokens, not their hashes: hashes only sort and
 * group them, and equal hashes of different shingles (collisions) are told apart, so the result is
 * exact.
 */
import { equalRun } from './shared-spans.js';

export interface ShingleSet {
  readonly tokens: readonly string[];
  readonly width: number;
  /** Hash of each distinct shingle, ascending. */
  readonly hashes: Uint32Array;
  /** Position of a representative occurrence of each distinct shingle. */
  readonly positions: Int32Array;
}

/** Positions ordered by hash, then position. */
function sortedPositions(hashes: Uint32Array): Int32Array {
  const count = hashes.length;
  const out = new Int32Array(count);
  if (count < 2097152) {
    // hash · 2^21 + position is exact in a double (32 + 21 bits) and sorts natively.
    const keys = new Float64Array(count);
    for (let i = 0; i < count; i++) keys[i] = hashes[i]! * 2097152 + i;
    keys.sort();
    // The low 21 bits by subtraction: a double's `%` is a call to fmod.
    for (let k = 0; k < count; k++) {
      const key = keys[k]!;
      out[k] = key - Math.floor(key / 2097152) * 2097152;
    }
    return out;
  }
  for (let i = 0; i < count; i++) out[i] = i;
  return out.sort((x, y) => hashes[x]! - hashes[y]! || x - y);
}

/** The distinct shingles of a text, from its tokens and shingle hashes (in text order). */
export function shingleSet(tokens: readonly string[], shingleHashes: Uint32Array, n: number): ShingleSet {
  const width = Math.min(n, tokens.length);
  const count = shingleHashes.length;
  const order = sortedPositions(shingleHashes);
  const hashes = new Uint32Array(count);
  const positions = new Int32Array(count);
  let distinct = 0;
  let runStart = 0; // first distinct entry with the current hash
  for (let k = 0; k < count; k++) {
    const position = order[k]!;
    const hash = shingleHashes[position]!;
    if (distinct === 0 || hashes[distinct - 1] !== hash) runStart = distinct;
    let seen = false;
    for (let d = runStart; d < distinct; d++) {
      if (equalRun(tokens, positions[d]!, tokens, position, width)) {
        seen = true;
        break;
      }
    }
    if (seen) continue;
    hashes[distinct] = hash;
    positions[distinct] = position;
    distinct++;
  }
  return { tokens, width, hashes: hashes.subarray(0, distinct), positions: positions.subarray(0, distinct) };
}

/** |A ∩ B| / |A ∪ B| over distinct shingles; 0 when both are empty. */
export function exactJaccard(a: ShingleSet, b: ShingleSet): number {
  const na = a.hashes.length;
  const nb = b.hashes.length;
  if (na === 0 && nb === 0) return 0;
  let i = 0;
  let j = 0;
  let common = 0;
  while (i < na && j < nb) {
    const ha = a.hashes[i]!;
    const hb = b.hashes[j]!;
    if (ha < hb) i++;
    else if (ha > hb) j++;
    else {
      let ie = i;
      while (ie < na && a.hashes[ie] === ha) ie++;
      let je = j;
      while (je < nb && b.hashes[je] === ha) je++;
      // Within one hash, each distinct shingle of A matches at most one of B.
      for (let x = i; x < ie; x++) {
        for (let y = j; y < je; y++) {
          if (a.width === b.width && equalRun(a.tokens, a.positions[x]!, b.tokens, b.positions[y]!, a.width)) {
            common++;
            break;
          }
        }
      }
      i = ie;
      j = je;
    }
  }
  return common / (na + nb - common);
}
