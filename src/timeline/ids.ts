import { childKey, type StreamKey } from '../core/random.js';

const HEX: string[] = [];
for (let i = 0; i < 256; i++) HEX.push(i.toString(16).padStart(2, '0'));

function wordHex(w: number): string {
  return HEX[(w >>> 24) & 255]! + HEX[(w >>> 16) & 255]! + HEX[(w >>> 8) & 255]! + HEX[w & 255]!;
}

/**
 * A UUID-shaped id (RFC 9562 version 8, "custom") derived from a key: the same key always gives the
 * same id, so reruns and reloads PUT the same resources.
 */
export function uuidFromKey<T extends string = string>(key: StreamKey): T {
  const a = key[0] >>> 0;
  const b = ((key[1] & 0xffff0fff) | 0x00008000) >>> 0; // version 8 in the high nibble of the third group
  const c = ((key[2] & 0x3fffffff) | 0x80000000) >>> 0; // RFC variant bits 10
  const d = key[3] >>> 0;
  const hb = wordHex(b);
  const hc = wordHex(c);
  return `${wordHex(a)}-${hb.slice(0, 4)}-${hb.slice(4)}-${hc.slice(0, 4)}-${hc.slice(4)}${wordHex(d)}` as T;
}

/** Hands out the ids of one patient's items in order: item n's id depends only on (patient key, n). */
export class IdAllocator {
  private readonly key: StreamKey;
  private counter = 0;

  constructor(key: StreamKey) {
    this.key = key;
  }

  /**
   * The next id. Its kind comes from where it goes (`id: ids.next()` in an Encounter is an
   * EncounterId); a bare `const id = ids.next()` is a plain string until given one, e.g. `ids.next<EncounterId>()`.
   */
  next<T extends string = string>(): T {
    return uuidFromKey(childKey(this.key, this.counter++)) as T;
  }
}
