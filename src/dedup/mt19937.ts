/**
 * MT19937 (Matsumoto and Nishimura 1998), seeded like `numpy.random.RandomState(seed)`: the
 * generator datasketch draws its MinHash permutations from. Having it lets Chartwright use
 * datasketch's own permutations, so a datasketch user gets Chartwright's signatures bit for bit.
 */
export class Mt19937 {
  private readonly state = new Uint32Array(624);
  private index = 624;

  /** `init_genrand(seed)`, what RandomState does with an integer seed below 2^32. */
  constructor(seed: number) {
    const mt = this.state;
    mt[0] = seed >>> 0;
    for (let i = 1; i < 624; i++) {
      const prev = mt[i - 1]! ^ (mt[i - 1]! >>> 30);
      // 1812433253 * prev + i, modulo 2^32, without losing bits to floating point.
      mt[i] = (((((prev & 0xffff0000) >>> 16) * 1812433253) << 16) + (prev & 0x0000ffff) * 1812433253 + i) >>> 0;
    }
  }

  /** The next 32-bit output (`genrand_int32`). */
  next(): number {
    const mt = this.state;
    if (this.index >= 624) {
      for (let k = 0; k < 624; k++) {
        const y = (mt[k]! & 0x80000000) | (mt[(k + 1) % 624]! & 0x7fffffff);
        mt[k] = mt[(k + 397) % 624]! ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      this.index = 0;
    }
    let y = mt[this.index++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }
}
