import { loadLabs } from '../../src/knowledge/labs.js';
import { describe, expect, it } from 'vitest';
import { loadPregnancy } from '../../src/knowledge/pregnancy.js';
import { MS_PER_YEAR, type IsoDate } from '../../src/core/time.js';
import type { PatientRecord } from '../../src/record/types.js';
import { createCohortContext, simulateIndex } from '../../src/timeline/cohort.js';
import { fetalHeartFromWeek, planPregnancies, pregnancyRecords, type PlannedPregnancy, type PregnancyContext } from '../../src/timeline/pregnancy.js';
import { Rng, keyOf, toSeed } from '../../src/core/random.js';
import { ProviderDirectory, localSites } from '../../src/timeline/providers.js';
import { assignPrimaryCare } from '../../src/timeline/clinic-visits.js';
import { IdAllocator } from '../../src/timeline/ids.js';
import { ProviderSetBuilder } from '../../src/timeline/provider-set.js';
import { createBody } from '../../src/timeline/body.js';

const k = loadPregnancy();
const WEEKS_PER_YEAR = 365.2425 / 7;
const endAge = (p: PlannedPregnancy): number => p.startAge + p.endWeek / WEEKS_PER_YEAR;

describe('pregnancy engine (many whole reproductive lives)', () => {
  const N = 4000;
  // Women born 1930-1989, so their births span the cesarean shares of 1945-2039.
  const birthYearOf = (i: number): number => 1930 + (i % 60);
  const plans = Array.from({ length: N }, (_, i) => planPregnancies(Rng.of(toSeed(5), 'women', i), 50, () => i % 3 === 0, birthYearOf(i)));
  const birthYearOfPlan = new Map(plans.flatMap((plan, i) => plan.map((p) => [p, birthYearOf(i) + endAge(p)] as const)));
  const all = plans.flat();
  const births = all.filter((p) => p.outcome === 'birth');

  it('gives births per 1,000 women by age close to NCHS 2022', () => {
    for (const band of k.birthsPer1000) {
      if (band.rate < 10) continue;
      const n = births.filter((p) => endAge(p) >= band.fromAge && endAge(p) < band.toAge).length;
      const perThousand = (n / (N * (band.toAge - band.fromAge))) * 1000;
      expect(perThousand, `${band.fromAge}-${band.toAge - 1}`).toBeGreaterThan(band.rate * 0.8);
      expect(perThousand, `${band.fromAge}-${band.toAge - 1}`).toBeLessThan(band.rate * 1.2);
    }
    // A total fertility rate near the US figure (1.67 in 2022).
    expect(births.length / N).toBeGreaterThan(1.4);
    expect(births.length / N).toBeLessThan(2);
  });

  it('delivers by cesarean at the share of the era: about 5% before 1972, 21-25% in 1985-2000, a third from 2009', () => {
    const shareIn = (from: number, to: number): number => {
      const era = births.filter((p) => birthYearOfPlan.get(p)! >= from && birthYearOfPlan.get(p)! < to && p.preeclampsiaWeek === undefined);
      expect(era.length, `${from}-${to}`).toBeGreaterThan(300);
      return era.filter((p) => p.cesarean).length / era.length;
    };
    expect(shareIn(1960, 1972)).toBeGreaterThan(0.03);
    expect(shareIn(1960, 1972)).toBeLessThan(0.08);
    expect(shareIn(1985, 2000)).toBeGreaterThan(0.2);
    expect(shareIn(1985, 2000)).toBeLessThan(0.26);
    expect(shareIn(2009, 2040)).toBeGreaterThan(0.29);
    expect(shareIn(2009, 2040)).toBeLessThan(0.35);
  });

  it('delivers about 10% preterm, about a quarter of those before 34 weeks, and none before 22 or after 41.5 weeks', () => {
    const preterm = births.filter((p) => p.endWeek < 37);
    expect(preterm.length / births.length).toBeGreaterThan(0.09);
    expect(preterm.length / births.length).toBeLessThan(0.12);
    const early = preterm.filter((p) => p.endWeek < 34).length / preterm.length;
    expect(early).toBeGreaterThan(0.2);
    expect(early).toBeLessThan(0.34);
    expect(births.every((p) => p.endWeek >= 22 && p.endWeek <= 41.5)).toBe(true);
    const weeks = births.map((p) => p.endWeek).sort((a, b) => a - b);
    const median = weeks[Math.floor(weeks.length / 2)]!;
    expect(median).toBeGreaterThan(38.8);
    expect(median).toBeLessThan(39.8);
  });

  it('ends about 80-90% of recognised pregnancies in a live birth', () => {
    expect(births.length / all.length).toBeGreaterThan(0.8);
    expect(births.length / all.length).toBeLessThan(0.9);
    const gdm = births.filter((p) => p.gestationalDiabetes).length / births.length;
    expect(gdm).toBeGreaterThan(0.04);
    expect(gdm).toBeLessThan(0.12);
    const preeclampsia = births.filter((p) => p.preeclampsiaWeek !== undefined);
    expect(preeclampsia.length / births.length).toBeGreaterThan(0.02);
    expect(preeclampsia.length / births.length).toBeLessThan(0.08);
    expect(preeclampsia.every((p) => p.preeclampsiaWeek! >= k.preeclampsia.fromWeek && p.preeclampsiaWeek! < p.endWeek)).toBe(true);
    expect(preeclampsia.filter((p) => p.cesarean).length / preeclampsia.length).toBeGreaterThan(0.4);
    expect(all.filter((p) => p.outcome === 'miscarriage' && (p.cesarean || p.gestationalDiabetes || p.preeclampsiaWeek !== undefined))).toEqual([]);
  });

  it('keeps pregnancies between menarche and 50, never overlapping, spaced after each ends', () => {
    const bad: string[] = [];
    for (const plan of plans) {
      for (let i = 0; i < plan.length; i++) {
        const p = plan[i]!;
        if (p.startAge < k.menarcheAge || endAge(p) >= 51) bad.push(`pregnancy at ${p.startAge}-${endAge(p)}`);
        if (p.firstVisitWeek >= p.endWeek) bad.push(`first visit at week ${p.firstVisitWeek}, ends at ${p.endWeek}`);
        const next = plan[i + 1];
        if (next === undefined) continue;
        const gapMonths = (next.startAge - endAge(p)) * 12;
        const min = p.outcome === 'birth' ? k.spacingMonths.afterBirth : k.spacingMonths.afterMiscarriage;
        if (gapMonths < min - 1e-9) bad.push(`next pregnancy ${gapMonths} months after a ${p.outcome}`);
      }
    }
    expect(bad).toEqual([]);
  });
});

describe('pregnancy in generated records', () => {
  const cohort = (gender: 'female' | 'male', n: number): PatientRecord[] => {
    const ctx = createCohortContext({ seed: toSeed(21), referenceDate: '2025-06-01' as IsoDate, age: { min: 22, max: 45 }, gender, state: undefined });
    return Array.from({ length: n }, (_, i) => simulateIndex(ctx, i)).flat();
  };
  const women = cohort('female', 160);
  const men = cohort('male', 40);
  const codes = k.codes;
  const pregnancyOf = (r: PatientRecord) => r.conditions.filter((c) => c.code.code === codes.pregnancy.code);

  it('happens only to women, with visits, labs and status observations', () => {
    for (const r of men) {
      expect(pregnancyOf(r)).toEqual([]);
      expect(r.pregnancyStatuses).toEqual([]);
      // No prenatal visit and no delivery stay (men are admitted for other things, e.g. appendicitis).
      const deliveryCodes = new Set([codes.cesarean.code, codes.vaginalDelivery.code]);
      expect(r.encounters.filter((e) => e.type.code === codes.prenatalVisit.code)).toEqual([]);
      expect(r.procedures.filter((p) => deliveryCodes.has(p.code.code))).toEqual([]);
    }
    const mothers = women.filter((r) => pregnancyOf(r).length > 0);
    expect(mothers.length).toBeGreaterThan(women.length * 0.3);
    expect(mothers.every((r) => r.pregnancyStatuses.length > 0 && r.labReports.some((l) => l.code.code === loadLabs().panels[k.labs.cbc.panel].code.code))).toBe(true);
  });

  it('charts the prenatal exam at each visit of an ongoing pregnancy: fundal height from 20 weeks (GA ± 2 cm), fetal heart rate from 12 weeks by Doppler, 20 by fetoscope before 1972 (110-160/min)', () => {
    let fundal = 0;
    for (const r of women) {
      const pregnancies = new Map(pregnancyOf(r).map((c) => [c.id, c]));
      const visits = r.encounters.filter((e) => (e.type.code === codes.prenatalVisit.code || e.type.code === codes.initialVisit.code) && e.reasonConditionId !== undefined && pregnancies.has(e.reasonConditionId));
      const visitIds = new Set(visits.map((e) => e.id));
      expect(r.prenatalExams.every((o) => visitIds.has(o.encounterId))).toBe(true);
      for (const e of visits) {
        const p = pregnancies.get(e.reasonConditionId!)!;
        const exams = r.prenatalExams.filter((o) => o.encounterId === e.id);
        // The miscarriage visit comes after the pregnancy ended: nothing is measured.
        if (p.abatement !== undefined && p.abatement <= e.start) {
          expect(exams).toEqual([]);
          continue;
        }
        const days = Math.floor((e.start - p.onset) / 86_400_000) + 14;
        const weeks = days / 7;
        const fh = exams.filter((o) => o.kind === 'fundalHeight');
        const fhr = exams.filter((o) => o.kind === 'fetalHeartRate');
        expect(fh).toHaveLength(weeks >= 20 ? 1 : 0);
        expect(fhr).toHaveLength(weeks >= fetalHeartFromWeek(k, e.start) ? 1 : 0);
        if (fh[0] !== undefined) {
          fundal++;
          expect(Math.abs(fh[0].value - Math.floor(weeks))).toBeLessThanOrEqual(2);
        }
        if (fhr[0] !== undefined) expect(fhr[0].value >= 110 && fhr[0].value <= 160).toBe(true);
        for (const o of exams) expect(o.time >= e.start && o.time <= e.end && o.practitionerId === e.practitionerId).toBe(true);
      }
    }
    expect(fundal).toBeGreaterThan(50);
  });

  it('charts each delivery once, on its admission, with a gestational age that agrees with the pregnancy and the delivery procedure', () => {
    let checked = 0;
    for (const r of [...women, ...men]) {
      const deliveryProcedures = r.procedures.filter((p) => p.code.code === codes.vaginalDelivery.code || p.code.code === codes.cesarean.code);
      expect(r.deliveries.length).toBe(deliveryProcedures.filter((p) => p.encounterId !== undefined).length);
      for (const d of r.deliveries) {
        checked++;
        const procedure = r.procedures.find((p) => p.id === d.procedureId)!;
        expect(procedure.encounterId).toBe(d.encounterId);
        expect(procedure.start).toBe(d.time);
        expect(procedure.code.code).toBe(d.method === 'cesarean' ? codes.cesarean.code : codes.vaginalDelivery.code);
        // The pregnancy's onset is conception, week 2 of gestational age.
        const preg = pregnancyOf(r).find((c) => c.abatement === d.time)!;
        const byDates = (d.time - preg.onset) / (7 * 864e5) + 2;
        expect(Math.abs(byDates - d.gestationalAgeDays / 7)).toBeLessThan(1 / 7 + 1e-9);
        expect(d.gestationalAgeDays / 7).toBeGreaterThanOrEqual(22);
        expect(d.apgar1).toBeLessThanOrEqual(d.apgar5);
        expect(new Set(Object.values(d.observationIds)).size).toBe(5);
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('books no prenatal visit on a day she already has a visit at the clinic or is in hospital', () => {
    const prenatal = new Set([codes.initialVisit.code, codes.prenatalVisit.code]);
    const day = (t: number): number => Math.floor(t / 864e5);
    let checked = 0;
    const clashes: string[] = [];
    for (const r of women) {
      for (const v of r.encounters.filter((e) => prenatal.has(e.type.code))) {
        checked++;
        const other = r.encounters.find(
          (e) => e !== v && ((e.class !== 'IMP' && e.class !== 'EMER' && day(e.start) === day(v.start) && e.organizationId === v.organizationId) || (e.class === 'IMP' && e.start < v.end && e.end > v.start)),
        );
        if (other !== undefined) clashes.push(`${new Date(v.start).toISOString()} prenatal beside ${other.type.display}`);
      }
    }
    expect(checked).toBeGreaterThan(200);
    expect(clashes).toEqual([]);
  });

  it('delivers at a hospital after the prenatal visits, within the pregnancy, and goes home', () => {
    let deliveries = 0;
    let preeclampsia = 0;
    for (const r of women) {
      const byId = new Map(r.encounters.map((e) => [e.id, e]));
      for (let i = 1; i < r.encounters.length; i++) expect(r.encounters[i]!.start).toBeGreaterThanOrEqual(r.encounters[i - 1]!.start);
      for (const preg of pregnancyOf(r)) {
        const age = (preg.onset - r.demographics.birthTime) / MS_PER_YEAR;
        expect(age).toBeGreaterThanOrEqual(12);
        expect(age).toBeLessThan(50);
        const ofPregnancy = r.encounters.filter((e) => e.reasonConditionId === preg.id && e.class === 'AMB');
        // Prenatal visits, then the postpartum visits (for the same pregnancy) after the birth.
        const visits = ofPregnancy.filter((e) => e.type.code !== loadPregnancy().postpartum.visit.code);
        const postnatal = ofPregnancy.filter((e) => e.type.code === loadPregnancy().postpartum.visit.code);
        expect(visits[0]!.type).toEqual(codes.initialVisit);
        expect(visits[0]!.id).toBe(preg.encounterId);
        const delivery = r.procedures.find((p) => p.reasonConditionId === preg.id && (p.code.code === codes.cesarean.code || p.code.code === codes.vaginalDelivery.code));
        if (delivery === undefined) continue;
        deliveries++;
        const stay = byId.get(delivery.encounterId)!;
        expect(stay.class).toBe('IMP');
        expect(stay.dischargeDisposition).toEqual(codes.dischargeHome);
        expect(visits.length).toBeGreaterThanOrEqual(4);
        for (const v of visits) expect(v.end).toBeLessThan(stay.start);
        for (const v of postnatal) expect(v.start).toBeGreaterThan(stay.end);
        expect(delivery.start).toBeGreaterThan(stay.start);
        expect(delivery.end).toBeLessThan(stay.end);
        const days = (stay.end - stay.start) / 86_400_000;
        expect(days).toBeGreaterThanOrEqual(1);
        expect(days).toBeLessThanOrEqual(delivery.code.code === codes.cesarean.code ? 4 : 2);
        expect(preg.clinicalStatus).toBe('resolved');
        expect(preg.abatement).toBe(delivery.start);
        expect(r.conditions.some((c) => c.code.code === codes.liveBirth.code && c.encounterId === stay.id)).toBe(true);
        expect(r.providers.organizations.some((o) => o.id === stay.organizationId && o.kind === 'hospital')).toBe(true);
        // Status observations only at this pregnancy's prenatal visits.
        const visitIds = new Set(visits.map((v) => v.id));
        const statuses = r.pregnancyStatuses.filter((s) => visitIds.has(s.encounterId));
        expect(statuses.length).toBe(visits.length);
        // Weight rises through the pregnancy; pre-eclampsia shows in the blood pressure from its diagnosis.
        const weights = r.vitals.filter((v) => v.kind === 'bodyWeight' && visitIds.has(v.encounterId)).map((v) => v.value);
        expect(weights.length).toBe(visits.length);
        expect(weights.at(-1)!).toBeGreaterThan(weights[0]!);
        const pe = r.conditions.find((c) => c.code.code === codes.preeclampsia.code && c.abatement === preg.abatement);
        if (pe !== undefined) {
          preeclampsia++;
          for (const bp of r.bloodPressures.filter((b) => visitIds.has(b.encounterId) && b.time >= pe.recorded - 10 * 60_000)) {
            expect(bp.systolic >= 140 || bp.diastolic >= 90).toBe(true);
          }
        }
        expect(statuses.every((s) => s.value.code === codes.pregnant.code)).toBe(true);
      }
    }
    expect(deliveries).toBeGreaterThan(30);
    expect(preeclampsia).toBeGreaterThan(0);
  });
});

/** A woman born in 1990 cared for at a Californian clinic, her pregnancies on streams of `seed`; `extra` adds context hooks. */
function prenatalContext(seed: number, label: string): (extra?: Partial<PregnancyContext>) => PregnancyContext {
  const dir = new ProviderDirectory(keyOf(toSeed(seed), label), Date.parse('2025-06-01T00:00:00Z')).forState('CA');
  const sites = localSites(dir, dir.clinics[0]!.location.postalCode);
  const care = assignPrimaryCare(Rng.of(toSeed(seed), 'care'), sites);
  return (extra = {}) => ({
    rng: Rng.of(toSeed(seed), 'pregnancy-care'),
    ids: new IdAllocator(keyOf(toSeed(seed), 'ids')),
    birthTime: Date.parse('1990-01-01T00:00:00Z'),
    end: Date.parse('2025-06-01T00:00:00Z'),
    clinic: care.clinic,
    practitionerAt: care.practitionerAt,
    hospitals: sites.hospitals,
    providers: new ProviderSetBuilder(),
    body: createBody(Rng.of(toSeed(seed), 'body'), 'female' as const, 1990),
    zone: 'America/Los_Angeles',
    ...extra,
  });
}

describe('prenatal visits and the days already booked', () => {
  it('moves every prenatal visit off a day the busyDay hook reports taken (here every even day)', () => {
    const context = prenatalContext(3, 'pregnancy-busy');
    const ctx = (busy: boolean) => context(busy ? { busyDay: (t: number) => Math.floor(t / 864e5) % 2 === 0 } : {});
    const plan = planPregnancies(Rng.of(toSeed(3), 'plan'), 35, () => false, 1990);
    const prenatalDays = (busy: boolean): number[] =>
      (pregnancyRecords(plan, ctx(busy)).encounters ?? []).filter((e) => e.class === 'AMB').map((e) => Math.floor(e.start / 864e5));
    const free = prenatalDays(false);
    expect(free.some((d) => d % 2 === 0)).toBe(true);
    const moved = prenatalDays(true);
    expect(moved.length).toBeGreaterThan(5);
    expect(moved.filter((d) => d % 2 === 0)).toEqual([]);
    expect(new Set(moved).size).toBe(moved.length);
  });
});

describe('the glucose challenge and her diabetes', () => {
  const challengeLab = loadLabs().labs[k.labs.glucoseChallenge.lab];
  const context = prenatalContext(4, 'pregnancy-diabetes');
  const records = (diabetesAt: ((t: number) => 'known' | 'hidden' | undefined) | undefined) =>
    pregnancyRecords(
      // Births only, none planned as gestational diabetes.
      planPregnancies(Rng.of(toSeed(4), 'plan'), 35, () => false, 1990).map((p) => ({ ...p, outcome: 'birth' as const, endWeek: 39, gestationalDiabetes: false })),
      context(diabetesAt === undefined ? {} : { diabetesAt }),
    );
  const challenges = (r: ReturnType<typeof records>) => (r.labReports ?? []).filter((l) => l.code.code === challengeLab.code.code);
  const gdm = (r: ReturnType<typeof records>) => (r.conditions ?? []).filter((c) => c.code.code === k.codes.gestationalDiabetes.code);

  it('reads normal without diabetes, high with hidden diabetes (charting gestational diabetes), and is not done once diabetes is known', () => {
    const none = records(undefined);
    expect(challenges(none).length).toBeGreaterThan(0);
    expect(challenges(none).every((l) => l.results[0]!.value <= challengeLab.high)).toBe(true);
    expect(gdm(none)).toEqual([]);
    const hidden = records(() => 'hidden');
    expect(challenges(hidden)).toHaveLength(challenges(none).length);
    expect(challenges(hidden).every((l) => l.results[0]!.value > challengeLab.high)).toBe(true);
    expect(gdm(hidden)).toHaveLength(challenges(none).length);
    const known = records(() => 'known');
    expect(challenges(known)).toEqual([]);
    expect(gdm(known)).toEqual([]);
    // The same prenatal visits either way (one draw per challenge, whatever it finds).
    expect(known.encounters?.map((e) => e.start)).toEqual(none.encounters?.map((e) => e.start));
  });
});
