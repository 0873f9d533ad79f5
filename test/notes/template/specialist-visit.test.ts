/**
 * The lead's review of a cohort (issues 12 and 13): specialist visits written as immunization
 * visits ("seen today for scheduled immunizations" at a Medical Oncology follow-up), oncology plans
 * that manage the PCP's diabetes and lipids, and no word of the cancer. Each rule on a hand-built
 * fact sheet, with the case it must pass and the case it must not.
 */
import { describe, expect, it } from 'vitest';
import { IMMUNIZATION_WORDING, planSection } from '../../../src/check/note-visit.js';
import type { Fact, FactSheet, FactSheetEncounter } from '../../../src/notes/facts.js';
import { noteToText } from '../../../src/notes/note-output.js';
import { writeTemplateNote } from '../../../src/notes/template/template-writer.js';

const SNOMED = 'http://snomed.info/sct';
const LOINC = 'http://loinc.org';
const DATE = '2024-05-10';
const KEYS = Array.from({ length: 60 }, (_, i) => `specialist|${i}`);

function sheetOf(encounter: Partial<FactSheetEncounter>, facts: Fact[]): FactSheet {
  return {
    patient: { name: 'Rosa Vidal', givenName: 'Rosa', familyName: 'Vidal', age: 67, sex: 'female', birthDate: '1957-01-09' },
    encounter: { id: 'enc-1', date: DATE, author: 'Ines Oko', noteType: 'progress-note', class: 'AMB', type: 'Encounter for problem', ...encounter },
    facts,
    negatives: [],
  };
}
const texts = (sheet: FactSheet): string[] => KEYS.map((k) => noteToText(writeTemplateNote(sheet, k)));
const chiefComplaint = (text: string): string => /(?:chief complaint|cc):?\s*\n(.+)/i.exec(text)?.[1]?.trim() ?? '';

const lab = (id: string, label: string, code: string, value: number, unit: string, low: number, high: number, date = DATE, relatesTo: string[] = []): Fact => ({
  id, kind: 'lab', label, code: { system: LOINC, code, display: label }, value, unit, date, range: { low, high }, resourceId: id, ...(relatesTo.length === 0 ? {} : { relatesTo }),
});
const vitals: Fact[] = [
  { id: 'vital.bodyWeight', kind: 'vital', label: 'Weight', value: 61.2, unit: 'kg', date: DATE },
  { id: 'vital.bp', kind: 'vital', label: 'Blood pressure', components: [{ label: 'Systolic', value: 128, unit: 'mm[Hg]' }, { label: 'Diastolic', value: 76, unit: 'mm[Hg]' }], date: DATE },
];
const diabetes: Fact = { id: 'problem.2', kind: 'problem', label: 'Diabetes mellitus type 2', code: { system: SNOMED, code: '44054006', display: 'Diabetes mellitus type 2' }, status: 'active', date: '2015-01-01', synonyms: ['T2DM'], resourceId: 'c2' };
const lipids: Fact = { id: 'problem.3', kind: 'problem', label: 'Hyperlipidemia', code: { system: SNOMED, code: '55822004', display: 'Hyperlipidemia' }, status: 'active', date: '2016-01-01', resourceId: 'c3' };
const pcpCare: Fact[] = [
  diabetes,
  lipids,
  { id: 'medication.1', kind: 'medication', label: 'metformin 500 mg tablet', status: 'active', date: '2015-01-01', relatesTo: ['problem.2'], resourceId: 'm1' },
  lab('lab.a1c', 'Hemoglobin A1c', '4548-4', 9.1, '%', 4, 5.6, '2024-01-10', ['problem.2']),
  lab('lab.ldl', 'LDL cholesterol', '13457-7', 162, 'mg/dL', 0, 99, '2024-01-10', ['problem.3']),
];

describe('a chemotherapy visit for lung cancer', () => {
  const cancer: Fact = { id: 'problem.1', kind: 'problem', label: 'Primary malignant neoplasm of lung', code: { system: SNOMED, code: '93880001', display: 'Primary malignant neoplasm of lung' }, status: 'active', date: '2024-01-20', stage: 'stage III', resourceId: 'c1' };
  const facts: Fact[] = [
    cancer,
    ...pcpCare,
    ...vitals,
    lab('lab.wbc', 'WBC', '6690-2', 4.1, '10*3/uL', 3.4, 9.6),
    lab('lab.anc', 'ANC', '751-8', 2.3, '10*3/uL', 1.56, 6.45),
    lab('lab.hgb', 'Hemoglobin', '718-7', 10.9, 'g/dL', 11.6, 15),
    { id: 'history.procedure.course1', kind: 'history', label: 'biopsy of lung', date: '2024-01-25', resourceId: 'p1' },
    { id: 'history.procedure.chemotherapy', kind: 'history', label: 'cycle 3 of chemotherapy', date: DATE, resourceId: 'p2' },
    { id: 'history.plan.next', kind: 'history', label: 'cycle 4 of chemotherapy in 3 weeks' },
  ];
  const oncology = sheetOf({ reasonFactId: 'problem.1', specialty: 'medical-oncology' }, facts);

  it('is about the cancer: CC in clinic words, stage and treatment in the HPI, plan on the cancer with the next cycle', () => {
    for (const text of texts(oncology)) {
      expect(chiefComplaint(text)).not.toBe('Primary malignant neoplasm of lung');
      expect(chiefComplaint(text)).toMatch(/chemotherapy/i);
      expect(text).toMatch(/lung cancer, stage III|lung cancer \(stage III\)|lung cancer, stage III at diagnosis/);
      expect(text).toContain('biopsy of lung (2024-01-25)');
      const plan = planSection(text)!;
      expect(plan).toMatch(/lung ca|lung cancer/i);
      expect(plan).toContain('cycle 4 of chemotherapy in 3 weeks');
      expect(plan).toMatch(/WBC 4\.1/);
    }
  });

  it("leaves the PCP's diabetes and lipids to primary care and never reads as an immunization visit", () => {
    for (const text of texts(oncology)) {
      const plan = planSection(text)!;
      expect(plan).not.toMatch(/not at goal|above goal|metformin|lifestyle measures/i);
      expect(plan).toMatch(/per PCP|primary care|forwarded to the PCP|copied to the PCP/);
      expect(text).not.toMatch(IMMUNIZATION_WORDING);
      expect(text).not.toMatch(/vaccin/i);
    }
  });

  it('is written as a PCP follow-up when no specialist sees the patient (the rule is the specialty, not the diagnosis)', () => {
    const pcp = sheetOf({ reasonFactId: undefined, type: 'Follow-up encounter' }, facts.filter((f) => !f.id.startsWith('history.')));
    expect(texts(pcp).some((t) => /not at goal|above goal|above target|not controlled/.test(planSection(t) ?? ''))).toBe(true);
  });
});

describe('a nephrology visit for a patient later on dialysis', () => {
  const esrd: Fact = { id: 'problem.1', kind: 'problem', label: 'End-stage renal disease', code: { system: SNOMED, code: '46177005', display: 'End-stage renal disease' }, status: 'active', date: '2018-01-01', resourceId: 'c1' };
  const renal = [lab('lab.egfr', 'eGFR', '98979-8', 18, 'mL/min/{1.73_m2}', 60, 120, DATE, ['problem.1']), lab('lab.k', 'Potassium', '2823-3', 5.2, 'mmol/L', 3.5, 5.1, DATE, ['problem.1']), lab('lab.pth', 'PTH', '2731-8', 180, 'pg/mL', 15, 65, DATE, ['problem.1'])];
  const before = sheetOf({ reasonFactId: 'problem.1', specialty: 'nephrology', type: 'Follow-up encounter' }, [esrd, ...pcpCare, ...vitals, ...renal, { id: 'history.plan.next', kind: 'history', label: 'in-center hemodialysis to start in 3 months' }]);
  const after = sheetOf({ reasonFactId: 'problem.1', specialty: 'nephrology', type: 'Follow-up encounter' }, [esrd, ...vitals, ...renal, { id: 'history.procedure.course1', kind: 'history', label: 'in-center hemodialysis', date: '2024-01-03', resourceId: 'p1' }]);

  it('calls the kidneys advanced CKD before the first dialysis and ESRD on it, with the renal labs and the plan the record holds', () => {
    for (const text of texts(before)) {
      expect(text).not.toMatch(/end-stage|ESRD/i);
      const plan = planSection(text)!;
      expect(plan).toMatch(/advanced CKD/i);
      expect(plan).toMatch(/eGFR 18/);
      expect(plan).toMatch(/PTH 180/);
      expect(plan).toContain('in-center hemodialysis to start in 3 months');
    }
    for (const text of texts(after)) {
      expect(planSection(text)!).toMatch(/end-stage renal disease|ESRD/i);
      expect(planSection(text)!).toMatch(/in-center hemodialysis (since|from) 2024-01-03/);
    }
  });
});

describe('an immunization visit', () => {
  const shot: Fact = { id: 'immunization.1', kind: 'immunization', label: 'Influenza, seasonal, injectable', status: 'completed', date: DATE, resourceId: 'i1' };

  it('is called one when a vaccine was given and nothing else happened', () => {
    expect(texts(sheetOf({ type: 'Immunization encounter' }, [shot])).every((t) => IMMUNIZATION_WORDING.test(t) || /Administered today|Given today|Vaccines given|received/.test(t))).toBe(true);
    expect(texts(sheetOf({ type: 'Immunization encounter' }, [shot])).some((t) => IMMUNIZATION_WORDING.test(t))).toBe(true);
  });

  it('is not called one when nothing was given, though no vitals were taken', () => {
    for (const text of texts(sheetOf({ type: 'Follow-up encounter' }, pcpCare))) expect(text).not.toMatch(IMMUNIZATION_WORDING);
  });
});
