import { describe, expect, it } from 'vitest';
import { loadContraindications } from '../../src/knowledge/contraindications.js';
import { egfrCodes } from '../../src/knowledge/labs.js';
import { loadPregnancy } from '../../src/knowledge/pregnancy.js';
import type { IsoDate } from '../../src/core/time.js';
import type { PatientRecord } from '../../src/record/types.js';
import { createCohortContext, simulateIndex } from '../../src/timeline/cohort.js';
import { plannedDeliveries, type PlannedPregnancy } from '../../src/timeline/pregnancy.js';
import { childKey, Rng, toSeed } from '../../src/core/random.js';
import { createBody, measure } from '../../src/timeline/body.js';
import { limitsAt, loadVitalPlausibility } from '../../src/knowledge/vital-plausibility.js';

/** The records of patient `index` of `chartwright generate --seed 11` at a reference date. */
function recordsOf(referenceDate: string, index: number): PatientRecord[] {
  const ctx = createCohortContext({ seed: toSeed(11), referenceDate: referenceDate as IsoDate, age: undefined, gender: undefined, state: undefined });
  return simulateIndex(ctx, index);
}

/** Ambulatory encounters (clinic, prenatal, specialist visits) that overlap an inpatient stay. */
function visitsDuringStays(r: PatientRecord): string[] {
  const stays = r.encounters.filter((e) => e.class === 'IMP');
  return r.encounters
    .filter((e) => e.class === 'AMB')
    .flatMap((v) => stays.filter((s) => v.start < s.end && v.end > s.start).map((s) => `${new Date(v.start).toISOString()} in stay ${new Date(s.start).toISOString()}-${new Date(s.end).toISOString()}`));
}

/** Orders written when the chart's latest lab value already ruled the drug out (metformin below eGFR 30). */
function ordersAfterRulingLab(r: PatientRecord): string[] {
  const rules = loadContraindications().rules;
  const egfr = egfrCodes();
  const values = r.labReports.flatMap((l) => l.results.filter((x) => egfr.has(x.code.code)).map((x) => ({ at: l.time, value: x.value })));
  return r.medications.flatMap((m) => {
    const rule = rules.find((c) => c.drug === m.medication.code && c.lab === 'egfr');
    if (rule === undefined) return [];
    const prior = values.filter((v) => v.at <= m.authored).sort((a, b) => b.at - a.at)[0];
    return prior !== undefined && prior.value < rule.below ? [`${rule.name} on ${new Date(m.authored).toISOString()} after eGFR ${prior.value}`] : [];
  });
}

describe('stays charted after the clinic visits', () => {
  // The patients `chartwright check` failed on (clinical.visit-during-stay): a vaccine visit and a
  // checkup inside a delivery stay, the delivery being charted after the clinic had booked them.
  it.each([
    ['2026-06-30', 251],
    ['2026-12-03', 182],
  ])('keep the clinic out of the delivery stay (seed 11, %s, patient %i)', (ref, index) => {
    const records = recordsOf(ref, index);
    expect(records.some((r) => r.encounters.some((e) => e.type.code === loadPregnancy().codes.deliveryAdmission.code))).toBe(true);
    for (const r of records) expect(visitsDuringStays(r)).toEqual([]);
  });

  it('are planned wide enough to hold the delivery stay charted from the same plan', () => {
    const k = loadPregnancy();
    const plan: PlannedPregnancy[] = [
      { startAge: 25, outcome: 'birth', endWeek: 39.3, firstVisitWeek: 9, cesarean: true, gestationalDiabetes: false, preeclampsiaWeek: undefined },
      { startAge: 28, outcome: 'miscarriage', endWeek: 10, firstVisitWeek: 8, cesarean: false, gestationalDiabetes: false, preeclampsiaWeek: undefined },
    ];
    const spans = plannedDeliveries(plan, 0);
    // Only the birth is a stay; it lasts at most the cesarean's longest stay from the admission hour.
    expect(spans).toHaveLength(1);
    const [start, end] = spans[0]!;
    expect(start % 3_600_000).toBe(0);
    expect(end - start).toBeGreaterThanOrEqual(k.birth.stayDays.cesarean.max * 86_400_000);
  });
});

describe('a first line ordered at the diagnosis', () => {
  // The patients check failed on (clinical.lab-contraindication): metformin started at the diabetes
  // diagnosis, then stopped the same minute by the eGFR (23, 29) of that visit's own panel.
  it.each([
    ['2026-06-30', 212],
    ['2026-12-03', 237],
  ])('is not charted when the visit\'s own labs rule it out, and the next line starts instead (seed 11, %s, patient %i)', (ref, index) => {
    const records = recordsOf(ref, index);
    for (const r of records) {
      expect(ordersAfterRulingLab(r)).toEqual([]);
      // No order that starts and stops at the same minute.
      expect(r.medications.filter((m) => m.end !== undefined && m.end <= m.authored).map((m) => m.medication.display)).toEqual([]);
    }
    // The diabetes is still treated: the second line (canagliflozin) at the diagnosis.
    const diabetic = records.find((r) => r.conditions.some((c) => c.key === 'type2-diabetes'))!;
    const diagnosis = diabetic.conditions.find((c) => c.key === 'type2-diabetes')!;
    expect(diabetic.medications.some((m) => m.conditionId === diagnosis.id && m.authored === diagnosis.recorded)).toBe(true);
  });
});

describe('a resting heart rate at a clinic visit', () => {
  // Seed 11/500 --history-years all: a slow personal rate (the 40s all his teens) read 36 at 17.99,
  // under the 40 a teenager can show (vital-plausibility.json).
  it('stays inside the physiologic limits for the age, however slow the person', () => {
    const body = createBody(new Rng(childKey(Rng.of(toSeed(11), 'hr').key, 'body')), 'male', 2007);
    const slow = { ...body, offsets: { ...body.offsets, heartRate: -60 } };
    const rng = Rng.of(toSeed(11), 'visits');
    for (const age of [0.5, 5, 10, 17.99, 40, 80]) {
      const [lo, hi] = limitsAt(loadVitalPlausibility(), 'heartRate', age);
      const hr = measure(slow, age, rng).heartRate;
      expect(hr).toBeGreaterThanOrEqual(lo);
      expect(hr).toBeLessThanOrEqual(hi);
    }
  });
});
