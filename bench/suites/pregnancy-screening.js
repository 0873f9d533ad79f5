// Pregnancy and cancer screening, measured on generated records (in process over dist/): births per
// 1,000 women by age band (from every woman-year of the simulated lives, dead predecessors included),
// live-birth and cesarean shares, screening coverage at the reference date, the share of cancers that
// screening found, and the simulation cost of women of reproductive age.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const YEAR = 365.2425 * 86_400_000;
const REF = Date.UTC(2025, 5, 1);

export async function run(ctx) {
  const load = (p) => import(pathToFileURL(join(ctx.root, 'dist', p)).href);
  const { createCohortContext, simulateIndex } = await load('timeline/cohort.js');
  const { toSeed } = await load('core/random.js');
  const { loadPregnancy } = await load('knowledge/pregnancy.js');
  const { loadScreening } = await load('knowledge/screening.js');
  const k = loadPregnancy();
  const s = loadScreening();
  const records = (gender, min, max, n) => {
    const c = createCohortContext({ seed: toSeed(41), referenceDate: '2025-06-01', age: { min, max }, gender, state: undefined });
    const out = [];
    for (let i = 0; i < n; i++) out.push(...simulateIndex(c, i));
    return out;
  };
  const rows = [];
  const row = (caseName, metric, value, unit) => rows.push({ suite: 'pregnancy-screening', case: caseName, metric, value, unit });

  // Births per 1,000 women-years by age at delivery, over the whole simulated lives of women 50-70
  // (each lived through her reproductive years under the model).
  const nWomen = ctx.quick ? 300 : 2000;
  const t0 = performance.now();
  const women = records('female', 50, 70, nWomen);
  const ms = performance.now() - t0;
  const codes = k.codes;
  const bands = k.birthsPer1000.filter((b) => b.fromAge >= 15);
  const births = bands.map(() => 0);
  const exposure = bands.map(() => 0);
  let pregnancies = 0;
  let live = 0;
  let cesarean = 0;
  for (const r of women) {
    const birth = r.demographics.birthTime;
    const lifeEnd = ((r.death?.time ?? REF) - birth) / YEAR;
    bands.forEach((b, i) => (exposure[i] += Math.max(0, Math.min(lifeEnd, b.toAge) - b.fromAge)));
    pregnancies += r.conditions.filter((c) => c.code.code === codes.pregnancy.code).length;
    for (const p of r.procedures) {
      const isCesarean = p.code.code === codes.cesarean.code;
      if (!isCesarean && p.code.code !== codes.vaginalDelivery.code) continue;
      live++;
      if (isCesarean) cesarean++;
      const age = (p.start - birth) / YEAR;
      const i = bands.findIndex((b) => age >= b.fromAge && age < b.toAge);
      if (i >= 0) births[i]++;
    }
  }
  const c1 = `${nWomen} women aged 50-70 (whole lives)`;
  bands.forEach((b, i) => row(c1, `births per 1,000 women ${b.fromAge}-${b.toAge - 1} (NCHS ${b.rate})`, Math.round((births[i] / exposure[i]) * 10_000) / 10, 'per 1,000'));
  row(c1, 'live births per recognised pregnancy', Math.round((live / pregnancies) * 1000) / 10, '%');
  row(c1, 'cesarean share of births', Math.round((cesarean / live) * 1000) / 10, '%');
  row(c1, 'simulation (records only)', Math.round(women.length / (ms / 1000)), 'records/s');

  // Screening coverage at the reference date and cancers found by screening.
  const n = ctx.quick ? 200 : 1000;
  const older = [...records('female', 50, 75, n), ...records('male', 50, 75, n)].filter((r) => r.death === undefined);
  const code = (key) => s.programs.find((p) => p.key === key).code.code;
  const within = (r, c, years) => r.procedures.some((p) => p.code.code === c && REF - p.start <= years * YEAR) || r.labReports.some((l) => l.code.code === c && REF - l.time <= years * YEAR);
  const ageOf = (r) => (REF - r.demographics.birthTime) / YEAR;
  const share = (list, f) => Math.round((list.filter(f).length / Math.max(1, list.length)) * 1000) / 10;
  const c2 = `${older.length} living adults aged 50-75`;
  const f = older.filter((r) => r.demographics.sex === 'female');
  const m = older.filter((r) => r.demographics.sex === 'male');
  row(c2, 'mammography within 2 years, women 50-74', share(f.filter((r) => ageOf(r) < 75), (r) => within(r, code('mammography'), 2)), '%');
  row(c2, 'colonoscopy within 10 years, adults 50-75', share(older, (r) => within(r, code('colonoscopy'), 10)), '%');
  row(c2, 'PSA within 2 years, men 55-69', share(m.filter((r) => ageOf(r) >= 55 && ageOf(r) < 70), (r) => within(r, code('psa'), 2)), '%');
  row(c2, 'cervical cytology within 3 years, women 50-65', share(f.filter((r) => ageOf(r) < 66), (r) => within(r, code('cervical-cytology'), 3)), '%');
  row(c2, 'low-dose CT within 1 year, adults 50-75', share(older, (r) => within(r, code('lung-ldct'), 1)), '%');
  // A cancer counts as screen-detected when it was diagnosed at the visit of its program's screening.
  let cancers = 0;
  let found = 0;
  for (const r of older) {
    for (const c of r.conditions) {
      const program = s.programs.find((p) => p.detects === c.key);
      if (program === undefined) continue;
      cancers++;
      if (r.procedures.some((p) => p.encounterId === c.encounterId && p.code.code === program.code.code) || r.labReports.some((l) => l.encounterId === c.encounterId && l.code.code === program.code.code)) found++;
    }
  }
  row(c2, `cancers found by screening (of ${cancers} breast/colorectal/prostate/lung)`, Math.round((found / Math.max(1, cancers)) * 1000) / 10, '%');
  return rows;
}
