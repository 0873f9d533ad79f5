// Visit rates by age (issue 11, careers and places): office visits and emergency visits per 100
// person-years over the ten years before the reference date, by the age bands of Health, United
// States (NAMCS office visits, NHAMCS emergency visits per 100 persons; figures and source in
// bench/helpers/us-visit-rates.json), each with ours / US - 1; and the telehealth share of 2020 (of
// chronic-care follow-ups, against care-channels.yaml, and of all outpatient visits, against the
// published ~14-30%). Measured on records straight from the engine, like the hospital suite.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const YEAR = 365.2425 * 86_400_000;
const FOLLOW_UP = '390906007';

/** Person-years a life spends in [from, to) of age between two instants. */
function bandYears(birth, start, end, band) {
  const a = Math.max(start, birth + band.from * YEAR);
  const b = Math.min(end, birth + band.to * YEAR);
  return Math.max(0, b - a) / YEAR;
}

export async function run(ctx) {
  const load = (p) => import(pathToFileURL(join(ctx.root, 'dist', p)).href);
  const { createCohortContext, simulateIndex } = await load('timeline/cohort.js');
  const { loadCareChannels, channelShare } = await load('knowledge/care-channels.js');
  const us = JSON.parse(readFileSync(join(ctx.root, 'bench', 'helpers', 'us-visit-rates.json'), 'utf8'));
  const n = ctx.quick ? 200 : 2000;
  const cohort = createCohortContext({ seed: 11, referenceDate: '2026-06-30', age: undefined, gender: undefined, state: undefined });
  const ref = cohort.referenceTime;
  const from = ref - 10 * YEAR;
  const y2020 = [Date.parse('2020-01-01T00:00:00Z'), Date.parse('2021-01-01T00:00:00Z')];
  const bands = us.bands.map((b) => ({ ...b, py: 0, offices: 0, emergencies: 0 }));
  const t2020 = { followUps: 0, virtualFollowUps: 0, outpatient: 0, virtual: 0 };
  for (let i = 0; i < n; i++) {
    for (const r of simulateIndex(cohort, i)) {
      const birth = r.demographics.birthTime;
      const end = r.death?.time ?? ref;
      for (const b of bands) b.py += bandYears(birth, from, end, b);
      for (const e of r.encounters) {
        if (e.start >= y2020[0] && e.start < y2020[1] && (e.class === 'AMB' || e.class === 'VR')) {
          t2020.outpatient++;
          if (e.class === 'VR') t2020.virtual++;
          if (e.class === 'VR' || e.type.code === FOLLOW_UP) {
            t2020.followUps++;
            if (e.class === 'VR') t2020.virtualFollowUps++;
          }
        }
        if (e.start < from || e.start >= end) continue;
        const age = (e.start - birth) / YEAR;
        const band = bands.find((b) => age >= b.from && age < b.to);
        if (band === undefined) continue;
        if (e.class === 'AMB') band.offices++;
        else if (e.class === 'EMER') band.emergencies++;
      }
    }
  }
  const label = `${n} living patients, seed 11, last 10 y`;
  const rows = [];
  const row = (metric, value, unit) => rows.push({ suite: 'visit-rates', case: label, metric, value, unit });
  for (const b of bands) {
    const office = (100 * b.offices) / Math.max(1e-9, b.py);
    const emergency = (100 * b.emergencies) / Math.max(1e-9, b.py);
    row(`office visits, ${b.label}`, +office.toFixed(1), 'per 100 person-years');
    row(`office visits, ${b.label}, US (NAMCS 2009)`, b.office, 'per 100 persons');
    row(`office visits, ${b.label}, ours vs US`, Math.round(100 * (office / b.office - 1)), '%');
    row(`emergency visits, ${b.label}`, +emergency.toFixed(1), 'per 100 person-years');
    row(`emergency visits, ${b.label}, US (NHAMCS 2009)`, b.emergency, 'per 100 persons');
    row(`emergency visits, ${b.label}, ours / US`, +(emergency / b.emergency).toFixed(3), 'ratio');
  }
  const mid2020 = Date.parse('2020-07-01T00:00:00Z');
  const configured = loadCareChannels().reduce((s, c) => s + channelShare(c, mid2020), 0);
  row('telehealth share of chronic follow-ups, 2020', +(t2020.virtualFollowUps / Math.max(1, t2020.followUps)).toFixed(3), `share (${t2020.followUps} follow-ups)`);
  row('telehealth share of chronic follow-ups, 2020, care-channels.yaml', +configured.toFixed(3), 'share');
  row('telehealth share of all outpatient visits, 2020', +(t2020.virtual / Math.max(1, t2020.outpatient)).toFixed(3), `share (${t2020.outpatient} visits; US ~0.14-0.30)`);
  return rows;
}
