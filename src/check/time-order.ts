import { instantOf } from './bundle-view.js';

/**
 * Compares two FHIR date/dateTime values: negative when `a` is earlier. When either is a bare date
 * the comparison is by day, since a date says nothing about the hour.
 */
export function compareFhirTimes(a: string, b: string): number | undefined {
  if (a.length <= 10 || b.length <= 10) {
    const da = a.slice(0, 10);
    const db = b.slice(0, 10);
    return da < db ? -1 : da > db ? 1 : 0;
  }
  const ta = instantOf(a);
  const tb = instantOf(b);
  if (ta === undefined || tb === undefined) return undefined;
  return ta - tb;
}
