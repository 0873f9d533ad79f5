import { describe, expect, it } from 'vitest';
import { keyOf, toSeed } from '../../src/core/random.js';
import { MS_PER_DAY, type Instant } from '../../src/core/time.js';
import { medicationRequestResource } from '../../src/fhir/medication-request.js';
import { MetaFactory } from '../../src/fhir/meta.js';
import { loadInpatientMedications } from '../../src/knowledge/inpatient-medications.js';
import { egfrCodes } from '../../src/knowledge/labs.js';
import type { ConditionId, Encounter, EncounterId, LabReport, PractitionerId } from '../../src/record/types.js';
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
const orders = (stays: Encounter[], allergies: { code: string; onset: number; resolved: number | undefined }[] = [], end = day('2025-06-01'), died = false, labReports: LabReport[] = []) =>
  chartWardOrders({ stays, allergies, labReports, end, died, ids: ids() }).medications ?? [];
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

  it('names a source for every regimen and a confirmation for every drug', () => {
    const k = loadInpatientMedications();
    expect(k.regimens.every((r) => /\d{4}/.test(r.source))).toBe(true);
    expect(Object.values(k.drugs).every((d) => d.confirmed.includes(d.medication.code) || d.confirmed.includes('as '))).toBe(true);
  });
});
