/**
 * Issue 11, records of their era: what the remaining defects looked like on a cohort of old
 * patients (their charts reach back to the 1930s), each asserted absent. Every assertion here
 * failed on the engine before the change (numbers in the README).
 */
import { describe, expect, it } from 'vitest';
import { Rng, toSeed } from '../../src/core/random.js';
import { MS_PER_YEAR, type IsoDate } from '../../src/core/time.js';
import { eraChoice, periodOf } from '../../src/knowledge/availability.js';
import { conditionModules } from '../../src/knowledge/conditions.js';
import { loadLabs } from '../../src/knowledge/labs.js';
import { limitsAt, loadVitalPlausibility } from '../../src/knowledge/vital-plausibility.js';
import type { EncounterId, PatientRecord } from '../../src/record/types.js';
import { createBody, measure } from '../../src/timeline/body.js';
import { createCohortContext, simulateIndex } from '../../src/timeline/cohort.js';
import { withinPhysiologicLimits } from '../../src/timeline/vital-limits.js';

const at = (date: string): number => Date.parse(`${date}T12:00:00Z`);
const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
const rx = (code: string) => ({ system: RXNORM, code, display: code });
const U100_INSULINS = new Set(['311028', '311034', '106892']);
const HBA1C = '4548-4';
const FASTING_GLUCOSE = '1558-6';
const GLUCOSE = '2345-7';

let memo: PatientRecord[] | undefined;
/** 60 living patients aged 75-100 (and the deceased drawn on the way), their whole lives charted. */
function oldCohort(): PatientRecord[] {
  if (memo !== undefined) return memo;
  const ctx = createCohortContext({ seed: toSeed(11), referenceDate: '2025-06-01' as IsoDate, age: { min: 75, max: 100 }, gender: undefined, state: undefined });
  const records: PatientRecord[] = [];
  for (let i = 0; i < 60; i++) records.push(...simulateIndex(ctx, i));
  return (memo = records);
}

describe('records of their era', () => {
  it('changes a share of patients on a superseded drug to the newer one at later visits, spread over years', () => {
    const switched: { from: string; to: string; year: number }[] = [];
    for (const r of oldCohort()) {
      for (const o of r.medications) {
        if (o.stopReason?.includes('newer agent') !== true) continue;
        const next = r.medications.find((m) => m.conditionId === o.conditionId && m.authored === o.end && m.id !== o.id);
        expect(next, `the order that replaced ${o.medication.display}`).toBeDefined();
        expect(next!.medication.code).not.toBe(o.medication.code);
        // The new drug is of its date, and the old one predates it.
        expect(eraChoice(next!.medication, next!.authored)?.code).toBe(next!.medication.code);
        expect(periodOf(next!.medication.system, next!.medication.code)!.from).toBeGreaterThan(o.authored);
        switched.push({ from: o.medication.code, to: next!.medication.code, year: new Date(o.end!).getUTCFullYear() });
      }
    }
    expect(switched.length).toBeGreaterThan(3);
    // Not everyone at once: the changes fall in several different years.
    expect(new Set(switched.map((s) => s.year)).size).toBeGreaterThan(2);
    expect(switched.some((s) => s.from === '198294' || s.from === '310490')).toBe(true);
  });

  it('charts no U-100 insulin before 1973: the U-40 product of the era instead', () => {
    expect(eraChoice(rx('311028'), at('1965-01-01'))?.code).toBe('nph-insulin-u40');
    expect(eraChoice(rx('311034'), at('1940-01-01'))?.code).toBe('regular-insulin-u40');
    expect(eraChoice(rx('106892'), at('1975-01-01'))?.code).toBe('nph-insulin-u100-animal');
    expect(eraChoice(rx('106892'), at('1985-01-01'))?.code).toBe('311028');
    let early = 0;
    for (const r of oldCohort()) {
      for (const o of r.medications) {
        if (o.authored >= at('1973-01-01') || !/insulin/i.test(o.medication.display)) continue;
        early++;
        expect(U100_INSULINS.has(o.medication.code), `${o.medication.display} on ${new Date(o.authored).toISOString()}`).toBe(false);
      }
    }
    expect(early).toBeGreaterThan(0);
  });

  it('charts beef-pork insulin, not human, before Humulin (1982-10-28), and changes every patient off a product once it leaves the market', () => {
    const human = periodOf(RXNORM, '311028')!.from;
    let animal = 0;
    let withdrawn = 0;
    for (const r of oldCohort()) {
      const end = r.death?.time ?? Date.parse('2025-06-01T00:00:00Z');
      for (const o of r.medications) {
        if (U100_INSULINS.has(o.medication.code)) expect(o.authored, `${o.medication.display} on ${new Date(o.authored).toISOString()}`).toBeGreaterThanOrEqual(human);
        if (o.medication.code.endsWith('-u100-animal')) animal++;
        const until = periodOf(o.medication.system, o.medication.code)?.until ?? Infinity;
        // Seen every few months as a diabetic: changed within two years of the product's end.
        if (until < end - 2 * MS_PER_YEAR && o.status !== 'completed') {
          expect(o.end, `${o.medication.display} from ${new Date(o.authored).toISOString()} still running`).toBeDefined();
          expect(o.end!).toBeLessThan(until + 2 * MS_PER_YEAR);
          if (o.stopReason?.includes('discontinued') === true) withdrawn++;
        }
      }
    }
    expect(animal).toBeGreaterThan(0);
    // Patients changed over on the way (the share who stay is tested in era-switch-withdrawn.test.ts).
    expect(withdrawn).toBeGreaterThanOrEqual(0);
  });

  it('screens and diagnoses by fasting glucose before 2010, when HbA1c became a diagnostic test; monitors known diabetes by HbA1c from 1980', () => {
    const from = Date.parse(`${loadLabs().glycemia.screening.a1cDiagnosisFrom}T00:00:00Z`);
    let screensBefore = 0;
    let monitored = 0;
    let screensAfter = 0;
    for (const r of oldCohort()) {
      const diabetesFrom = Math.min(...r.conditions.filter((c) => c.key === 'type1-diabetes' || c.key === 'type2-diabetes').map((c) => c.recorded));
      for (const report of r.labReports) {
        const a1c = report.results.some((x) => x.code.code === HBA1C);
        const diabetic = report.time >= diabetesFrom;
        if (a1c && !diabetic) expect(report.time, `HbA1c screen on ${new Date(report.time).toISOString()}`).toBeGreaterThanOrEqual(from);
        if (a1c && diabetic && report.time < from) monitored++;
        if (a1c && !diabetic) screensAfter++;
        if (!diabetic && report.time < from && report.time >= at('1980-01-01') && report.results.some((x) => x.code.code === FASTING_GLUCOSE || x.code.code === GLUCOSE)) screensBefore++;
      }
      // A prediabetes finding before 2010 rests on that day's glucose, not an HbA1c.
      for (const c of r.conditions) {
        if (c.key !== 'prediabetes' || c.recorded >= from) continue;
        const day = r.labReports.filter((x) => x.encounterId === c.encounterId);
        expect(day.some((x) => x.results.some((y) => y.code.code === FASTING_GLUCOSE || y.code.code === GLUCOSE))).toBe(true);
        expect(day.some((x) => x.results.some((y) => y.code.code === HBA1C))).toBe(false);
      }
    }
    expect(screensBefore).toBeGreaterThan(0);
    expect(monitored).toBeGreaterThan(0);
    expect(screensAfter).toBeGreaterThan(0);
  });

  it('books one visit a day at the hospital clinics: two specialists due the same day are seen on different days', () => {
    const booked = new Set(['390906007', '185347001']);
    let seen = 0;
    for (const r of oldCohort()) {
      const days = new Map<string, string>();
      for (const e of r.encounters) {
        if (e.class !== 'AMB' || !booked.has(e.type.code) || e.practitionerId === undefined) continue;
        const key = `${e.organizationId}|${new Date(e.start).toISOString().slice(0, 10)}`;
        seen++;
        expect(days.get(key), `two booked visits at ${key}`).toBeUndefined();
        days.set(key, e.id);
      }
    }
    expect(seen).toBeGreaterThan(100);
  });

  it('names a raised glucose short of diabetes as its day did: none before 1979, IGT, IFG from 1997, prediabetes from 2002', () => {
    const finding = loadLabs().prediabetes;
    expect(['1975-01-01', '1990-01-01', '2000-01-01', '2010-01-01'].map((d) => eraChoice(finding, at(d))?.code)).toEqual([undefined, '9414007', '390951007', '714628002']);
    let named = 0;
    for (const r of oldCohort()) {
      for (const c of r.conditions) {
        if (c.key !== 'prediabetes') continue;
        named++;
        expect(eraChoice(c.code, c.recorded)?.code, `${c.code.display} recorded ${new Date(c.recorded).toISOString()}`).toBe(c.code.code);
      }
    }
    expect(named).toBeGreaterThan(0);
  });

  it('gives a diabetes diagnosed before HbA1c (1980) a fasting-glucose goal and urine testing, not an HbA1c goal', () => {
    let early = 0;
    for (const r of oldCohort()) {
      for (const g of r.goals) {
        if (g.start >= at('1980-01-01')) continue;
        expect(g.targets.map((t) => t.measure.code)).not.toContain(HBA1C);
        expect(g.description).not.toMatch(/A1c/);
        for (const t of g.targets) expect(eraChoice(t.measure, g.start)?.code).toBe(t.measure.code);
        if (g.targets.some((t) => t.measure.code === FASTING_GLUCOSE)) early++;
      }
      for (const p of r.carePlans) if (p.start < at('1980-01-01')) expect(p.activities.join('; ')).not.toMatch(/A1c|blood glucose monitoring/i);
    }
    expect(early).toBeGreaterThan(0);
  });

  it('reports one glucose per draw: a panel drawn with the fasting glucose carries it', () => {
    let draws = 0;
    for (const r of oldCohort()) {
      const perDraw = new Map<string, number>();
      for (const report of r.labReports) {
        for (const x of report.results) {
          if (x.code.code !== GLUCOSE && x.code.code !== FASTING_GLUCOSE) continue;
          const key = `${report.encounterId as EncounterId}|${report.time}`;
          perDraw.set(key, (perDraw.get(key) ?? 0) + 1);
        }
      }
      for (const [key, n] of perDraw) {
        draws++;
        expect(n, `glucose results at draw ${key}`).toBe(1);
      }
    }
    expect(draws).toBeGreaterThan(0);
  });

  it('orders a sulfonylurea as the second drug added to metformin before SGLT2 inhibitors (2013)', () => {
    const second = conditionModules().find((m) => m.key === 'type2-diabetes')!.medications.find((s) => s.line === 2)!.medication;
    expect(eraChoice(second, at('2005-01-01'))?.code).toBe('310490'); // glipizide
    expect(eraChoice(second, at('1975-01-01'))?.code).toBe('198294'); // tolbutamide
    expect(eraChoice(second, at('2015-01-01'))?.code).toBe(second.code);
  });
});

describe('vital signs inside physiologic limits', () => {
  const k = loadVitalPlausibility();

  it('holds the resting respiratory rate, temperature and SpO2 to the age limits, as the heart rate', () => {
    const body = createBody(Rng.of(toSeed(5), 'body'), 'female', 1990);
    const extreme = { ...body, offsets: { ...body.offsets, respiratoryRate: -40, heartRate: -200, temperature: 9, spo2: -60 } };
    for (const age of [0.5, 3, 8, 15, 40]) {
      const v = measure(extreme, age, Rng.of(toSeed(5), 'visit', age));
      const within = (kind: Parameters<typeof limitsAt>[1], x: number): void => {
        const [lo, hi] = limitsAt(k, kind, age);
        expect(x, `${kind} at ${age}`).toBeGreaterThanOrEqual(lo);
        expect(x, `${kind} at ${age}`).toBeLessThanOrEqual(hi);
      };
      within('respiratoryRate', v.respiratoryRate);
      within('heartRate', v.heartRate);
      within('temperatureC', v.temperatureC);
      within('spo2', v.spo2);
    }
  });

  it('holds every charted vital and blood pressure, whatever step drew it (a febrile infant, an adult-sized exacerbation)', () => {
    const birth = at('2020-01-01');
    const time = birth + 0.5 * MS_PER_YEAR;
    const e = 'e' as EncounterId;
    const held = withinPhysiologicLimits(
      {
        encounters: [], smoking: [], immunizations: [], allergies: [], conditions: [], medications: [], labReports: [], procedures: [], carePlans: [], goals: [], pregnancyStatuses: [], prenatalExams: [], deliveries: [], screeningScores: [],
        vitals: [
          { id: 'rr', kind: 'respiratoryRate', encounterId: e, time, value: 95 },
          { id: 'hr', kind: 'heartRate', encounterId: e, time, value: 240 },
          { id: 'wt', kind: 'bodyWeight', encounterId: e, time, value: 7.5 },
        ],
        bloodPressures: [{ id: 'bp', encounterId: e, time: birth + 5 * MS_PER_YEAR, systolic: 200, diastolic: 175 }],
      },
      birth,
    );
    expect(held.vitals.map((v) => v.value)).toEqual([limitsAt(k, 'respiratoryRate', 0.5)[1], limitsAt(k, 'heartRate', 0.5)[1], 7.5]);
    const bp = held.bloodPressures[0]!;
    expect(bp.systolic).toBe(limitsAt(k, 'systolic', 5)[1]);
    expect(bp.systolic - bp.diastolic).toBeGreaterThanOrEqual(k.minimumPulsePressure);
  });
});
