import { describe, expect, it } from 'vitest';
import { keyOf, toSeed } from '../../src/core/random.js';
import { MS_PER_DAY, MS_PER_YEAR, type Instant, type IsoDate } from '../../src/core/time.js';
import { createCohortContext, simulateIndex } from '../../src/timeline/cohort.js';
import { medicationRequestResource } from '../../src/fhir/medication-request.js';
import { MetaFactory } from '../../src/fhir/meta.js';
import { loadInpatientMedications } from '../../src/knowledge/inpatient-medications.js';
import { egfrCodes } from '../../src/knowledge/labs.js';
import type { ConditionId, Encounter, EncounterId, LabReport, PractitionerId, ProcedureEntry, VitalSign } from '../../src/record/types.js';
import { IdAllocator } from '../../src/timeline/ids.js';
import { chartWardOrders } from '../../src/timeline/ward-orders.js';

const day = (iso: string): Instant => Date.parse(`${iso}T10:00:00Z`);
const SCT = 'http://snomed.info/sct';
const stayFor = (code: string, start: string, extra: Partial<Encounter> = {}): Encounter =>
  ({
    id: `stay-${code}-${start}` as EncounterId,
    class: 'IMP',
    type: { system: SCT, code: '183452005', display: 'Emergency hospital admission' },
    start: day(start),
    end: day(start) + 4 * MS_PER_DAY,
    practitionerId: 'hospitalist' as PractitionerId,
    organizationId: 'hosp',
    locationId: 'loc',
    reason: { system: SCT, code, display: code },
    reasonConditionId: 'cond' as ConditionId,
    ...extra,
  }) as Encounter;
const ids = (): IdAllocator => new IdAllocator(keyOf(toSeed(1), 'ward-orders'));
const orders = (stays: Encounter[], allergies: { code: string; onset: number; resolved: number | undefined }[] = [], end = day('2025-06-01'), died = false, labReports: LabReport[] = [], birthTime = day('1950-01-01'), vitals: VitalSign[] = [], procedures: ProcedureEntry[] = []) =>
  chartWardOrders({ stays, allergies, labReports, vitals, procedures, birthTime, end, died, ids: ids() }).medications ?? [];
const weighed = (stay: Encounter, kg: number, hoursBefore = 1): VitalSign => ({ id: `w-${kg}`, kind: 'bodyWeight', encounterId: stay.id, time: stay.start - hoursBefore * 3_600_000, value: kg });
const codes = (o: ReturnType<typeof orders>): string[] => o.map((m) => m.medication.code);

describe('inpatient admission orders (inpatient-medications.yaml)', () => {
  it('gives subcutaneous heparin, not enoxaparin, when the latest eGFR is below 30 (Lovenox label, ACCP 2012)', () => {
    const egfr = [...egfrCodes().keys()][0]!;
    const draw = (iso: string, value: number): LabReport =>
      ({ id: `lab-${iso}`, code: { system: 'http://loinc.org', code: '24362-6', display: 'Renal panel' }, encounterId: 'e' as EncounterId, practitionerId: 'p' as PractitionerId, time: day(iso),
        results: [{ code: { system: 'http://loinc.org', code: egfr, display: 'eGFR' }, value, unit: 'mL/min/{1.73_m2}' }] }) as unknown as LabReport;
    const chf = stayFor('42343007', '2015-03-02');
    const enoxaparin = '854235';
    expect(codes(orders([chf], [], day('2025-06-01'), false, [draw('2015-01-10', 55)]))).toContain(enoxaparin);
    const low = codes(orders([chf], [], day('2025-06-01'), false, [draw('2014-06-10', 55), draw('2015-01-10', 22)]));
    expect(low).not.toContain(enoxaparin);
    expect(low.length).toBe(codes(orders([chf])).length);
    // A value drawn after the orders does not change them.
    expect(codes(orders([chf], [], day('2025-06-01'), false, [draw('2015-01-10', 55), draw('2015-03-20', 12)]))).toContain(enoxaparin);
  });

  it('orders the regimen of the admission reason, for the stay, completed at discharge', () => {
    const mi = stayFor('22298006', '2015-03-02');
    const o = orders([mi]);
    expect(codes(o)).toEqual(['243670', '1658717', '259255', '866924']);
    for (const m of o) {
      expect(m.encounterId).toBe(mi.id);
      expect(m.authored).toBeGreaterThan(mi.start);
      expect(m.authored).toBeLessThan(mi.end);
      expect(m.status).toBe('completed');
      expect(m.end).toBe(mi.end);
    }
    expect(codes(orders([stayFor('233604007', '2015-03-02')]))).toEqual(['1665021', '141962', '854235']);
    expect(codes(orders([stayFor('195951007', '2015-03-02')]))).toEqual(['630208', '312615', '1650142', '854235']);
  });

  it('keeps to the era: heparin before enoxaparin, no ward statin before 2001, no azithromycin before 1992', () => {
    expect(codes(orders([stayFor('22298006', '1990-03-02')]))).toEqual(['243670', '1658717', '866924']);
    expect(codes(orders([stayFor('233604007', '1990-03-02')]))).toEqual(['1665021', '1650142', '1361615']);
    expect(codes(orders([stayFor('10633002', '1985-03-02')]))).toEqual(['1719286', '1361615']);
  });

  it('skips a drug a recorded allergy rules out, taking the slot’s next alternative or none', () => {
    const cephalosporin = { code: '764147003', onset: day('2000-01-01'), resolved: undefined };
    expect(codes(orders([stayFor('233604007', '2015-03-02')], [cephalosporin]))).toEqual(['141962', '854235']);
    const nsaid = { code: '372665008', onset: day('2000-01-01'), resolved: undefined };
    expect(codes(orders([stayFor('230690007', '2015-03-02')], [nsaid]))).toEqual(['854235']);
  });

  it('gives any other medical stay and a planned operation VTE prophylaxis, and stops orders at a death', () => {
    expect(codes(orders([stayFor('52448006', '2015-03-02')]))).toEqual(['854235']);
    expect(codes(orders([stayFor('363406005', '2015-03-02', { planned: true })]))).toEqual(['854235']);
    const terminal = stayFor('10633002', '2024-01-02', { dischargeDisposition: { system: 'x', code: 'exp', display: 'Expired' } });
    const o = orders([terminal], [], terminal.end, true);
    expect(o.every((m) => m.status === 'stopped' && m.end === terminal.end)).toBe(true);
  });

  it('exports a ward order as an inpatient order with dose, route and interval and no fill', () => {
    const [furosemide, heparin] = orders([stayFor('10633002', '1985-03-02')]);
    const r = medicationRequestResource(furosemide!, 'p', new MetaFactory('0123456789abcdef'));
    expect(r.intent).toBe('order');
    expect(r.category?.[0]?.coding?.[0]?.code).toBe('inpatient');
    expect(r.dispenseRequest).toBeUndefined();
    const d = r.dosageInstruction?.[0];
    expect(d?.route?.coding?.[0]?.code).toBe('47625008');
    expect(d?.doseAndRate?.[0]?.doseQuantity).toMatchObject({ value: 40, code: 'mg' });
    expect(d?.timing?.repeat).toMatchObject({ frequency: 1, period: 12, periodUnit: 'h' });
    expect(heparin!.inpatient?.route.code).toBe('34206005');
  });

  it('doses a child by the weight charted before the orders, capped at the maximum, with no VTE prophylaxis and no adult-only drug', () => {
    const pneumonia = stayFor('233604007', '2015-03-02');
    const born = day('2010-01-01');
    // A 5-year-old of 18 kg: ceftriaxone 50 mg/kg (900 mg) and azithromycin suspension 10 mg/kg, nothing subcutaneous.
    const child = orders([pneumonia], [], day('2025-06-01'), false, [], born, [weighed(pneumonia, 18)]);
    expect(codes(child)).toEqual(['1665021', '141963']);
    expect(child.map((m) => m.inpatient?.value)).toEqual([900, 180]);
    expect(child[0]!.inpatient?.text).toBe('Ceftriaxone 900 mg (50 mg/kg) IV once daily');
    // A 16-year-old of 70 kg reaches the cap, and the order says so.
    const teen = orders([pneumonia], [], day('2025-06-01'), false, [], day('1999-01-01'), [weighed(pneumonia, 70)]);
    expect(teen.map((m) => m.inpatient?.value)).toEqual([1000, 500]);
    expect(teen[0]!.inpatient?.text).toBe('Ceftriaxone 1,000 mg (the maximum dose) IV once daily');
    // No weight in the week before: no child's dose can be written (and no adult one is given instead).
    expect(orders([pneumonia], [], day('2025-06-01'), false, [], born, [weighed(pneumonia, 18, 24 * 9)])).toEqual([]);
    // Heart failure or a myocardial infarction in a child gets none of the adult regimen.
    expect(orders([stayFor('22298006', '2015-03-02'), stayFor('10633002', '2015-05-02')], [], day('2025-06-01'), false, [], born, [weighed(pneumonia, 18)])).toEqual([]);
    // Asthma: prednisolone solution under 6, prednisone by weight from 6 to 11, the adult 40 mg from 12.
    const asthma = stayFor('281239006', '2015-03-02');
    const steroid = (birth: string, kg: number) => orders([asthma], [], day('2025-06-01'), false, [], day(birth), [weighed(asthma, kg)])[1]!;
    // 16 kg x 2 mg/kg is 32 mg, 33 mg in whole millilitres: above the 30 mg cap of 2-5 years.
    expect(steroid('2011-01-01', 16)).toMatchObject({ medication: { code: '8638' }, inpatient: { value: 30 } });
    expect(steroid('2006-01-01', 28).inpatient).toMatchObject({ value: 40, text: 'Prednisone 40 mg (the maximum dose; 20 mg tablets, halved as needed) by mouth once daily' });
    expect(steroid('2007-01-01', 17).inpatient?.value).toBe(30);
    expect(steroid('2001-01-01', 50).inpatient?.text).toBe('Prednisone 40 mg (two 20 mg tablets) by mouth once daily');
  });

  it('holds aspirin and VTE prophylaxis for 24 hours after thrombolysis (AHA/ASA 2019), and leaves out what would start after discharge', () => {
    const stroke = stayFor('230690007', '2015-03-02');
    const lysis = (hoursBefore: number): ProcedureEntry =>
      ({ id: 'tpa', code: { system: SCT, code: '426347000', display: 'Thrombolytic therapy' }, encounterId: 'ed' as EncounterId, practitionerId: 'ed' as PractitionerId, start: stroke.start - hoursBefore * 3_600_000, end: stroke.start, reasonConditionId: undefined }) as ProcedureEntry;
    const plain = orders([stroke]);
    const held = orders([stroke], [], day('2025-06-01'), false, [], day('1950-01-01'), [], [lysis(2)]);
    expect(codes(held)).toEqual(codes(plain));
    for (const m of held) expect(m.authored).toBe(stroke.start - 2 * 3_600_000 + 24 * 3_600_000);
    // Lysis two days before the orders holds nothing; a one-night stay after lysis ends before the hold does.
    expect(orders([stroke], [], day('2025-06-01'), false, [], day('1950-01-01'), [], [lysis(48)]).map((m) => m.authored)).toEqual(plain.map((m) => m.authored));
    const short = { ...stroke, end: stroke.start + 12 * 3_600_000 };
    expect(orders([short], [], day('2025-06-01'), false, [], day('1950-01-01'), [], [lysis(2)])).toEqual([]);
  });

  it('orders a drug without a child\'s dose only from adolescence (albuterol\'s 2.5 mg is the children\'s dose too)', () => {
    for (const d of Object.values(loadInpatientMedications().drugs)) {
      if (d.maxAgeYears !== undefined && d.maxAgeYears <= 18) expect(d.byWeight, d.text).toBeDefined();
      if (d.byWeight === undefined && !d.text.startsWith('Albuterol')) expect(d.minAgeYears ?? 0, d.text).toBeGreaterThanOrEqual(12);
    }
  });

  it('gives no child in a generated cohort VTE prophylaxis or an adult dose', () => {
    const ctx = createCohortContext({ seed: toSeed(21), referenceDate: '2025-06-01' as IsoDate, age: undefined, gender: undefined, state: undefined });
    const drugs = Object.values(loadInpatientMedications().drugs);
    let children = 0;
    const bad: string[] = [];
    for (let i = 0; i < 400; i++) {
      for (const r of simulateIndex(ctx, i)) {
        for (const m of r.medications) {
          if (m.inpatient === undefined) continue;
          const age = (m.authored - r.demographics.birthTime) / MS_PER_YEAR;
          if (age >= 18) continue;
          children++;
          if (m.inpatient.text.includes('VTE prophylaxis')) bad.push(`${m.inpatient.text} at ${age.toFixed(1)} y`);
          const drug = drugs.find((d) => d.medication.code === m.medication.code && (d.byWeight !== undefined || d.text === m.inpatient!.text))!;
          if (age < (drug.minAgeYears ?? 0) || age >= (drug.maxAgeYears ?? Infinity)) bad.push(`${m.inpatient.text} at ${age.toFixed(1)} y`);
          if (drug.byWeight !== undefined) {
            const kg = r.vitals.findLast((v) => v.kind === 'bodyWeight' && v.time <= m.authored)!.value;
            expect(m.inpatient.value).toBeLessThanOrEqual(drug.dose.value);
            expect(Math.abs(m.inpatient.value - drug.byWeight.mgPerKg * kg) <= drug.byWeight.roundMg || m.inpatient.value === drug.dose.value).toBe(true);
          }
        }
      }
    }
    expect(bad).toEqual([]);
    expect(children).toBeGreaterThan(5);
  });

  it('names a source for every regimen and a confirmation for every drug', () => {
    const k = loadInpatientMedications();
    expect(k.regimens.every((r) => /\d{4}/.test(r.source))).toBe(true);
    expect(Object.values(k.drugs).every((d) => d.confirmed.includes(d.medication.code) || d.confirmed.includes('as '))).toBe(true);
  });
});
