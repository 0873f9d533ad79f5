/**
 * MurmurHash3_x86_32 (Austin Appleby, public domain): the hash every dedup key is built from, and
 * the finalizer that mixes the random streams' keys.
 * It is chosen because it is fast with 32-bit arithmetic in V8 and exists in every language
 * (Python: `mmh3.hash(data, seed, signed=False)`), so an index or a signature can be recomputed
 * outside Chartwright bit for bit: the datasketch agreement test relies on it.
 */

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

function mixK(k: number): number {
  k = Math.imul(k, C1);
  k = (k << 15) | (k >>> 17);
  return Math.imul(k, C2);
}

function mixH(h: number, k: number): number {
  h ^= mixK(k);
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/**
 * One 4-byte block of MurmurHash3_x86_32 (`k` its bytes, little-endian) mixed into the running
 * hash `h`: with {@link murmur3Finish}, a hash of bytes made as they are read, without a buffer.
 */
export function murmur3Block(h: number, k: number): number {
  return mixH(h, k);
}

/** The end of MurmurHash3_x86_32 after its blocks: the 1-3 tail bytes `tail` (if `tailBytes` > 0), then the length. */
export function murmur3Finish(h: number, tail: number, tailBytes: number, length: number): number {
  if (tailBytes > 0) h ^= mixK(tail);
  h ^= length;
  return fmix32(h);
}

/** The MurmurHash3 finalizer: a bijection on 32-bit words that spreads every input bit. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** MurmurHash3_x86_32 of bytes. */
export function murmur3Bytes(bytes: Uint8Array, seed = 0): number {
  let h = seed | 0;
  const n = bytes.length;
  const whole = n & ~3;
  for (let i = 0; i < whole; i += 4) h = mixH(h, bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24));
  let k = 0;
  for (let i = n - 1; i >= whole; i--) k = (k << 8) | bytes[i]!;
  if (n > whole) h ^= mixK(k);
  h ^= n;
  return fmix32(h);
}

/**
 * MurmurHash3_x86_32 of a string's UTF-8 bytes. ASCII strings (one byte per code unit, the common
 * case for normalized tokens) are hashed straight from their code units; others are encoded first.
 */
export function murmur3String(text: string, seed = 0): number {
  const n = text.length;
  let h = seed | 0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const c0 = text.charCodeAt(i);
    const c1 = text.charCodeAt(i + 1);
    const c2 = text.charCodeAt(i + 2);
    const c3 = text.charCodeAt(i + 3);
    if ((c0 | c1 | c2 | c3) >= 0x80) return murmur3Bytes(Buffer.from(text, 'utf8'), seed);
    h = mixH(h, c0 | (c1 << 8) | (c2 << 16) | (c3 << 24));
  }
  let k = 0;
  for (let j = n - 1; j >= i; j--) {
    const c = text.charCodeAt(j);
    if (c >= 0x80) return murmur3Bytes(Buffer.from(text, 'utf8'), seed);
    k = (k << 8) | c;
  }
  if (n > i) h ^= mixK(k);
  h ^= n;
  return fmix32(h);
}

/**
 * MurmurHash3_x86_32 of `count` 32-bit words taken from `words` at `offset`, read as their
 * little-endian bytes (Python: `mmh3.hash(struct.pack('<%dI' % count, *words), seed, signed=False)`).
 */
export function murmur3Words(words: ArrayLike<number>, offset: number, count: number, seed = 0): number {
  let h = seed | 0;
  for (let i = 0; i < count; i++) h = mixH(h, words[offset + i]! | 0);
  h ^= count * 4;
  return fmix32(h);
}
