import { describe, expect, it } from 'vitest';
import { conditionModules } from '../../src/knowledge/conditions.js';
import { loadHospitalCare } from '../../src/knowledge/hospital-care.js';
import { loadPathways } from '../../src/knowledge/pathways.js';
import { eraChoice } from '../../src/knowledge/availability.js';
import { loadLabs } from '../../src/knowledge/labs.js';
import { conflictingAllergen } from '../../src/knowledge/drug-allergies.js';
import { MS_PER_DAY, type IsoDate } from '../../src/core/time.js';
import type { PatientRecord } from '../../src/record/types.js';
import { sampleDeath } from '../../src/timeline/disease-mortality.js';
import { createCohortContext, simulateIndex } from '../../src/timeline/cohort.js';
import { sampleBirth } from '../../src/timeline/demography.js';
import { sampleDeathAge } from '../../src/timeline/mortality.js';
import type { LatentCourse } from '../../src/timeline/onsets.js';
import { Rng, toSeed } from '../../src/core/random.js';

const REF = '2025-06-01' as IsoDate;
const MI = '22298006';
const CAD = '53741008';

/** Records of many cheap lives (living patients and their deceased predecessors). */
function cohort(n: number, age: { min: number; max: number } | undefined, seed: number): PatientRecord[] {
  const ctx = createCohortContext({ seed: toSeed(seed), referenceDate: REF, age, gender: undefined, state: undefined });
  const out: PatientRecord[] = [];
  for (let i = 0; i < n; i++) out.push(...simulateIndex(ctx, i));
  return out;
}

const old = cohort(700, { min: 60, max: 95 }, 11);
const moduleByKey = new Map(conditionModules().map((m) => [m.key, m]));
const episodeByKey = new Map(conditionModules().flatMap((m) => m.acuteCare.map((e) => [e.key, { m, e }] as const)));
/** The chronic module an emergency visit or stay is for (its own diagnosis or an exacerbation of it); undefined for other care (acute illness, childbirth). */
function chronicKeyOf(r: PatientRecord, reasonConditionId: string | undefined): string | undefined {
  const reason = r.conditions.find((c) => c.id === reasonConditionId);
  if (reason === undefined) return undefined;
  return episodeByKey.get(reason.key)?.m.key ?? (moduleByKey.has(reason.key) ? reason.key : undefined);
}

describe('emergency visits and admissions', () => {
  // Emergency and inpatient care for chronic conditions (acute illnesses and childbirth have their own tests).
  const hospital = old.flatMap((r) => r.encounters.filter((e) => e.class !== 'AMB' && chronicKeyOf(r, e.reasonConditionId) !== undefined).map((e) => ({ r, e })));

  it('happen, at hospitals, with procedures', () => {
    expect(hospital.filter((x) => x.e.class === 'EMER').length).toBeGreaterThan(50);
    expect(hospital.filter((x) => x.e.class === 'IMP').length).toBeGreaterThan(30);
    const orgs = new Map(old.flatMap((r) => r.providers.organizations.map((o) => [o.id, o.kind])));
    for (const { e } of hospital) expect(orgs.get(e.organizationId)).toBe('hospital');
    expect(old.reduce((n, r) => n + r.procedures.length, 0)).toBeGreaterThan(50);
  });

  it('only while the condition they are for is active (diagnosed by then, not yet abated)', () => {
    for (const { r, e } of hospital) {
      const reason = r.conditions.find((c) => c.id === e.reasonConditionId);
      expect(reason, `encounter ${e.id} has a reason condition`).toBeDefined();
      const chronicKey = chronicKeyOf(r, e.reasonConditionId)!;
      // Keyed by module: a staged condition (CKD) carries its stage code.
      const chronic = r.conditions.find((c) => c.key === chronicKey)!;
      expect(chronic, `${chronicKey} charted`).toBeDefined();
      expect(chronic.onset).toBeLessThanOrEqual(e.start);
      expect(chronic.recorded).toBeLessThanOrEqual(e.end);
      if (chronic.abatement !== undefined) expect(chronic.abatement).toBeGreaterThan(e.start);
    }
  });

  it('admissions have a length of stay in their episode range and a discharge disposition', () => {
    const surgeryByCancer = new Map(Object.entries(loadPathways().cancers.types).map(([k, t]) => [k, t.surgery?.options ?? []]));
    let n = 0;
    let elective = 0;
    for (const { r, e } of hospital) {
      if (e.class !== 'IMP') continue;
      const reason = r.conditions.find((c) => c.id === e.reasonConditionId)!;
      const surgery = surgeryByCancer.get(reason.key);
      if (surgery !== undefined && !r.encounters.some((ed) => ed.class === 'EMER' && ed.end === e.start)) {
        // A planned cancer operation: admitted from home for the nights its option names, the operation inside, home after.
        elective++;
        const nights = (e.end - e.start) / MS_PER_DAY;
        const done = r.procedures.filter((p) => p.encounterId === e.id).map((p) => p.code.code);
        // Admitted early on the day of surgery, home late morning (operationWard): the nights are the whole days between.
        const option = surgery.find((o) => done.includes(o.procedure.code) && o.inpatientDays === Math.round(nights));
        expect(option, `${reason.key} stay of ${nights} nights with ${done.join(',')}`).toBeDefined();
        expect(e.dischargeDisposition?.code).toBe('home');
        expect(e.planned).toBe(true);
        continue;
      }
      n++;
      expect(['home', 'snf', 'exp']).toContain(e.dischargeDisposition?.code);
      // The episode's own range; a death in hospital may also be a terminal admission for the condition.
      const ranges = [episodeByKey.get(reason.key)?.e, ...(moduleByKey.get(reason.key)?.acuteCare ?? [])]
        .concat(e.dischargeDisposition?.code === 'exp' ? [loadHospitalCare().terminalAdmission.episode] : [])
        .flatMap((x) => (x === undefined ? [] : [x.lengthOfStayDays]));
      expect(ranges.length).toBeGreaterThan(0);
      const days = (e.end - e.start) / MS_PER_DAY;
      expect(ranges.some(([lo, hi]) => days >= lo - 1e-3 && days <= hi + 1e-3), `${days} days in ${JSON.stringify(ranges)}`).toBe(true);
      // The emergency visit comes first and hands over to the stay.
      expect(r.encounters.some((ed) => ed.class === 'EMER' && ed.end === e.start)).toBe(true);
    }
    expect(n).toBeGreaterThan(0);
    expect(elective).toBeGreaterThan(0);
  });

  it('procedures fall inside their encounter and name its reason', () => {
    for (const r of old) {
      for (const p of r.procedures) {
        const e = r.encounters.find((x) => x.id === p.encounterId)!;
        expect(p.start).toBeGreaterThanOrEqual(e.start);
        expect(p.end).toBeLessThanOrEqual(e.end);
        expect(p.reasonConditionId).toBe(e.reasonConditionId);
      }
    }
  });

  it('myocardial infarctions happen to patients with coronary artery disease, charted by then', () => {
    const mis = old.flatMap((r) => r.conditions.filter((c) => c.code.code === MI).map((c) => ({ r, c })));
    expect(mis.length).toBeGreaterThan(0);
    for (const { r, c } of mis) {
      const cad = r.conditions.find((x) => x.code.code === CAD);
      expect(cad).toBeDefined();
      expect(cad!.recorded).toBeLessThanOrEqual(c.recorded + 60 * 60_000);
    }
  });

  it('keeps encounters sorted by start time', () => {
    const unsorted = old.filter((r) => r.encounters.some((e, i) => i > 0 && e.start < r.encounters[i - 1]!.start));
    expect(unsorted.map((r) => r.id)).toEqual([]);
  });
});

describe('deaths', () => {
  const deceased = old.filter((r) => r.death !== undefined);

  it('every deceased record has a cause, the living none', () => {
    expect(deceased.length).toBeGreaterThan(50);
    for (const r of old) expect(r.death === undefined).toBe(r.death === undefined);
    for (const r of deceased) expect(r.death!.time).toBe(r.death?.time);
  });

  it('in-hospital deaths end the record at discharge, with the condition of the stay as the cause', () => {
    const inHospital = deceased.filter((r) => r.encounters.some((e) => e.dischargeDisposition?.code === 'exp'));
    expect(inHospital.length).toBeGreaterThan(0);
    for (const r of inHospital) {
      const stay = r.encounters.find((e) => e.dischargeDisposition?.code === 'exp')!;
      expect(stay.class).toBe('IMP');
      expect(stay.end).toBe(r.death?.time);
      expect(r.death!.encounterId).toBe(stay.id);
      const chronicKey = chronicKeyOf(r, stay.reasonConditionId)!;
      expect(r.death!.cause.code).toBe(moduleByKey.get(chronicKey)!.code.code);
      for (const e of r.encounters) expect(e.end).toBeLessThanOrEqual(r.death!.time);
    }
  });

  it('deaths from chronic conditions include terminal admissions for them', () => {
    const terminal = deceased.filter((r) => {
      const stay = r.encounters.find((e) => e.dischargeDisposition?.code === 'exp');
      const reason = stay === undefined ? undefined : r.conditions.find((c) => c.id === stay.reasonConditionId);
      // A condition with no fatal episode of its own (dementia, CKD, cancer...) can only be a terminal admission.
      return reason !== undefined && moduleByKey.get(reason.key)?.acuteCare.every((e) => e.fatalShare === 0) === true;
    });
    expect(terminal.length).toBeGreaterThan(0);
  });

  it('the cause is a condition the patient had, or one of the unmodelled causes', () => {
    const modelled = new Set(conditionModules().map((m) => m.code.code));
    let byCondition = 0;
    for (const r of deceased) {
      const code = r.death!.cause.code;
      if (modelled.has(code)) byCondition++;
    }
    expect(byCondition).toBeGreaterThan(deceased.length * 0.25);
  });
});

describe('mortality', () => {
  const hfAt60 = (withHf: boolean): LatentCourse[] =>
    conditionModules()
      .filter((m) => m.key === 'heart-failure' || m.key === 'copd')
      .map((m) => ({ module: m, onsetAge: withHf && m.key === 'heart-failure' ? 60 : undefined, remissionAge: undefined }));

  it('is higher with a mortal condition than without (same streams)', () => {
    const diedBy80 = (withHf: boolean): number => {
      let n = 0;
      for (let i = 0; i < 4000; i++) {
        const d = sampleDeath(Rng.of(toSeed(3), 'death', i), i % 2 ? 'male' : 'female', hfAt60(withHf), [], 0, 80);
        if (d !== undefined) n++;
      }
      return n / 4000;
    };
    const sick = diedBy80(true);
    const well = diedBy80(false);
    expect(sick).toBeGreaterThan(well * 1.5);
  });

  it('keeps the life-table calibration: about as many deceased per living patient as the life table alone gives', () => {
    const everyone = cohort(800, undefined, 12);
    const ratio = everyone.filter((r) => r.death !== undefined).length / everyone.filter((r) => r.death === undefined).length;
    // The life table alone, drawn the way generate draws births.
    const ctx = createCohortContext({ seed: toSeed(12), referenceDate: REF, age: undefined, gender: undefined, state: undefined });
    let living = 0;
    let dead = 0;
    for (let i = 0; i < 20_000; i++) {
      const rng = Rng.of(toSeed(12), 'life-table', i);
      const birth = sampleBirth(rng.fork('birth'), ctx.spec);
      if (sampleDeathAge(rng.fork('mortality'), birth.sex) < birth.ageAtReference) dead++;
      else living++;
    }
    const expected = dead / living;
    expect(ratio).toBeGreaterThan(expected * 0.8);
    expect(ratio).toBeLessThan(expected * 1.25);
  });
});

describe('care around the stays and the pathways', () => {
  it('no specialist or urgent-care visit falls inside an inpatient stay', () => {
    let stays = 0;
    for (const r of old) {
      const imp = r.encounters.filter((e) => e.class === 'IMP');
      const hospitals = new Set(r.providers.organizations.filter((o) => o.kind === 'hospital').map((o) => o.id));
      stays += imp.length;
      for (const e of r.encounters) {
        // Visits at the hospital: specialists of the pathways, urgent care of acute illness.
        if (e.class !== 'AMB' || !hospitals.has(e.organizationId)) continue;
        const inside = imp.find((s) => e.start < s.end && e.end > s.start);
        expect(inside, `visit ${e.type.display} ${new Date(e.start).toISOString()} inside a stay`).toBeUndefined();
      }
    }
    expect(stays).toBeGreaterThan(30);
  });

  it('a dialysis-dependent patient keeps CKD coded end-stage renal disease', () => {
    const k = loadPathways().kidney;
    const dialysed = old.filter((r) => r.conditions.some((c) => c.code.code === k.dependence.code && c.clinicalStatus === 'active'));
    expect(dialysed.length).toBeGreaterThan(0);
    for (const r of dialysed) {
      const ckd = r.conditions.find((c) => c.key === k.condition)!;
      expect(ckd.code.code).toBe(k.endStage.code);
    }
  });

  it('no long-term order for a drug the patient is allergic to; aspirin becomes clopidogrel', () => {
    let replaced = 0;
    for (const r of old) {
      const allergies = r.allergies.filter((a) => !a.isNoKnownAllergy).map((a) => ({ code: a.code.code, onset: a.onset, resolved: a.resolved }));
      for (const m of r.medications) {
        expect(conflictingAllergen(m.medication.code, allergies, m.authored), `${m.medication.display} for an allergic patient`).toBeUndefined();
      }
      const cad = r.conditions.find((c) => c.code.code === CAD);
      if (cad !== undefined && r.medications.some((m) => m.conditionId === cad.id && m.medication.code === '309362')) replaced++;
    }
    // Seed 11's old cohort holds aspirin- and NSAID-allergic patients with coronary disease.
    expect(replaced).toBeGreaterThan(0);
  });
});

describe('the ward chart of an admission', () => {
  const care = loadHospitalCare().inpatientCare;
  const inpatientType = loadHospitalCare().encounterTypes.inpatient.code;
  // Stays from the era of the automated panels (records of their era chart none before them).
  const panelCodes = care.panels.map((p) => loadLabs().panels[p].code);
  const stays = old.flatMap((r) =>
    r.encounters
      .filter((e) => e.class === 'IMP' && e.type.code === inpatientType && chronicKeyOf(r, e.reasonConditionId) !== undefined && panelCodes.every((c) => eraChoice(c, e.start) !== undefined))
      .map((e) => ({ r, e })),
  );

  it('has nursing vitals every 4 hours the first day and every shift after, and a BMP and CBC each morning', () => {
    expect(stays.length).toBeGreaterThan(30);
    const panels = new Set(care.panels.map((p) => loadLabs().panels[p].code.code));
    for (const { r, e } of stays) {
      const times = [...new Set(r.vitals.filter((v) => v.encounterId === e.id && v.kind === 'heartRate').map((v) => v.time))].sort((a, b) => a - b);
      expect(r.bloodPressures.filter((b) => b.encounterId === e.id).length).toBe(times.length);
      let prev = e.start;
      for (const t of [...times, e.end]) {
        const limit = (prev - e.start < MS_PER_DAY ? care.firstDayEveryHours : care.everyHours) * 3_600_000;
        expect(t - prev, `gap in the vitals of a ${(e.end - e.start) / MS_PER_DAY}-day stay`).toBeLessThanOrEqual(limit);
        prev = t;
      }
      const mornings = r.labReports.filter((l) => l.encounterId === e.id);
      const days = mornings.filter((l) => l.code.code === [...panels][0]).length;
      expect(mornings.every((l) => panels.has(l.code.code) && l.time > e.start && l.time < e.end)).toBe(true);
      // One morning per calendar day the patient was in hospital by the lab hour.
      expect(days).toBeGreaterThanOrEqual(Math.floor((e.end - e.start) / MS_PER_DAY) - 1);
    }
  });

  it('moves the labs with the condition of the stay: stress hyperglycemia in myocardial infarction', () => {
    const glucose = loadLabs().labs.glucose.code.code;
    const mi = stays.filter(({ r, e }) => r.conditions.find((c) => c.id === e.reasonConditionId)?.key === 'myocardial-infarction');
    expect(mi.length).toBeGreaterThan(5);
    const inStay: number[] = [];
    const outside: number[] = [];
    for (const { r, e } of mi) {
      for (const l of r.labReports) {
        const v = l.results.find((x) => x.code.code === glucose)?.value;
        if (v === undefined) continue;
        if (l.encounterId === e.id) inStay.push(v);
        else if (!r.encounters.some((s) => s.class === 'IMP' && s.id === l.encounterId)) outside.push(v);
      }
    }
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(inStay)).toBeGreaterThan(mean(outside) + 5);
  });
});
