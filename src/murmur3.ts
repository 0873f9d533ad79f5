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

/** The MurmurHash3 finalizer: a bijection on 32-bit words that spreads every input bit. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * MurmurHash3_x86_32 of a string's UTF-8 bytes, without allocating them (the common case is ASCII,
 * one byte per code unit; other characters are encoded on the fly, surrogate pairs included).
 */
export function murmur3String(text: string, seed = 0): number {
  let h = seed | 0;
  let k = 0;
  let n = 0; // bytes in k
  let length = 0;
  const push = (byte: number): void => {
    k |= byte << (n * 8);
    if (++n === 4) {
      h = mixH(h, k);
      k = 0;
      n = 0;
    }
    length++;
  };
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) {
      // Inline of push() for the ASCII fast path.
      k |= c << (n * 8);
      if (++n === 4) {
        h = mixH(h, k);
        k = 0;
        n = 0;
      }
      length++;
    } else if (c < 0x800) {
      push(0xc0 | (c >> 6));
      push(0x80 | (c & 0x3f));
    } else {
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
        const d = text.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
          i++;
          push(0xf0 | (c >> 18));
          push(0x80 | ((c >> 12) & 0x3f));
          push(0x80 | ((c >> 6) & 0x3f));
          push(0x80 | (c & 0x3f));
          continue;
        }
      }
      // Lone surrogates are encoded as U+FFFD, as TextEncoder (and Python's 'replace') do.
      if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
      push(0xe0 | (c >> 12));
      push(0x80 | ((c >> 6) & 0x3f));
      push(0x80 | (c & 0x3f));
    }
  }
  if (n > 0) h ^= mixK(k);
  h ^= length;
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
