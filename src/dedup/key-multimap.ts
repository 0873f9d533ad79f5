/**
 * A multimap from 53-bit keys to (document, position) pairs in typed arrays: open addressing over
 * distinct keys, entries of one key chained. A 100,000-document index holds millions of entries;
 * a JS Map of arrays would spend ~10x the memory and keep the garbage collector busy.
 */
import { keyHigh, keyLow } from './keys.js';

/** Sentinel of {@link KeyMultimap.first} and {@link KeyMultimap.next}: no (more) entries. */
export const NO_ENTRY = -1;

export class KeyMultimap {
  private slots: Int32Array;
  private mask: number;
  private distinct = 0;
  private keyLo: Uint32Array;
  private keyHi: Uint32Array;
  private docs: Int32Array;
  private positions: Int32Array;
  private nexts: Int32Array;
  private count = 0;

  constructor(expectedEntries = 1024) {
    const capacity = Math.max(16, expectedEntries);
    this.keyLo = new Uint32Array(capacity);
    this.keyHi = new Uint32Array(capacity);
    this.docs = new Int32Array(capacity);
    this.positions = new Int32Array(capacity);
    this.nexts = new Int32Array(capacity);
    let size = 16;
    while (size < capacity * 2) size *= 2;
    this.slots = new Int32Array(size).fill(NO_ENTRY);
    this.mask = size - 1;
  }

  /** Entries held. */
  get size(): number {
    return this.count;
  }

  /** Bytes of the typed arrays (what the map costs in memory). */
  get bytes(): number {
    return this.slots.byteLength + this.keyLo.byteLength * 2 + this.docs.byteLength * 3;
  }

  private slotOf(lo: number, hi: number): number {
    let slot = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b) & this.mask;
    for (;;) {
      const head = this.slots[slot]!;
      if (head === NO_ENTRY || (this.keyLo[head] === lo && this.keyHi[head] === hi)) return slot;
      slot = (slot + 1) & this.mask;
    }
  }

  add(key: number, doc: number, position: number): void {
    if (this.count === this.docs.length) this.growEntries();
    if ((this.distinct + 1) * 2 > this.slots.length) this.growSlots();
    const lo = keyLow(key);
    const hi = keyHigh(key);
    const slot = this.slotOf(lo, hi);
    const head = this.slots[slot]!;
    const e = this.count++;
    this.keyLo[e] = lo;
    this.keyHi[e] = hi;
    this.docs[e] = doc;
    this.positions[e] = position;
    this.nexts[e] = head;
    if (head === NO_ENTRY) this.distinct++;
    this.slots[slot] = e;
  }

  /** First entry of a key, or {@link NO_ENTRY}. Entries come newest first. */
  first(key: number): number {
    return this.slots[this.slotOf(keyLow(key), keyHigh(key))]!;
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
    this.keyLo = grow(this.keyLo, (n) => new Uint32Array(n));
    this.keyHi = grow(this.keyHi, (n) => new Uint32Array(n));
    this.docs = grow(this.docs, (n) => new Int32Array(n));
    this.positions = grow(this.positions, (n) => new Int32Array(n));
    this.nexts = grow(this.nexts, (n) => new Int32Array(n));
  }

  private growSlots(): void {
    const size = this.slots.length * 2;
    this.slots = new Int32Array(size).fill(NO_ENTRY);
    this.mask = size - 1;
    // Re-insert chain heads: the newest entry of each key (chains stay intact through `nexts`).
    const placed = new Uint8Array(this.count);
    for (let e = this.count - 1; e >= 0; e--) {
      if (placed[e] === 1) continue;
      const slot = this.slotOf(this.keyLo[e]!, this.keyHi[e]!);
      this.slots[slot] = e;
      for (let f = e; f !== NO_ENTRY; f = this.nexts[f]!) placed[f] = 1;
    }
  }
}
