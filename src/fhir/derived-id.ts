/** Resource ids derived from the patient's id (resources with no record item of their own: CareTeam, Coverage, payers). */
import { murmur3String } from '../core/murmur3.js';

/** A version-4-shaped UUID, the same for the same `base` and `kind` in every run. */
export function derivedId(base: string, kind: string): string {
  const hex = [0, 1, 2, 3].map((seed) => (murmur3String(`${base}|${kind}`, seed) >>> 0).toString(16).padStart(8, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${'89ab'[parseInt(hex[16]!, 16) % 4]}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A uniform draw in [0, 1) that is a pure function of `base` and `kind` (no random stream in the export layer). */
export function derivedUniform(base: string, kind: string): number {
  return (murmur3String(`${base}|${kind}`, 99) >>> 0) / 2 ** 32;
}
