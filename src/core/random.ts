/**
 * Seeded, splittable randomness. Every draw in Chartwright comes from an {@link Rng}, and every Rng
 * is addressed by a key path such as (seed, patient 17, attempt 0, "immunizations"). A stream's draws
 * depend only on its path, never on how many draws other streams made, so output is identical
 * whatever the worker count or shard split, and adding a module does not perturb the others.
 *
 * The generator is SFC32 (Chris Doty-Humphrey's Small Fast Counting generator: passes PractRand to
 * large sizes, 32-bit arithmetic only, so it is fast in V8 without BigInt). Keys are mixed with the
 * MurmurHash3 finalizer.
 */
import { fmix32 } from './murmur3.js';

/** A run's master seed: a non-negative safe integer. */
export type Seed = number & { readonly __brand: 'Seed' };

/** Largest seed accepted (2^53 - 1), so a seed always survives a JSON round trip. */
export const MAX_SEED = Number.MAX_SAFE_INTEGER;

/** Brands a number as a {@link Seed}; throws a RangeError for anything but a safe non-negative integer. */
export function toSeed(value: number): Seed {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`seed must be an integer from 0 to ${MAX_SEED}`);
  return value as Seed;
}

/** Four 32-bit words identifying a stream. */
export type StreamKey = readonly [number, number, number, number];

const labelHashes = new Map<string, number>();

/** FNV-1a (32-bit) over a string's UTF-16 code units. */
export function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** FNV-1a over UTF-16 code units, finalized; memoized because labels repeat millions of times. */
export function hashLabel(label: string): number {
  let h = labelHashes.get(label);
  if (h === undefined) {
    h = fmix32(fnv1a32(label));
    labelHashes.set(label, h);
  }
  return h;
}

/** Derives a child key from a parent key and one label (string or non-negative integer). */
export function childKey(parent: StreamKey, label: string | number): StreamKey {
  let lo: number;
  let hi: number;
  if (typeof label === 'number') {
    lo = label >>> 0;
    hi = Math.floor(label / 0x100000000) >>> 0;
  } else {
    lo = hashLabel(label);
    hi = 0x9e3779b9;
  }
  const a = fmix32(parent[0] ^ fmix32(lo + 0x7f4a7c15));
  const b = fmix32(parent[1] ^ fmix32(hi + 0x2545f491) ^ a);
  const c = fmix32(parent[2] ^ fmix32(lo ^ 0x68e31da4) ^ b);
  const d = fmix32(parent[3] ^ fmix32(hi ^ 0xb5297a4d) ^ c);
  return [a, b, c, d];
}

/** The root key of a seed. */
export function rootKey(seed: Seed): StreamKey {
  return childKey([0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], seed);
}

/** Derives a key from a path of labels. */
export function keyOf(seed: Seed, ...path: readonly (string | number)[]): StreamKey {
  let key = rootKey(seed);
  for (const label of path) key = childKey(key, label);
  return key;
}

/** Hex of a key's words, for tags and ids (`words` of 1 to 4). */
export function keyHex(key: StreamKey, words = 4): string {
  let out = '';
  for (let i = 0; i < words; i++) out += (key[i]! >>> 0).toString(16).padStart(8, '0');
  return out;
}

/**
 * One random stream. Not thread-safe and not meant to be: each patient and module has its own.
 */
export class Rng {
  /** The key this stream was made from; {@link fork} derives children from it, not from the state. */
  readonly key: StreamKey;
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spareNormal: number | undefined;

  constructor(key: StreamKey) {
    this.key = key;
    this.a = key[0] | 0;
    this.b = key[1] | 0;
    this.c = key[2] | 0;
    this.d = key[3] | 0;
    // Warm-up so that related keys diverge before the first draw that matters.
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** A stream for a seed and label path, e.g. `Rng.of(seed, 'patient', 17)`. */
  static of(seed: Seed, ...path: readonly (string | number)[]): Rng {
    return new Rng(keyOf(seed, ...path));
  }

  /** An independent child stream; the same label always gives the same child. */
  fork(...labels: readonly (string | number)[]): Rng {
    let key = this.key;
    for (const label of labels) key = childKey(key, label);
    return new Rng(key);
  }

  /** Next unsigned 32-bit integer. */
  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1) with 32 bits of resolution. */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform in [min, max). */
  uniform(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element, uniformly. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** An index drawn in proportion to non-negative weights. */
  weightedIndex(weights: ArrayLike<number>, total?: number): number {
    let sum = total ?? 0;
    if (total === undefined) for (let i = 0; i < weights.length; i++) sum += weights[i]!;
    let target = this.next() * sum;
    for (let i = 0; i < weights.length; i++) {
      target -= weights[i]!;
      if (target < 0) return i;
    }
    // Floating-point leftovers land on the last positive weight.
    for (let i = weights.length - 1; i >= 0; i--) if (weights[i]! > 0) return i;
    throw new RangeError('weightedIndex needs a positive weight');
  }

  /** Normal draw (Marsaglia polar method; the spare is kept). */
  normal(mean = 0, sd = 1): number {
    if (this.spareNormal !== undefined) {
      const z = this.spareNormal;
      this.spareNormal = undefined;
      return mean + sd * z;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = this.next() * 2 - 1;
      v = this.next() * 2 - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const m = Math.sqrt((-2 * Math.log(s)) / s);
    this.spareNormal = v * m;
    return mean + sd * u * m;
  }

  /** Normal draw clamped to [min, max]. */
  clampedNormal(mean: number, sd: number, min: number, max: number): number {
    const x = this.normal(mean, sd);
    return x < min ? min : x > max ? max : x;
  }

  /** Exponential waiting time with the given mean. */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }
}

/**
 * The template note writer's stream: mulberry32 seeded with the FNV-1a hash of a note id (itself
 * derived from the run seed). It is not an {@link Rng} because every template note's wording is
 * this exact sequence: moving notes onto SFC32 would change the text of every note of every seed,
 * which belongs in a release that says so, not in a refactoring.
 */
export class TextSeededStream {
  private state: number;

  constructor(seed: string) {
    this.state = fnv1a32(seed) || 0x9e3779b9;
  }

  /** Uniform in [0, 1) with 32 bits of resolution (mulberry32). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}
