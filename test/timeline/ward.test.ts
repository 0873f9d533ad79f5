import { describe, expect, it } from 'vitest';
import { loadHospitalCare } from '../../src/knowledge/hospital-care.js';
import { loadLabs } from '../../src/knowledge/labs.js';
import { loadPregnancy } from '../../src/knowledge/pregnancy.js';
import { MS_PER_HOUR, MS_PER_YEAR, localClock, type IsoDate } from '../../src/core/time.js';
import { timeZoneOf } from '../../src/knowledge/population.js';
import { limitsAt, loadVitalPlausibility } from '../../src/knowledge/vital-plausibility.js';
import type { Encounter, LabReport, PatientRecord } from '../../src/record/types.js';
import { createCohortContext, simulateIndex } from '../../src/timeline/cohort.js';
import { toSeed } from '../../src/core/random.js';

const REF = '2025-06-01' as IsoDate;

function cohort(n: number, age: { min: number; max: number }, gender: 'female' | undefined, seed: number): PatientRecord[] {
  const ctx = createCohortContext({ seed: toSeed(seed), referenceDate: REF, age, gender, state: undefined });
  const out: PatientRecord[] = [];
  for (let i = 0; i < n; i++) out.push(...simulateIndex(ctx, i));
  return out;
}

const labs = loadLabs();
const HGB = labs.labs.hemoglobin.code.code;
const HCT = labs.labs.hematocrit.code.code;
const WBC = labs.labs.wbc.code.code;
const CBC = labs.panels.cbc.code.code;
const BMP = labs.panels.bmp.code.code;
const ward = (r: PatientRecord, e: Encounter): LabReport[] => r.labReports.filter((l) => l.encounterId === e.id).sort((a, b) => a.time - b.time);
const value = (l: LabReport, code: string): number => l.results.find((x) => x.code.code === code)!.value;

/** Nursing vitals at the inpatient cadence: 4 h after arrival, then at most a shift (8 h) apart, inside the stay; returns the reading times. */
function expectNursingCadence(r: PatientRecord, e: Encounter, atLeast: number): number[] {
  const times = [...new Set(r.vitals.filter((v) => v.encounterId === e.id).map((v) => v.time))].sort((a, b) => a - b);
  expect(times.length).toBeGreaterThanOrEqual(atLeast);
  expect(times[0]! - e.start).toBe(4 * MS_PER_HOUR);
  for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeLessThanOrEqual(8 * MS_PER_HOUR);
  expect(times[times.length - 1]!).toBeLessThan(e.end);
  return times;
}

describe('the ward labs of a delivery admission', () => {
  const women = cohort(150, { min: 22, max: 42 }, 'female', 21);
  const deliveries = women.flatMap((r) => r.deliveries.map((d) => ({ r, d, e: r.encounters.find((e) => e.id === d.encounterId)! })));
  const postpartum = loadPregnancy().deliveryWard.postpartumPanel.code;

  it('are an admission CBC before the birth and a postpartum hemoglobin and hematocrit (LOINC 24360-0) after it, within the stay', () => {
    expect(deliveries.length).toBeGreaterThan(25);
    for (const { r, d, e } of deliveries) {
      const reports = ward(r, e);
      expect(reports.map((l) => l.code.code)).toEqual([CBC, postpartum]);
      const [admission, after] = reports as [LabReport, LabReport];
      expect(admission.time).toBeGreaterThanOrEqual(e.start);
      expect(admission.time).toBeLessThan(d.time);
      expect(after.time).toBeGreaterThan(d.time);
      // Drawn early enough that the stat result is back before discharge.
      expect(after.time).toBeLessThanOrEqual(e.end - 2 * MS_PER_HOUR);
      expect((after.issued ?? after.time) <= e.end).toBe(true);
      expect(after.results.map((x) => x.code.code)).toEqual([HGB, HCT]);
      // The hematocrit follows the hemoglobin (about three times it).
      for (const l of reports) expect(value(l, HCT) / value(l, HGB)).toBeGreaterThan(2.6);
      for (const l of reports) expect(value(l, HCT) / value(l, HGB)).toBeLessThan(3.4);
    }
  });

  it('show the hemoglobin falling about 1 g/dL after a vaginal birth and about 1.9 after a cesarean', () => {
    const drops = { vaginal: [] as number[], cesarean: [] as number[] };
    for (const { r, d, e } of deliveries) {
      const [admission, after] = ward(r, e) as [LabReport, LabReport];
      drops[d.method].push(value(admission, HGB) - value(after, HGB));
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(drops.vaginal.length).toBeGreaterThan(10);
    expect(drops.cesarean.length).toBeGreaterThan(4);
    expect(mean(drops.vaginal)).toBeGreaterThan(0.5);
    expect(mean(drops.vaginal)).toBeLessThan(1.3);
    expect(mean(drops.cesarean)).toBeGreaterThan(1.4);
    expect(mean(drops.cesarean)).toBeGreaterThan(mean(drops.vaginal) + 0.5);
  });
});

describe('the nursing vitals of a delivery admission', () => {
  const women = cohort(150, { min: 22, max: 42 }, 'female', 21);
  const stays = women.flatMap((r) =>
    r.deliveries.map((d) => ({
      r,
      e: r.encounters.find((e) => e.id === d.encounterId)!,
      preeclampsia: r.conditions.some((c) => c.key === 'preeclampsia' && c.abatement === d.time),
    })),
  );
  const bps = (r: PatientRecord, e: Encounter) => r.bloodPressures.filter((b) => b.encounterId === e.id);

  it('are charted every 4 hours the first day and every shift after, through the stay', () => {
    expect(stays.length).toBeGreaterThan(25);
    for (const { r, e } of stays) {
      const times = expectNursingCadence(r, e, 4);
      for (const kind of ['heartRate', 'respiratoryRate', 'oxygenSaturation', 'bodyTemperature'] as const) {
        expect(r.vitals.filter((v) => v.encounterId === e.id && v.kind === kind).length).toBe(times.length);
      }
      expect(bps(r, e).length).toBe(times.length);
    }
  });

  it('keep the blood pressure of pre-eclampsia at or near 140/90, the others at her own', () => {
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const pe = stays.filter((s) => s.preeclampsia).flatMap(({ r, e }) => bps(r, e).map((b) => b.systolic));
    const others = stays.filter((s) => !s.preeclampsia).flatMap(({ r, e }) => bps(r, e).map((b) => b.systolic));
    expect(pe.length).toBeGreaterThan(3);
    expect(mean(pe)).toBeGreaterThanOrEqual(140);
    expect(mean(others)).toBeLessThan(130);
  });
});

// One cohort of older patients for the acute-illness and planned-operation stays (built once).
let elderCohort: PatientRecord[] | undefined;
const elders = (): PatientRecord[] => (elderCohort ??= cohort(500, { min: 65, max: 95 }, undefined, 22));

describe('the ward labs of an acute-illness admission', () => {
  const old = elders();
  const acute = loadHospitalCare().acuteWard;
  const stays = old.flatMap((r) =>
    r.encounters
      // From 1960 on: before the automated panels (1956-57) records of their era chart none.
      .filter((e) => e.class === 'IMP' && e.type.code === '183452005' && e.start >= Date.UTC(1960, 0, 1))
      .map((e) => ({ r, e, key: r.conditions.find((c) => c.id === e.reasonConditionId)!.key })),
  );

  it('are a BMP and CBC on admission and each hospital morning, inside the stay', () => {
    expect(stays.length).toBeGreaterThan(15);
    for (const { r, e } of stays) {
      const reports = ward(r, e);
      const draws = [...new Set(reports.map((l) => l.time))];
      expect(draws.length).toBeGreaterThanOrEqual(1);
      for (const t of draws) expect(reports.filter((l) => l.time === t).map((l) => l.code.code).sort()).toEqual([BMP, CBC].sort());
      expect(draws[0]! - e.start).toBeGreaterThanOrEqual(acute.admissionDrawHours[0] * MS_PER_HOUR - 60_000);
      expect(draws[0]! - e.start).toBeLessThanOrEqual(acute.admissionDrawHours[1] * MS_PER_HOUR + 60_000);
      for (const t of draws) expect(t).toBeLessThanOrEqual(e.end - 2 * MS_PER_HOUR);
      // Later draws fall on distinct days, one a morning.
      const hours = draws.slice(1).map((t) => new Date(t).getUTCHours());
      expect(hours.every((h) => h === loadHospitalCare().inpatientCare.morningLabsHourUtc)).toBe(true);
    }
  });

  it('move with the illness: a pneumonia WBC starts high and falls by discharge', () => {
    const pneumonia = stays.filter((s) => s.key === 'pneumonia').map(({ r, e }) => ward(r, e).filter((l) => l.code.code === CBC));
    const serial = pneumonia.filter((cbcs) => cbcs.length >= 2);
    expect(serial.length).toBeGreaterThan(5);
    const first = serial.map((cbcs) => value(cbcs[0]!, WBC));
    const last = serial.map((cbcs) => value(cbcs[cbcs.length - 1]!, WBC));
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(first)).toBeGreaterThan(11);
    expect(mean(last)).toBeLessThan(mean(first) - 3);
    expect(serial.filter((c, i) => last[i]! < first[i]!).length / serial.length).toBeGreaterThan(0.8);
  });

  it('start from the emergency department WBC when it counted one', () => {
    for (const { r, e } of stays) {
      const ed = r.encounters.find((x) => x.class === 'EMER' && x.reasonConditionId === e.reasonConditionId && x.end === e.start);
      const edWbc = r.labReports.find((l) => l.encounterId === ed?.id && l.results.some((x) => x.code.code === WBC));
      if (edWbc === undefined) continue;
      const admission = ward(r, e).find((l) => l.code.code === CBC)!;
      expect(Math.abs(value(admission, WBC) - value(edWbc, WBC))).toBeLessThan(2.5);
    }
  });
});

describe('the nursing vitals of an acute-illness admission', () => {
  const children = cohort(600, { min: 6, max: 17 }, undefined, 23);
  const adults = cohort(300, { min: 65, max: 95 }, undefined, 22);
  const stays = [...children, ...adults].flatMap((r) =>
    r.encounters.filter((e) => e.class === 'IMP' && e.type.code === '183452005' && e.start >= Date.UTC(1990, 0, 1)).map((e) => ({ r, e })),
  );
  const k = loadVitalPlausibility();

  it('are charted every 4 hours the first day and every shift after, blood pressure plausible for the age (a child\'s is a child\'s)', () => {
    const kids = stays.filter(({ r, e }) => (e.start - r.demographics.birthTime) / MS_PER_YEAR < 18);
    expect(kids.length).toBeGreaterThan(2);
    // A child's pressure, not an adult's: their ward readings average well under the adults'.
    const meanSystolic = (xs: typeof stays) => {
      const values = xs.flatMap(({ r, e }) => r.bloodPressures.filter((b) => b.encounterId === e.id).map((b) => b.systolic));
      return values.reduce((a, b) => a + b, 0) / values.length;
    };
    expect(meanSystolic(kids)).toBeLessThan(meanSystolic(stays.filter((x) => !kids.includes(x))) - 8);
    for (const { r, e } of stays) {
      expectNursingCadence(r, e, 3);
      const age = (e.start - r.demographics.birthTime) / MS_PER_YEAR;
      const [sysLo, sysHi] = limitsAt(k, 'systolic', age);
      const [diaLo, diaHi] = limitsAt(k, 'diastolic', age);
      for (const bp of r.bloodPressures.filter((b) => b.encounterId === e.id)) {
        expect(bp.systolic - bp.diastolic).toBeGreaterThanOrEqual(k.minimumPulsePressure);
        expect(bp.systolic).toBeGreaterThanOrEqual(sysLo);
        expect(bp.systolic).toBeLessThanOrEqual(sysHi);
        expect(bp.diastolic).toBeGreaterThanOrEqual(diaLo);
        expect(bp.diastolic).toBeLessThanOrEqual(diaHi);
      }
    }
  });

  it('start from the fever the emergency department found and end afebrile', () => {
    let febrile = 0;
    for (const { r, e } of stays) {
      const ed = r.encounters.find((x) => x.class === 'EMER' && x.reasonConditionId === e.reasonConditionId && x.end === e.start);
      const edTemp = r.vitals.find((v) => v.encounterId === ed?.id && v.kind === 'bodyTemperature')?.value;
      if (edTemp === undefined || edTemp < 38.5) continue;
      febrile++;
      const temps = r.vitals.filter((v) => v.encounterId === e.id && v.kind === 'bodyTemperature').sort((a, b) => a.time - b.time);
      expect(temps[0]!.value).toBeGreaterThan(37.8);
      expect(temps[temps.length - 1]!.value).toBeLessThan(38);
    }
    expect(febrile).toBeGreaterThan(3);
  });
});

describe('the ward chart of a planned cancer operation', () => {
  const w = loadHospitalCare().operationWard;
  const stays = elders().flatMap((r) =>
    r.encounters
      .filter((e) => e.class === 'IMP' && e.planned === true && e.start >= Date.UTC(1960, 0, 1))
      .map((e) => ({ r, e, operation: r.procedures.find((p) => p.encounterId === e.id && p.code.code !== w.typeAndScreen.code)! })),
  );

  it('has a type and screen and preoperative CBC and BMP resulted before the incision, then CBC and BMP each postoperative morning', () => {
    expect(stays.length).toBeGreaterThan(3);
    let postoperative = 0;
    for (const { r, e, operation } of stays) {
      expect(operation.start - e.start).toBe(w.incisionAfterMinutes * 60_000);
      expect(r.procedures.filter((p) => p.encounterId === e.id && p.code.code === w.typeAndScreen.code && p.start < operation.start).length).toBe(1);
      const reports = ward(r, e);
      const preop = reports.filter((l) => l.time < operation.start);
      expect(preop.map((l) => l.code.code).sort()).toEqual([BMP, CBC].sort());
      for (const l of preop) expect(l.issued ?? Infinity).toBeLessThanOrEqual(operation.start);
      const after = reports.filter((l) => l.time > operation.end);
      expect(after.length + preop.length).toBe(reports.length);
      for (const l of after) {
        expect(new Date(l.time).getUTCHours()).toBe(loadHospitalCare().inpatientCare.morningLabsHourUtc);
        expect(l.time).toBeLessThanOrEqual(e.end - 2 * MS_PER_HOUR);
      }
      if (e.end - operation.end > 2 * 86_400_000) expect(after.length).toBeGreaterThanOrEqual(2);
      postoperative += after.length;
    }
    expect(postoperative).toBeGreaterThan(4);
  });

  it('shows the operation\'s blood loss: the postoperative hemoglobin about 1 g/dL below the preoperative', () => {
    const drops: number[] = [];
    for (const { r, e, operation } of stays) {
      const cbcs = ward(r, e).filter((l) => l.code.code === CBC);
      const before = cbcs.find((l) => l.time < operation.start);
      const after = cbcs.find((l) => l.time > operation.end);
      if (before !== undefined && after !== undefined) drops.push(value(before, HGB) - value(after, HGB));
    }
    expect(drops.length).toBeGreaterThan(2);
    expect(drops.reduce((a, b) => a + b, 0) / drops.length).toBeGreaterThan(0.5);
  });

  it('has nursing vitals every 4 hours the first day and every shift after', () => {
    for (const { r, e } of stays) {
      const times = expectNursingCadence(r, e, 3);
      expect(r.bloodPressures.filter((b) => b.encounterId === e.id).length).toBe(times.length);
    }
  });
});

describe('a planned operation stay as an elective admission (issue 12)', () => {
  const w = loadHospitalCare().operationWard;
  const stays = elders().flatMap((r) => r.encounters.filter((e) => e.class === 'IMP' && e.planned === true).map((e) => ({ r, e })));
  const local = (r: PatientRecord, t: number): number => localClock(timeZoneOf(r.demographics.address.state), t).minuteOfDay;

  it('arrives 06:00-07:30 local on the day of surgery and goes home 10:00-14:00 local', () => {
    expect(stays.length).toBeGreaterThan(3);
    for (const { r, e } of stays) {
      expect(local(r, e.start)).toBeGreaterThanOrEqual(w.admissionLocalMinutes[0]);
      expect(local(r, e.start)).toBeLessThanOrEqual(w.admissionLocalMinutes[1]);
      expect(local(r, e.end)).toBeGreaterThanOrEqual(w.dischargeLocalMinutes[0]);
      expect(local(r, e.end)).toBeLessThanOrEqual(w.dischargeLocalMinutes[1]);
    }
  });

  it('charts the type and screen as a laboratory procedure, and sends the patient home with acetaminophen and a few days of oxycodone', () => {
    for (const { r, e } of stays) {
      const ts = r.procedures.filter((p) => p.encounterId === e.id && p.code.code === w.typeAndScreen.code);
      for (const p of ts) expect(p.category).toEqual(w.typeAndScreenCategory);
      const orders = r.medications.filter((m) => m.encounterId === e.id);
      if (e.start < Date.UTC(2000, 8, 1)) continue;
      const apap = orders.find((m) => m.medication.code === '198440');
      const oxy = orders.find((m) => m.medication.code === '1049621');
      expect(apap?.courseDays).toBe(7);
      expect(oxy?.courseDays).toBe(e.end < Date.UTC(2016, 2, 15) ? 7 : 3);
      for (const o of [apap!, oxy!]) {
        expect(o.authored).toBeLessThan(e.end);
        expect(o.authored).toBeGreaterThan(e.start);
        expect(o.conditionId).toBe(e.reasonConditionId);
      }
    }
  });
});

describe('repeat ward draws vary as one person does (biological variation)', () => {
  it('moves platelets and sodium from one hospital morning to the next by about their within-subject CV, not the population spread', () => {
    const PLT = labs.labs.platelets.code.code;
    const NA = labs.labs.sodium.code.code;
    const rel: number[] = [];
    const sodium: number[] = [];
    for (const r of elders()) {
      // Stays whose illness moves no platelets or sodium (none of COVID-19, influenza, pneumonia).
      const quiet = r.encounters.filter((e) => e.class === 'IMP' && e.planned === true);
      for (const e of quiet) {
        const cbc = ward(r, e).filter((l) => l.code.code === CBC);
        const bmp = ward(r, e).filter((l) => l.code.code === BMP);
        for (let i = 1; i < cbc.length; i++) rel.push(Math.abs(value(cbc[i]!, PLT) / value(cbc[i - 1]!, PLT) - 1));
        for (let i = 1; i < bmp.length; i++) sodium.push(Math.abs(value(bmp[i]!, NA) - value(bmp[i - 1]!, NA)));
      }
    }
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    expect(rel.length).toBeGreaterThan(5);
    // CV 9.5%: a median change near 9% (independent draws from the population, sd 50 of 250, gave about 19%).
    expect(median(rel)).toBeLessThan(0.14);
    expect(median(sodium)).toBeLessThanOrEqual(2);
  });
});

describe('specialist visits of the pathways (issue 12)', () => {
  it('book at most one outpatient visit a day at the hospital', () => {
    const PATHWAY = new Set(['11429006', '390906007', '185347001']);
    let visits = 0;
    for (const r of elders()) {
      const days = new Map<string, number>();
      for (const e of r.encounters) {
        if (e.class !== 'AMB' || e.organizationId === r.primaryCare.organizationId || !PATHWAY.has(e.type.code)) continue;
        const key = `${e.organizationId} ${Math.floor(e.start / 86_400_000)}`;
        days.set(key, (days.get(key) ?? 0) + 1);
        visits++;
      }
      for (const n of days.values()) expect(n).toBe(1);
    }
    expect(visits).toBeGreaterThan(20);
  });
});
