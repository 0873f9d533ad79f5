import { createRequire } from 'node:module';
import { once } from './load.js';
import { loadStates } from './population.js';

/** A real US ZIP code with the city and state it belongs to. */
export interface Place {
  readonly zip: string;
  readonly city: string;
  readonly state: string;
}

interface ZipRow {
  zip: string;
  city: string;
  state: string;
  country: string;
}

/**
 * ZIP codes by state, from the `zipcodes` package (US ZIP code database, BSD licence), so that every
 * address's city, state and ZIP agree. Sorted by ZIP so that draws do not depend on object key order.
 */
export const loadPlacesByState = once((): ReadonlyMap<string, readonly Place[]> => {
  const require = createRequire(import.meta.url);
  const codes = (require('zipcodes/lib/codes.js') as { codes: Record<string, ZipRow> }).codes;
  const wanted = new Set(loadStates().map((s) => s.code));
  const byState = new Map<string, Place[]>();
  for (const row of Object.values(codes)) {
    if (row.country !== 'US' || !wanted.has(row.state) || !/^\d{5}$/.test(row.zip)) continue;
    let list = byState.get(row.state);
    if (list === undefined) byState.set(row.state, (list = []));
    list.push({ zip: row.zip, city: titleCase(row.city), state: row.state });
  }
  for (const list of byState.values()) list.sort((a, b) => (a.zip < b.zip ? -1 : a.zip > b.zip ? 1 : 0));
  return byState;
});

function titleCase(city: string): string {
  if (city !== city.toUpperCase()) return city;
  return city.toLowerCase().replace(/\b([a-z])/g, (c) => c.toUpperCase());
}
