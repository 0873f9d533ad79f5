/**
 * Word n-gram shingles (5-grams by default, as Lee et al. 2022 and text-dedup use) and their
 * 32-bit hashes. A token's hash is MurmurHash3_x86_32 of its UTF-8 bytes; a shingle's hash is
 * MurmurHash3_x86_32 of its tokens' hashes as little-endian words. Both are seed 0. Hashing each
 * token once and then its word tuple keeps signing cheap, and the scheme is short to restate in
 * another language (test/interop/python/datasketch_agreement.py does).
 */
import { murmur3String, murmur3Words } from '../core/murmur3.js';

/** 32-bit hash of every token. */
export function tokenHashes(tokens: readonly string[]): Uint32Array {
  const out = new Uint32Array(tokens.length);
  for (let i = 0; i < tokens.length; i++) out[i] = murmur3String(tokens[i]!);
  return out;
}

/**
 * Number of n-gram shingles of a text of `tokenCount` tokens: one per position, and a single
 * shingle of every token when the text is shorter than n (an empty text has none).
 */
export function shingleCount(tokenCount: number, n: number): number {
  if (tokenCount === 0) return 0;
  return tokenCount < n ? 1 : tokenCount - n + 1;
}

/** Hash of every shingle, in text order (duplicates kept; MinHash ignores them). */
export function shingleHashes(hashes: Uint32Array, n: number): Uint32Array {
  const count = shingleCount(hashes.length, n);
  const out = new Uint32Array(count);
  const width = Math.min(n, hashes.length);
  for (let i = 0; i < count; i++) out[i] = murmur3Words(hashes, i, width);
  return out;
}

/** The shingle at `position` as text (tokens joined by one space), as the interop contract spells it. */
export function shingleText(tokens: readonly string[], position: number, n: number): string {
  return tokens.slice(position, position + Math.min(n, tokens.length)).join(' ');
}
