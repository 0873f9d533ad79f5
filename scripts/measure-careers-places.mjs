// Measures careers, places, hours and channels on a generated cohort (issue 11):
//   node scripts/measure-careers-places.mjs OUT_DIR
// Prints one JSON object: share of practitioners who take encounters across more than 45 years,
// home-to-clinic distance and share of patients whose clinic is in another region (more than
// 50 km away, or in another area-code city cluster when the knowledge has them), the weekend
// share of scheduled (AMB) visits, and virtual (VR) visits by year.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const zips = require('zipcodes/lib/codes.js').codes;
const dir = join(process.argv[2], 'fhir');
let regionOf;
try {
  const m = await import('../dist/knowledge/area-codes.js');
  regionOf = (zip) => m.regionOfZip(zip)?.key;
} catch {
  regionOf = undefined;
}
const km = (a, b) => {
  const r = Math.PI / 180;
  const h = Math.sin(((b.latitude - a.latitude) * r) / 2) ** 2 + Math.cos(a.latitude * r) * Math.cos(b.latitude * r) * Math.sin(((b.longitude - a.longitude) * r) / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
};
// Well child, checkup, follow-up, immunization (wellness.json encounterTypes).
const SCHEDULED = new Set(['410620009', '162673000', '390906007', '33879002']);
const span = new Map();
let amb = 0, weekend = 0, afterHours = 0;
const virtualByYear = {};
const distances = [];
let otherRegion = 0, regionKnown = 0, patients = 0;
const areaMatch = { same: 0, all: 0 };
for (const f of readdirSync(dir).filter((x) => x.endsWith('.json'))) {
  const b = JSON.parse(readFileSync(join(dir, f), 'utf8'));
  const res = b.entry.map((e) => e.resource);
  const byId = new Map(res.map((r) => [r.id, r]));
  const patient = res.find((r) => r.resourceType === 'Patient');
  patients++;
  const home = patient.address?.[0]?.postalCode;
  // The primary care clinic: the organization of most checkups and follow-ups.
  const counts = new Map();
  for (const r of res) {
    if (r.resourceType !== 'Encounter' || !SCHEDULED.has(r.type?.[0]?.coding?.[0]?.code)) continue;
    const org = r.serviceProvider?.reference?.replace('urn:uuid:', '');
    if (org) counts.set(org, (counts.get(org) ?? 0) + 1);
  }
  const top = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  const clinic = top && byId.get(top);
  const where = clinic?.address?.[0]?.postalCode;
  if (home && where && zips[home] && zips[where]) {
    const d = km(zips[home], zips[where]);
    distances.push(d);
    if (regionOf) {
      regionKnown++;
      if (regionOf(home) !== regionOf(where)) otherRegion++;
    } else if (d > 50) otherRegion++;
  }
  const phone = patient.telecom?.find((t) => t.system === 'phone')?.value;
  if (phone) {
    areaMatch.all++;
    if (regionOf) {
      const m = await import('../dist/knowledge/area-codes.js');
      if (m.regionOfZip(home)?.areaCodes.includes(phone.slice(0, 3))) areaMatch.same++;
    }
  }
  for (const r of res) {
    if (r.resourceType !== 'Encounter') continue;
    const start = r.period?.start;
    if (!start) continue;
    const t = new Date(start);
    if (r.class?.code === 'AMB') {
      amb++;
      const dow = t.getUTCDay();
      if (dow === 0 || dow === 6) weekend++;
    }
    if (r.class?.code === 'VR') virtualByYear[t.getUTCFullYear()] = (virtualByYear[t.getUTCFullYear()] ?? 0) + 1;
    for (const p of r.participant ?? []) {
      const id = p.individual?.reference;
      if (!id) continue;
      const s = span.get(id) ?? { min: t, max: t };
      if (t < s.min) s.min = t;
      if (t > s.max) s.max = t;
      span.set(id, s);
    }
  }
}
const years = [...span.values()].map((s) => (s.max - s.min) / (365.2425 * 864e5));
distances.sort((a, b) => a - b);
const pct = (n, d) => (d === 0 ? 0 : Math.round((1000 * n) / d) / 10);
console.log(JSON.stringify({
  patients,
  practitioners: years.length,
  careerOver45Pct: pct(years.filter((y) => y > 45).length, years.length),
  careerOver50Pct: pct(years.filter((y) => y > 50).length, years.length),
  maxSpanYears: Math.round(Math.max(...years)),
  clinicKmMedian: Math.round(distances[Math.floor(distances.length / 2)] ?? 0),
  clinicKmP90: Math.round(distances[Math.floor(distances.length * 0.9)] ?? 0),
  clinicOver50KmPct: pct(distances.filter((d) => d > 50).length, distances.length),
  clinicOtherRegionPct: regionOf ? pct(otherRegion, regionKnown) : pct(otherRegion, distances.length),
  phoneAreaCodeOfHomeRegionPct: regionOf ? pct(areaMatch.same, areaMatch.all) : null,
  ambulatoryVisits: amb,
  weekendPct: pct(weekend, amb),
  virtualByYear,
}, null, 1));
