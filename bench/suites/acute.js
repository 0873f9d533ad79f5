// Issue 4 acute episodes: simulates lives in-process (1,000 patient indices; 150 when quick) and
// reports medically attended acute episodes per 1,000 person-years by age band, the share seen in
// the emergency department or admitted, and the cost of planning and charting per life.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const BANDS = [
  [0, 5],
  [5, 18],
  [18, 45],
  [45, 65],
  [65, 120],
];
const MS_PER_YEAR = 365.2425 * 86_400_000;

export async function run(ctx) {
  const load = (p) => import(pathToFileURL(join(ctx.root, 'dist', p)).href);
  const { createCohortContext, simulateIndex } = await load('timeline/cohort.js');
  const { acuteModules } = await load('knowledge/acute.js');
  const indices = ctx.quick ? 150 : 1000;
  const spec = { seed: 1, referenceDate: '2025-06-01', age: undefined, gender: undefined, state: undefined };
  const cohort = createCohortContext(spec);
  const acute = new Set(acuteModules().map((m) => m.key));
  const years = BANDS.map(() => 0);
  const episodes = BANDS.map(() => 0);
  let emergency = 0;
  let admitted = 0;
  let total = 0;
  const started = performance.now();
  let lives = 0;
  for (let i = 0; i < indices; i++) {
    for (const r of simulateIndex(cohort, i)) {
      lives++;
      const birth = r.demographics.birthTime;
      const end = r.death?.time ?? cohort.referenceTime;
      const age = (end - birth) / MS_PER_YEAR;
      BANDS.forEach(([lo, hi], b) => (years[b] += Math.max(0, Math.min(age, hi) - lo)));
      const classes = new Map();
      for (const e of r.encounters) if (e.reasonConditionId !== undefined) classes.set(e.reasonConditionId, [...(classes.get(e.reasonConditionId) ?? []), e.class]);
      for (const c of r.conditions) {
        if (!acute.has(c.key)) continue;
        total++;
        const at = (c.onset - birth) / MS_PER_YEAR;
        const b = BANDS.findIndex(([lo, hi]) => at >= lo && at < hi);
        if (b >= 0) episodes[b]++;
        const cls = classes.get(c.id) ?? [];
        if (cls.includes('IMP')) admitted++;
        else if (cls.includes('EMER')) emergency++;
      }
    }
  }
  const ms = performance.now() - started;
  const c = `${indices} patients (${lives} lives), seed 1`;
  const rows = BANDS.map(([lo, hi], b) => ({
    suite: 'acute',
    case: c,
    metric: `episodes per 1,000 person-years, age ${hi === 120 ? `${lo}+` : `${lo}-${hi - 1}`}`,
    value: Math.round((1000 * episodes[b]) / Math.max(1, years[b])),
    unit: 'per 1,000 p-y',
  }));
  rows.push({ suite: 'acute', case: c, metric: 'emergency visits (not admitted)', value: Math.round((1000 * emergency) / Math.max(1, total)) / 10, unit: '% of episodes' });
  rows.push({ suite: 'acute', case: c, metric: 'admitted', value: Math.round((1000 * admitted) / Math.max(1, total)) / 10, unit: '% of episodes' });
  rows.push({ suite: 'acute', case: c, metric: 'simulated lives/s (whole engine, in process)', value: Math.round((1000 * lives) / ms), unit: 'lives/s' });
  return rows;
}
