/**
 * Regions and area codes (data/area-codes.yaml): every ZIP belongs to the nearest anchor city of
 * its state, which gives it a region (the city cluster whose clinics and hospitals its residents
 * use) and the area codes its telephone numbers carry.
 */
import { createRequire } from 'node:module';
import { z } from 'zod';
import { KnowledgeError } from '../errors.js';
import { loadKnowledgeFile, once } from './load.js';
import { loadPlacesByState, type Place } from './places.js';

const AreaCode = z.string().regex(/^[2-9][0-8]\d$/, 'a NANP area code');

export const AreaCodesSchema = z.strictObject({
  source: z.string().min(1),
  states: z.record(
    z.string().regex(/^[A-Z]{2}$/),
    z.array(z.strictObject({ city: z.string().min(1), codes: z.array(AreaCode).min(1) })).min(1),
  ),
});

/** One region: an anchor city of a state, its centroid and its area codes (the first is the original code). */
export interface Region {
  /** `ST:City`, unique across the country. */
  readonly key: string;
  readonly state: string;
  readonly city: string;
  readonly areaCodes: readonly string[];
  readonly latitude: number;
  readonly longitude: number;
}

interface ZipRow {
  zip: string;
  city: string;
  state: string;
  country: string;
  latitude: number;
  longitude: number;
}

const zipRows = once((): Readonly<Record<string, ZipRow>> => {
  const require = createRequire(import.meta.url);
  return (require('zipcodes/lib/codes.js') as { codes: Record<string, ZipRow> }).codes;
});

const titleCase = (city: string): string => (city !== city.toUpperCase() ? city : city.toLowerCase().replace(/\b([a-z])/g, (c) => c.toUpperCase()));

/** Great-circle distance in km between two points (haversine). */
export function distanceKm(a: { latitude: number; longitude: number }, b: { latitude: number; longitude: number }): number {
  const r = Math.PI / 180;
  const h = Math.sin(((b.latitude - a.latitude) * r) / 2) ** 2 + Math.cos(a.latitude * r) * Math.cos(b.latitude * r) * Math.sin(((b.longitude - a.longitude) * r) / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}

/** The regions of each state, anchors geocoded as the centroid of their city's ZIPs; an unknown city is a knowledge error. */
export const loadRegions = once((): ReadonlyMap<string, readonly Region[]> => {
  const table = loadKnowledgeFile('area-codes.yaml', AreaCodesSchema);
  const sums = new Map<string, { lat: number; lon: number; n: number }>();
  for (const row of Object.values(zipRows())) {
    if (row.country !== 'US') continue;
    const k = `${row.state}:${titleCase(row.city)}`;
    const s = sums.get(k) ?? { lat: 0, lon: 0, n: 0 };
    s.lat += row.latitude;
    s.lon += row.longitude;
    s.n++;
    sums.set(k, s);
  }
  const out = new Map<string, Region[]>();
  for (const state of Object.keys(table.states).sort()) {
    const regions = table.states[state]!.map((a) => {
      const key = `${state}:${a.city}`;
      const s = sums.get(key);
      if (s === undefined) throw new KnowledgeError(`area-codes.yaml: ${a.city}, ${state} is not a city of the ZIP table`);
      return { key, state, city: a.city, areaCodes: a.codes, latitude: s.lat / s.n, longitude: s.lon / s.n };
    });
    out.set(state, regions);
  }
  return out;
});

/** A ZIP's coordinates, or undefined for a ZIP the table lacks. */
export function zipLocation(zip: string): { latitude: number; longitude: number } | undefined {
  const row = zipRows()[zip];
  return row === undefined ? undefined : { latitude: row.latitude, longitude: row.longitude };
}

const regionByZip = new Map<string, Region | undefined>();

/** The region of a ZIP: the nearest anchor of its state; undefined for a ZIP or state the tables lack. */
export function regionOfZip(zip: string): Region | undefined {
  if (regionByZip.has(zip)) return regionByZip.get(zip);
  const row = zipRows()[zip];
  const regions = row === undefined ? undefined : loadRegions().get(row.state);
  let best: Region | undefined;
  if (row !== undefined && regions !== undefined) {
    let bestKm = Infinity;
    for (const r of regions) {
      const d = distanceKm(row, r);
      if (d < bestKm) [best, bestKm] = [r, d];
    }
  }
  regionByZip.set(zip, best);
  return best;
}

/** The places (ZIPs) of each region of a state, in ZIP order. */
export function placesByRegion(state: string): ReadonlyMap<string, readonly Place[]> {
  const out = new Map<string, Place[]>();
  for (const r of loadRegions().get(state) ?? []) out.set(r.key, []);
  for (const p of loadPlacesByState().get(state) ?? []) {
    const r = regionOfZip(p.zip);
    if (r !== undefined) out.get(r.key)!.push(p);
  }
  return out;
}
