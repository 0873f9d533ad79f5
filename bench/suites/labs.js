// Labs, medication pathways and care plans (issue 4, area B): how much clinical content the engine
// writes per patient, and how fast the timeline simulates it (no FHIR mapping, no I/O), over dist/.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export async function run(ctx) {
  const load = (p) => import(pathToFileURL(join(ctx.root, 'dist', p)).href);
  const { createCohortContext, simulateIndex } = await load('timeline/cohort.js');
  const { toSeed } = await load('core/random.js');
  const cohort = createCohortContext({ seed: toSeed(5), referenceDate: '2025-06-01', age: undefined, gender: undefined, state: undefined });
  const n = ctx.quick ? 100 : 1000;
  for (let i = 0; i < 20; i++) simulateIndex(cohort, 100_000 + i); // warm-up
  const t0 = performance.now();
  let records = 0, reports = 0, results = 0, orders = 0, stopped = 0, plans = 0, goals = 0;
  for (let i = 0; i < n; i++) {
    for (const r of simulateIndex(cohort, i)) {
      records++;
      reports += r.labReports.length;
      for (const rep of r.labReports) results += rep.results.length;
      orders += r.medications.length;
      stopped += r.medications.filter((m) => m.status === 'stopped').length;
      plans += r.carePlans.length;
      goals += r.goals.length;
    }
  }
  const ms = performance.now() - t0;
  const label = `${n} patients (${records} records)`;
  const per = (x) => +(x / records).toFixed(2);
  return [
    { suite: 'labs', case: label, metric: 'simulated records/s', value: Math.round(records / (ms / 1000)), unit: 'records/s' },
    { suite: 'labs', case: label, metric: 'lab reports per record', value: per(reports), unit: 'reports' },
    { suite: 'labs', case: label, metric: 'lab results per record', value: per(results), unit: 'results' },
    { suite: 'labs', case: label, metric: 'medication orders per record', value: per(orders), unit: 'orders' },
    { suite: 'labs', case: label, metric: 'stopped orders per record', value: per(stopped), unit: 'orders' },
    { suite: 'labs', case: label, metric: 'care plans per record', value: per(plans), unit: 'plans' },
    { suite: 'labs', case: label, metric: 'goals per record', value: per(goals), unit: 'goals' },
  ];
}
