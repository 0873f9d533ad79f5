// Hospital care and mortality (issue 4, area D), measured on records straight from the engine:
// emergency visits and admissions per 1,000 person-years over the ten years before the reference
// date (all ages, the way HCUP counts discharges per population), length of stay, deaths per living
// patient against the life table alone, the crude death rate of the last year, and the share of
// deaths by cause grouped as CDC's leading causes.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const YEAR = 365.2425 * 86_400_000;
const GROUPS = {
  '53741008': 'heart disease', '84114007': 'heart disease', '49436004': 'heart disease',
  '254837009': 'cancer', '399068003': 'cancer', '363406005': 'cancer', '93880001': 'cancer',
  '230690007': 'stroke', '13645005': 'chronic lower respiratory disease', '52448006': "Alzheimer's/dementia",
  '44054006': 'diabetes', '709044004': 'kidney disease',
};

export async function run(ctx) {
  const load = (p) => import(pathToFileURL(join(ctx.root, 'dist', p)).href);
  const { createCohortContext, simulateIndex } = await load('timeline/cohort.js');
  const { sampleBirth } = await load('timeline/demography.js');
  const { sampleDeathAge } = await load('timeline/mortality.js');
  const { Rng } = await load('core/random.js');
  const n = ctx.quick ? 300 : 3000;
  const spec = { seed: 21, referenceDate: '2025-06-01', age: undefined, gender: undefined, state: undefined };
  const cohort = createCohortContext(spec);
  const ref = cohort.referenceTime;
  const from = ref - 10 * YEAR;
  let py = 0, ed = 0, admissions = 0, losDays = 0, living = 0, deceased = 0, lastYearDeaths = 0, inHospital = 0;
  const causes = new Map();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    for (const r of simulateIndex(cohort, i)) {
      const end = r.death?.time ?? ref;
      py += Math.max(0, end - Math.max(from, r.demographics.birthTime)) / YEAR;
      for (const e of r.encounters) {
        if (e.start < from) continue;
        if (e.class === 'EMER') ed++;
        if (e.class === 'IMP') { admissions++; losDays += (e.end - e.start) / 86_400_000; }
      }
      if (r.death === undefined) { living++; continue; }
      deceased++;
      if (ref - r.death.time < YEAR) lastYearDeaths++;
      if (r.death.encounterId !== undefined) inHospital++;
      const group = GROUPS[r.death.cause.code] ?? 'other (injury, pneumonia, sepsis)';
      causes.set(group, (causes.get(group) ?? 0) + 1);
    }
  }
  const ms = performance.now() - t0;
  let ltDead = 0, ltLiving = 0;
  for (let i = 0; i < 50_000; i++) {
    const rng = Rng.of(21, 'life-table-only', i);
    const b = sampleBirth(rng.fork('birth'), spec);
    if (sampleDeathAge(rng.fork('mortality'), b.sex) < b.ageAtReference) ltDead++; else ltLiving++;
  }
  const label = `${n} living patients, seed 21`;
  const row = (metric, value, unit) => ({ suite: 'hospital', case: label, metric, value, unit });
  const rows = [
    row('emergency visits (last 10 y)', +((1000 * ed) / py).toFixed(1), 'per 1000 person-years'),
    row('admissions (last 10 y)', +((1000 * admissions) / py).toFixed(1), 'per 1000 person-years'),
    row('mean length of stay', +(losDays / Math.max(1, admissions)).toFixed(2), 'days'),
    row('deceased per living', +(deceased / living).toFixed(3), 'ratio'),
    row('deceased per living, life table alone', +(ltDead / ltLiving).toFixed(3), 'ratio'),
    row('crude death rate (last year; US 2022: 9.2)', +((1000 * lastYearDeaths) / (living + lastYearDeaths)).toFixed(1), 'per 1000'),
    row('deaths in hospital', +((100 * inHospital) / Math.max(1, deceased)).toFixed(1), '% of deaths'),
    row('engine time', Math.round(ms), 'ms'),
  ];
  for (const [group, count] of [...causes].sort((a, b) => b[1] - a[1])) {
    rows.push(row(`cause of death: ${group}`, +((100 * count) / deceased).toFixed(1), '% of deaths'));
  }
  return rows;
}
