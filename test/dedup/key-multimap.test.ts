import { describe, expect, it } from 'vitest';
import { KeyMultimap, NO_ENTRY } from '../../src/dedup/key-multimap.js';
import { joinKey } from '../../src/dedup/keys.js';

/** Deterministic 53-bit keys (xorshift), as band and window keys are: two 32-bit hashes joined. */
function keys(count: number, seed: number): number[] {
  let a = seed >>> 0 || 1;
  const next = (): number => {
    a ^= a << 13;
    a ^= a >>> 17;
    a ^= a << 5;
    return a >>> 0;
  };
  return Array.from({ length: count }, () => joinKey(next(), next()));
}

function entries(map: KeyMultimap, key: number): [number, number][] {
  const out: [number, number][] = [];
  for (let e = map.first(key); e !== NO_ENTRY; e = map.next(e)) out.push([map.doc(e), map.position(e)]);
  return out;
}

describe('KeyMultimap', () => {
  it('finds every entry of every key it holds, through growth and once shared, and nothing for keys it lacks', () => {
    // Starts small so the slots (and their presence filter) are rebuilt several times.
    const map = new KeyMultimap(16);
    const held = keys(20_000, 7);
    held.forEach((key, i) => {
      map.add(key, i, 2 * i);
      if (i % 3 === 0) map.add(key, i + 1, 2 * i + 1);
    });
    const check = (m: KeyMultimap): void => {
      held.forEach((key, i) => expect(entries(m, key)).toEqual(i % 3 === 0 ? [[i + 1, 2 * i + 1], [i, 2 * i]] : [[i, 2 * i]]));
      for (const key of keys(20_000, 99)) expect(m.first(key)).toBe(NO_ENTRY);
    };
    check(map);
    const shared = KeyMultimap.fromShared(map.share());
    check(shared);
    check(map);
  });

  it('tells keys apart that share their low 32 bits', () => {
    const map = new KeyMultimap();
    const low = 0x89abcdef;
    for (let high = 0; high < 64; high++) map.add(joinKey(high, low), high, 0);
    for (let high = 0; high < 64; high++) expect(entries(map, joinKey(high, low))).toEqual([[high, 0]]);
    expect(map.first(joinKey(64, low))).toBe(NO_ENTRY);
  });
});
