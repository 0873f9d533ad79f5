import { describe, expect, it } from 'vitest';
import { loadPregnancy } from '../../src/knowledge/pregnancy.js';
import { MS_PER_DAY, type IsoDate } from '../../src/core/time.js';
import type { Encounter, PatientRecord } from '../../src/record/types.js';
import { createCohortContext, simulateIndex } from '../../src/timeline/cohort.js';
import { toSeed } from '../../src/core/random.js';

const REF = '2025-06-01' as IsoDate;

function cohort(n: number, age: { min: number; max: number }, seed: number): PatientRecord[] {
  const ctx = createCohortContext({ seed: toSeed(seed), referenceDate: REF, age, gender: 'female', state: undefined });
  const out: PatientRecord[] = [];
  for (let i = 0; i < n; i++) out.push(...simulateIndex(ctx, i));
  return out;
}

const pp = loadPregnancy().postpartum;
const women = cohort(200, { min: 22, max: 45 }, 31);
const births = women.flatMap((r) =>
  r.deliveries.map((d) => {
    const stay = r.encounters.find((e) => e.id === d.encounterId)!;
    const visits = r.encounters.filter((e) => e.type.code === pp.visit.code && e.start > stay.end && e.start - stay.end < 84 * MS_PER_DAY);
    const preeclampsia = r.conditions.some((c) => c.key === 'preeclampsia' && c.abatement === d.time);
    const hypertension = r.conditions.some((c) => c.key === 'hypertension' && c.recorded <= stay.end && (c.abatement === undefined || c.abatement > stay.end));
    return { r, stay, visits, hypertensive: preeclampsia || hypertension, preeclampsia };
  }),
);
// Births whose whole postpartum window lies inside the record.
const seen = births.filter(({ r, stay }) => stay.end + 84 * MS_PER_DAY < Date.parse(`${REF}T00:00:00Z`) && (r.death === undefined || r.death.time > stay.end + 84 * MS_PER_DAY));
const days = (stay: Encounter, e: Encounter) => (e.start - stay.end) / MS_PER_DAY;
// A visit is booked in clinic hours of the drawn day (up to a day earlier) or moved on past a busy day.
const isComprehensive = (stay: Encounter, e: Encounter) => days(stay, e) >= pp.comprehensiveDays.min - 1;

describe('postpartum care (ACOG Committee Opinion 736)', () => {
  it('gives every birth a comprehensive postpartum visit at 6-8 weeks, with her weight and blood pressure, at her clinic', () => {
    expect(seen.length).toBeGreaterThan(20);
    for (const { r, stay, visits } of seen) {
      const comprehensive = visits.filter((e) => isComprehensive(stay, e));
      expect(comprehensive.length).toBe(1);
      const e = comprehensive[0]!;
      expect(days(stay, e)).toBeLessThanOrEqual(pp.comprehensiveDays.max + 8);
      expect(e.class).toBe('AMB');
      expect(e.organizationId).toBe(r.primaryCare.organizationId);
      expect(r.vitals.some((v) => v.encounterId === e.id && v.kind === 'bodyWeight')).toBe(true);
      expect(r.bloodPressures.some((b) => b.encounterId === e.id)).toBe(true);
    }
  });

  it('adds a contact within 3 weeks from 2018, and a blood-pressure check within 10 days after a hypertensive pregnancy', () => {
    let early = 0;
    for (const { r, stay, visits, hypertensive } of seen) {
      const within = visits.filter((e) => !isComprehensive(stay, e));
      for (const e of within) expect(days(stay, e)).toBeLessThanOrEqual(21);
      if (hypertensive && stay.end >= pp.bloodPressureCheck.from) {
        expect(within.length).toBe(1);
        expect(days(stay, within[0]!)).toBeLessThanOrEqual(pp.bloodPressureCheck.days.max + 8);
        expect(r.bloodPressures.some((b) => b.encounterId === within[0]!.id)).toBe(true);
      } else if (stay.end >= pp.earlyContact.from) {
        expect(within.length).toBe(1);
      } else {
        expect(within.length).toBe(0);
      }
      early += within.length;
    }
    expect(early).toBeGreaterThan(5);
    const hypertensive = births.filter((b) => b.hypertensive);
    expect(hypertensive.length).toBeGreaterThan(2);
  });

  it('screens for depression at the comprehensive visit from ACOG CO 630 (2015) on, never before', () => {
    let screened = 0;
    for (const { r, stay, visits } of seen) {
      const e = visits.find((x) => isComprehensive(stay, x))!;
      const screen = r.procedures.filter((p) => p.code.code === pp.depressionScreening.code.code && p.encounterId === e.id);
      expect(screen.length).toBe(e.start >= pp.depressionScreening.from ? 1 : 0);
      screened += screen.length;
    }
    expect(screened).toBeGreaterThan(10);
  });

  it('charts the EPDS total score with each screening, and a follow-up visit within 3 weeks after a positive one (13 or more)', () => {
    const sc = pp.depressionScreening.score;
    const all = women.flatMap((r) => r.screeningScores.map((s) => ({ r, s })));
    const screenings = women.flatMap((r) => r.procedures.filter((p) => p.code.code === pp.depressionScreening.code.code));
    expect(all.length).toBe(screenings.length);
    expect(all.length).toBeGreaterThan(30);
    let positive = 0;
    for (const { r, s } of all) {
      expect(s.code).toEqual(sc.code);
      expect(Number.isInteger(s.value) && s.value >= 0 && s.value <= 30).toBe(true);
      expect(s.positive).toBe(s.value >= sc.positiveAtLeast);
      expect(r.procedures.some((p) => p.encounterId === s.encounterId && p.code.code === pp.depressionScreening.code.code && p.start === s.time)).toBe(true);
      if (!s.positive) continue;
      positive++;
      const followUp = r.encounters.filter((e) => e.type.code === sc.followUp.code && e.start > s.time && e.start - s.time <= (sc.followUpDays.max + 8) * MS_PER_DAY && e.organizationId === r.primaryCare.organizationId);
      if (s.time + (sc.followUpDays.max + 8) * MS_PER_DAY < Date.parse(`${REF}T00:00:00Z`)) expect(followUp.length).toBeGreaterThanOrEqual(1);
    }
    // About 13% positive (O'Hara & McCabe 2013): a loose band on a small cohort.
    expect(positive / all.length).toBeGreaterThan(0.03);
    expect(positive / all.length).toBeLessThan(0.3);
  });
});
