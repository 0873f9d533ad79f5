import { beforeAll, describe, expect, it } from 'vitest';
import { immunizationResource } from '../../src/fhir/immunization.js';
import { medicationRequestResource } from '../../src/fhir/medication-request.js';
import { loadImmunizations } from '../../src/knowledge/immunizations.js';
import { loadVaccineProducts } from '../../src/knowledge/vaccine-products.js';
import { MetaFactory } from '../../src/fhir/meta.js';
import { createValidator, loadProfiles, type ValidationIssue, type Validator } from '../../src/fhir/validation/index.js';
import { acuteModules } from '../../src/knowledge/acute.js';
import { availability } from '../../src/knowledge/availability.js';
import { loadDrugAllergies } from '../../src/knowledge/drug-allergies.js';
import { conditionModules } from '../../src/knowledge/conditions.js';
import { fillFor, loadDosing } from '../../src/knowledge/dosing.js';
import type { Immunization, MedicationOrder } from '../../src/record/types.js';
import { HAS_US_CORE, NO_US_CORE, US_CORE } from './validation/us-core.js';

const errors = (issues: ValidationIssue[]): ValidationIssue[] => issues.filter((i) => i.severity === 'error');
const meta = new MetaFactory('0123456789abcdef');
const t0 = Date.parse('2020-03-04T15:10:00Z');
const DAY = 86_400_000;
const rx = (code: string, display: string) => ({ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code, display });

function order(code: string, display: string, extra: Partial<MedicationOrder> = {}): MedicationOrder {
  return {
    id: '00000000-0000-4000-8000-000000000010',
    medication: rx(code, display),
    conditionId: '00000000-0000-4000-8000-000000000001',
    encounterId: '00000000-0000-4000-8000-000000000003',
    practitionerId: '00000000-0000-4000-8000-000000000004',
    authored: t0,
    status: 'active',
    end: undefined,
    ...extra,
  };
}

describe('dosing knowledge', () => {
  it('has an entry for every drug a condition or acute module orders', () => {
    const drugs = loadDosing().drugs;
    const ordered = [
      ...conditionModules().flatMap((m) => m.medications.map((s) => s.medication)),
      ...acuteModules().flatMap((m) => m.medications.flatMap((s) => s.options.map((o) => o.medication))),
      // What the engine orders instead: an era's older drug, or the alternative to an allergen.
      ...[...availability().values()].map((p) => p.coding).filter((c) => c.system === 'http://www.nlm.nih.gov/research/umls/rxnorm'),
      ...Object.values(loadDrugAllergies().allergens).map((a) => a.instead),
    ];
    expect(ordered.length).toBeGreaterThan(20);
    expect(ordered.filter((c) => drugs[c.code] === undefined).map((c) => `${c.code} ${c.display}`)).toEqual([]);
  });

  it('fills chronic drugs 90 days with refills and courses exactly', () => {
    const d = loadDosing();
    expect(fillFor(d.drugs['200031']!, undefined)).toEqual({ quantity: 180, unit: 'tablet', supplyDays: 90, refills: 3 });
    expect(fillFor(d.drugs['308182']!, 10)).toEqual({ quantity: 30, unit: 'capsule', supplyDays: 10, refills: 0 });
    // Azithromycin: 2 on day one, then 1 a day: the Z-pak's 6 capsules for 5 days.
    expect(fillFor(d.drugs['141962']!, 5).quantity).toBe(6);
  });
});

describe('MedicationRequest as a pharmacy fills it', () => {
  it('carries dose, route, timing and a sig, and a prescription validity of its fills, not of the therapy', () => {
    const r = medicationRequestResource(order('314076', 'lisinopril 10 MG Oral Tablet', { status: 'stopped', end: t0 + 20 * 365 * DAY }), 'p', meta);
    const d = r.dosageInstruction![0]!;
    expect(d.text).toMatch(/^Take 1 tablet \(10 mg\) by mouth once daily/);
    expect(d.doseAndRate?.[0]?.doseQuantity).toMatchObject({ value: 1, code: '{tablet}' });
    expect(d.route?.coding?.[0]?.code).toBe('26643006');
    expect(d.route?.text).toBe('Oral route');
    expect(d.timing?.repeat).toMatchObject({ frequency: 1, period: 1, periodUnit: 'd' });
    expect(d.timing?.repeat?.boundsPeriod?.end).toBe('2040-02-28T15:10:00Z');
    expect(d.asNeededBoolean).toBe(false);
    expect(r.dispenseRequest).toMatchObject({ numberOfRepeatsAllowed: 3, quantity: { value: 90 }, expectedSupplyDuration: { value: 90 } });
    expect(r.dispenseRequest?.validityPeriod?.end).toBe('2021-02-27T15:10:00Z'); // four 90-day fills
  });

  it('marks rescue drugs as needed with their reason, and gives insulin in units', () => {
    const albuterol = medicationRequestResource(order('745679', '200 ACTUAT albuterol 0.09 MG/ACTUAT Metered Dose Inhaler'), 'p', meta).dosageInstruction![0]!;
    expect(albuterol.asNeededCodeableConcept?.coding?.[0]?.code).toBe('56018004');
    expect(albuterol.timing?.repeat).toMatchObject({ period: 4, periodUnit: 'h' });
    const ntg = medicationRequestResource(order('705129', 'nitroglycerin 0.4 MG/ACTUAT Mucosal Spray'), 'p', meta).dosageInstruction![0]!;
    expect(ntg.asNeededCodeableConcept?.text).toBe('chest pain');
    expect(ntg.maxDosePerPeriod?.numerator?.value).toBe(3);
    const insulin = medicationRequestResource(order('106892', 'insulin isophane, human 70 UNT/ML / insulin, regular, human 30 UNT/ML Injectable Suspension [Humulin]'), 'p', meta);
    expect(insulin.dosageInstruction!.map((x) => x.doseAndRate?.[0]?.doseQuantity?.value)).toEqual([20, 10]);
    expect(insulin.dosageInstruction![0]!.doseAndRate?.[0]?.doseQuantity?.code).toBe('[IU]');
    expect(insulin.dosageInstruction!.map((x) => x.timing?.repeat?.when)).toEqual([['ACM'], ['ACV']]);
  });

  it('bounds an antibiotic course by its length and dispenses exactly the course', () => {
    const r = medicationRequestResource(order('562508', 'amoxicillin 875 MG / clavulanate 125 MG Oral Tablet', { courseDays: 10, status: 'completed', end: t0 + 10 * DAY }), 'p', meta);
    expect(r.dosageInstruction![0]!.timing?.repeat?.boundsDuration).toMatchObject({ value: 10, code: 'd' });
    expect(r.dispenseRequest).toMatchObject({ numberOfRepeatsAllowed: 0, quantity: { value: 20, code: '{tablet}' } });
    expect(r.dispenseRequest?.validityPeriod?.end).toBe('2020-03-14T15:10:00Z');
  });
});

const shot = (cvx: string, time: number, id = '00000000-0000-4000-8000-000000000020'): Immunization => ({
  id,
  encounterId: '00000000-0000-4000-8000-000000000003',
  time,
  vaccine: { system: 'http://hl7.org/fhir/sid/cvx', code: cvx, display: 'a vaccine' },
  doseNumber: 1,
});
const LOC = '00000000-0000-4000-8000-0000000000aa';
const birth = Date.parse('2019-09-01T08:00:00Z');

describe('Immunization with its product', () => {
  it('knows the product of every CVX code the schedule gives', () => {
    const products = loadVaccineProducts().products;
    const cvx = loadImmunizations().vaccines.map((v) => v.cvx);
    expect(cvx.filter((c) => products[c] === undefined)).toEqual([]);
  });

  it('gives maker, lot, expiry, route, site by age and dose volume', () => {
    const infant = immunizationResource(shot('20', Date.parse('2019-11-02T15:15:00Z')), 'p', LOC, 'dr', meta, birth);
    expect(infant.manufacturer?.identifier?.system).toBe('http://hl7.org/fhir/sid/mvx');
    expect(['PMC', 'SKB']).toContain(infant.manufacturer?.identifier?.value);
    expect(infant.lotNumber).toMatch(/^[A-Z0-9]{6,10}$/);
    expect(infant.expirationDate).toBe('2020-12-31');
    expect(infant.route?.coding?.[0]?.code).toBe('IM');
    expect(['LVL', 'RVL']).toContain(infant.site?.coding?.[0]?.code);
    expect(infant.doseQuantity).toMatchObject({ value: 0.5, code: 'mL' });
    const adult = immunizationResource(shot('187', Date.parse('2024-05-02T15:15:00Z')), 'p', LOC, 'dr', meta, Date.parse('1960-01-01T00:00:00Z'));
    expect(['LD', 'RD']).toContain(adult.site?.coding?.[0]?.code);
    const oral = immunizationResource(shot('116', Date.parse('2019-11-02T15:15:00Z')), 'p', LOC, 'dr', meta, birth);
    expect(oral.site).toBeUndefined();
    expect(oral.doseQuantity?.value).toBe(2);
  });

  it('shares a lot between doses of one clinic and quarter, and changes it the next quarter', () => {
    const a = immunizationResource(shot('140', Date.parse('2022-10-03T15:00:00Z'), 'a'), 'p', LOC, 'dr', meta, birth);
    const b = immunizationResource(shot('140', Date.parse('2022-11-20T15:00:00Z'), 'b'), 'q', LOC, 'dr', meta, birth);
    const c = immunizationResource(shot('140', Date.parse('2023-01-20T15:00:00Z'), 'c'), 'q', LOC, 'dr', meta, birth);
    expect(b.lotNumber).toBe(a.lotNumber);
    expect(c.lotNumber).not.toBe(a.lotNumber);
  });
});

describe(`orders against US Core 6.1.0${NO_US_CORE}`, () => {
  let validator: Validator;
  beforeAll(async () => {
    if (HAS_US_CORE) validator = createValidator(await loadProfiles({ igPaths: [US_CORE] }));
  });

  it.skipIf(!HAS_US_CORE)('validates every drug the dosing data knows', () => {
    for (const code of Object.keys(loadDosing().drugs)) {
      const r = medicationRequestResource(order(code, 'a drug', { courseDays: 7 }), 'p', meta) as unknown as Record<string, unknown>;
      expect(errors(validator.validate(r)), code).toEqual([]);
      const chronic = medicationRequestResource(order(code, 'a drug'), 'p', meta) as unknown as Record<string, unknown>;
      expect(errors(validator.validate(chronic)), code).toEqual([]);
    }
  });

  it.skipIf(!HAS_US_CORE)('validates an Immunization of every product', () => {
    for (const cvx of Object.keys(loadVaccineProducts().products)) {
      const r = immunizationResource(shot(cvx, Date.parse('2020-03-04T15:00:00Z')), 'p', LOC, 'dr', meta, birth) as unknown as Record<string, unknown>;
      expect(errors(validator.validate(r)), cvx).toEqual([]);
    }
  });
});
