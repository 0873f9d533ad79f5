/**
 * A multimap from 53-bit keys to (document, position) pairs in typed arrays: open addressing over
 * distinct keys, entries of one key chained. A 100,000-document index holds millions of entries;
 * a JS Map of arrays would spend ~10x the memory and keep the garbage collector busy.
 *
 * Each slot holds a key's low 32 bits next to its chain's head, so a look-up that misses (what
 * almost every window of a fresh text does) reads one cache line of the slot table and nothing
 * else; the high bits are compared only when the low ones agree. In front of the slots, a one-bit
 * presence filter (4 bits per slot, a 16th of the slot table's bytes) answers most misses without
 * touching them: a 100,000-document index's window slots are 128 MiB, so each miss there is a
 * cache miss to memory, while the filter's 8 MiB mostly stays in the last-level cache.
 */
import { InternalError } from '../errors.js';
import { keyHigh, keyLow } from './keys.js';

/** Sentinel of {@link KeyMultimap.first} and {@link KeyMultimap.next}: no (more) entries. */
export const NO_ENTRY = -1;

/**
 * A multimap's tables in shared memory, as {@link KeyMultimap.share} hands them to worker threads:
 * plain data that crosses `workerData` without a copy.
 */
export interface SharedKeyMultimap {
  readonly slots: Int32Array;
  readonly keyHi: Uint32Array;
  readonly docs: Int32Array;
  readonly positions: Int32Array;
  readonly nexts: Int32Array;
  readonly filter: Int32Array;
  readonly distinct: number;
  readonly count: number;
}

/** A typed array of `length` elements over a SharedArrayBuffer, holding `source`'s first elements. */
function sharedCopy<T extends Int32Array | Uint32Array>(source: T, length: number, make: (buffer: SharedArrayBuffer, length: number) => T): T {
  const copy = make(new SharedArrayBuffer(length * 4), length);
  copy.set(source.subarray(0, length));
  return copy;
}

export class KeyMultimap {
  /** Pairs (low 32 bits of the key, head entry), NO_ENTRY heads for free slots. */
  private slots: Int32Array;
  private mask: number;
  /** Presence bits, 4 per slot, set by a hash independent of the slot's; cleared bit: the key is absent. */
  private filter: Int32Array;
  private filterShift: number;
  private distinct = 0;
  private keyHi: Uint32Array;
  private docs: Int32Array;
  private positions: Int32Array;
  private nexts: Int32Array;
  private count = 0;
  /** Set once the tables are shared: other threads read them, so they can no longer grow or change. */
  private shared = false;

  constructor(expectedEntries = 1024) {
    const capacity = Math.max(16, expectedEntries);
    this.keyHi = new Uint32Array(capacity);
    this.docs = new Int32Array(capacity);
    this.positions = new Int32Array(capacity);
    this.nexts = new Int32Array(capacity);
    let size = 16;
    while (size < capacity * 2) size *= 2;
    this.slots = KeyMultimap.emptySlots(size);
    this.mask = size - 1;
    this.filter = new Int32Array(size / 8);
    this.filterShift = KeyMultimap.filterShiftOf(size);
  }

  /** 32 minus log2 of the filter's bits (4 per slot), for the top bits of the filter hash. */
  private static filterShiftOf(slots: number): number {
    return 32 - (Math.log2(slots) + 2);
  }

  /** The key's bit in the filter. */
  private filterBit(lo: number, hi: number): number {
    let h = Math.imul(lo ^ Math.imul(hi ^ 0x5bd1e995, 0xcc9e2d51), 0x1b873593);
    h ^= h >>> 15;
    h = Math.imul(h, 0x27d4eb2d);
    return h >>> this.filterShift;
  }

  private static emptySlots(size: number): Int32Array {
    const slots = new Int32Array(size * 2);
    for (let s = 1; s < slots.length; s += 2) slots[s] = NO_ENTRY;
    return slots;
  }

  /**
   * Moves the tables into shared memory (entry tables trimmed to the entries held) and returns them
   * for other threads' {@link KeyMultimap.fromShared}. This map reads the shared tables from then
   * on and takes no more entries: one copy serves every thread.
   */
  share(): SharedKeyMultimap {
    if (!this.shared) {
      const entries = Math.max(1, this.count);
      this.slots = sharedCopy(this.slots, this.slots.length, (b, n) => new Int32Array(b, 0, n));
      this.keyHi = sharedCopy(this.keyHi, entries, (b, n) => new Uint32Array(b, 0, n));
      this.docs = sharedCopy(this.docs, entries, (b, n) => new Int32Array(b, 0, n));
      this.positions = sharedCopy(this.positions, entries, (b, n) => new Int32Array(b, 0, n));
      this.nexts = sharedCopy(this.nexts, entries, (b, n) => new Int32Array(b, 0, n));
      this.filter = sharedCopy(this.filter, this.filter.length, (b, n) => new Int32Array(b, 0, n));
      this.shared = true;
    }
    const { slots, keyHi, docs, positions, nexts, filter, distinct, count } = this;
    return { slots, keyHi, docs, positions, nexts, filter, distinct, count };
  }

  /** A read-only map over tables another thread shared. */
  static fromShared(tables: SharedKeyMultimap): KeyMultimap {
    const map = new KeyMultimap(1);
    map.slots = tables.slots;
    map.keyHi = tables.keyHi;
    map.docs = tables.docs;
    map.positions = tables.positions;
    map.nexts = tables.nexts;
    map.mask = tables.slots.length / 2 - 1;
    map.filter = tables.filter;
    map.filterShift = KeyMultimap.filterShiftOf(tables.slots.length / 2);
    map.distinct = tables.distinct;
    map.count = tables.count;
    map.shared = true;
    return map;
  }

  /** Entries held. */
  get size(): number {
    return this.count;
  }

  /** Bytes of the typed arrays (what the map costs in memory). */
  get bytes(): number {
    return this.slots.byteLength + this.filter.byteLength + this.keyHi.byteLength + this.docs.byteLength * 3;
  }

  /** The slot holding the key, or the free slot where it would go. */
  private slotOf(lo: number, hi: number): number {
    const slots = this.slots;
    const low = lo | 0;
    let slot = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b) & this.mask;
    for (;;) {
      const head = slots[2 * slot + 1]!;
      if (head === NO_ENTRY || (slots[2 * slot] === low && this.keyHi[head] === hi)) return slot;
      slot = (slot + 1) & this.mask;
    }
  }

  add(key: number, doc: number, position: number): void {
    if (this.shared) throw new InternalError('a shared key multimap takes no more entries');
    if (this.count === this.docs.length) this.growEntries();
    if ((this.distinct + 1) * 2 > this.mask + 1) this.growSlots();
    const lo = keyLow(key);
    const hi = keyHigh(key);
    const slot = this.slotOf(lo, hi);
    const head = this.slots[2 * slot + 1]!;
    const e = this.count++;
    this.keyHi[e] = hi;
    this.docs[e] = doc;
    this.positions[e] = position;
    this.nexts[e] = head;
    if (head === NO_ENTRY) {
      this.distinct++;
      this.slots[2 * slot] = lo | 0;
      const bit = this.filterBit(lo, hi);
      this.filter[bit >>> 5]! |= 1 << (bit & 31);
    }
    this.slots[2 * slot + 1] = e;
  }

  /** First entry of a key, or {@link NO_ENTRY}. Entries come newest first. */
  first(key: number): number {
    const lo = keyLow(key);
    const hi = keyHigh(key);
    const bit = this.filterBit(lo, hi);
    if (((this.filter[bit >>> 5]! >>> (bit & 31)) & 1) === 0) return NO_ENTRY;
    return this.slots[2 * this.slotOf(lo, hi) + 1]!;
  }

  next(entry: number): number {
    return this.nexts[entry]!;
  }

  doc(entry: number): number {
    return this.docs[entry]!;
  }

  position(entry: number): number {
    return this.positions[entry]!;
  }

  private growEntries(): void {
    const capacity = this.docs.length * 2;
    const grow = <T extends Uint32Array | Int32Array>(a: T, make: (n: number) => T): T => {
      const b = make(capacity);
      b.set(a);
      return b;
    };
    this.keyHi = grow(this.keyHi, (n) => new Uint32Array(n));
    this.docs = grow(this.docs, (n) => new Int32Array(n));
    this.positions = grow(this.positions, (n) => new Int32Array(n));
    this.nexts = grow(this.nexts, (n) => new Int32Array(n));
  }

  private growSlots(): void {
    const old = this.slots;
    const size = (this.mask + 1) * 2;
    this.slots = KeyMultimap.emptySlots(size);
    this.mask = size - 1;
    this.filter = new Int32Array(size / 8);
    this.filterShift = KeyMultimap.filterShiftOf(size);
    // Re-insert each key's (low bits, head); chains stay intact through `nexts`.
    for (let s = 0; s < old.length; s += 2) {
      const head = old[s + 1]!;
      if (head === NO_ENTRY) continue;
      const lo = old[s]! >>> 0;
      const hi = this.keyHi[head]!;
      const slot = this.slotOf(lo, hi);
      this.slots[2 * slot] = old[s]!;
      this.slots[2 * slot + 1] = head;
      const bit = this.filterBit(lo, hi);
      this.filter[bit >>> 5]! |= 1 << (bit & 31);
    }
  }
}
