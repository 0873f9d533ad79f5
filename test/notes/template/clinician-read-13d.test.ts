/**
 * Issue 13, the last read of the template notes: each rule with a note (or record) that must pass
 * and one that must fail. An infant's exam in adult phrasing ("PERRL, EOMI", thyromegaly); a
 * well-child plan that names no vaccine given; a phrase said twice across sections ("Feeding well"
 * in the HPI and the ROS); "take the discharge medications" after a stay that prescribed none; a
 * prenatal hematocrit drawn apart from its hemoglobin; prenatal care by an internist; a glucose
 * challenge named "Glucose"; prediabetes "monitoring" on no result; "RTC 4 weeks" at 39 weeks.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng, toSeed } from '../../../src/core/random.js';
import { loadPregnancy } from '../../../src/knowledge/pregnancy.js';
import type { Fact, FactSheet, FactSheetEncounter } from '../../../src/notes/facts.js';
import { checkNote } from '../../../src/notes/grounding/check-note.js';
import { loadVocabulary, type Vocabulary } from '../../../src/notes/grounding/vocabulary.js';
import { labName } from '../../../src/notes/lab-names.js';
import { noteToText, type NoteOutput } from '../../../src/notes/note-output.js';
import { repeatedPhrases } from '../../../src/notes/template/repetition.js';
import { writeTemplateNote } from '../../../src/notes/template/template-writer.js';
import type { Practitioner } from '../../../src/record/types.js';
import { drawLabValue, drawLinkedCbc } from '../../../src/timeline/lab-draw.js';
import { prenatalClinicianAt } from '../../../src/timeline/pregnancy.js';
import type { Post, Site } from '../../../src/timeline/providers.js';

const SNOMED = 'http://snomed.info/sct';
const LOINC = 'http://loinc.org';
const CVX = 'http://hl7.org/fhir/sid/cvx';
/** Enough note ids that every phrasing variant of the writer is drawn. */
const KEYS = Array.from({ length: 60 }, (_, i) => `read13d|${i}`);

let vocabulary: Vocabulary;
beforeAll(async () => {
  vocabulary = await loadVocabulary();
});

function sheetOf(encounter: Partial<FactSheetEncounter> & Pick<FactSheetEncounter, 'noteType' | 'class' | 'type'>, facts: Fact[], patient: Partial<FactSheet['patient']> = {}): FactSheet {
  return {
    patient: { name: 'Ana Diaz', givenName: 'Ana', familyName: 'Diaz', age: 30, sex: 'female', birthDate: '1994-03-01', ...patient },
    encounter: { id: 'enc-1', date: '2024-05-10', author: 'Lee Park', ...encounter },
    facts,
    negatives: ['denies vomiting', 'denies diarrhea', 'denies rash', 'denies cough', 'denies poor feeding', 'denies chest pain', 'no known drug allergies', 'NKDA', 'no known allergies'],
  };
}

const vital = (id: string, label: string, value: number, unit: string): Fact => ({ id, kind: 'vital', label, value, unit, date: '2024-05-10' });
const INFANT_VITALS = [vital('vital.heartRate', 'Heart rate', 130, '/min'), vital('vital.bodyWeight', 'Body weight', 7.2, 'kg')];
const vaccine = (k: number, cvx: string, display: string, synonyms: string[]): Fact => ({
  id: `immunization.${k}`,
  kind: 'immunization',
  label: display,
  code: { system: CVX, code: cvx, display },
  status: 'completed',
  date: '2024-05-10',
  resourceId: `imm-${k}`,
  synonyms,
});
const SIX_MONTH_SHOTS = [vaccine(1, '20', 'DTaP', ['DTaP shot', 'DTaP']), vaccine(2, '10', 'IPV', ['polio shot', 'polio vaccine', 'IPV']), vaccine(3, '08', 'Hep B, adolescent or pediatric', ['hepatitis B shot', 'hep B shot', 'hepatitis B'])];
const infantWell = (facts: Fact[]) => sheetOf({ noteType: 'progress-note', class: 'AMB', type: 'Well child visit' }, [...INFANT_VITALS, ...facts], { name: 'Mia Diaz', givenName: 'Mia', age: 0, birthDate: '2023-11-08' });

const written = (sheet: FactSheet): { note: NoteOutput; text: string }[] =>
  KEYS.map((k) => {
    const note = writeTemplateNote(sheet, k);
    return { note, text: noteToText(note) };
  });

/** The text of the plan section (its heading names a plan). */
const planOf = (note: NoteOutput): string => note.sections.filter((s) => /plan|A\/P/i.test(s.heading)).map((s) => s.text).join('\n');
const examOf = (note: NoteOutput): string => note.sections.filter((s) => /exam|^PE$/i.test(s.heading)).map((s) => s.text).join('\n');

describe('an infant’s exam, by age band as data', () => {
  it('charts the fontanelle, red reflex and hips of a 6-month-old, never "PERRL, EOMI", thyromegaly or "cooperative"', () => {
    for (const { note } of written(infantWell([]))) {
      const exam = examOf(note);
      expect(exam).not.toMatch(/PERRL|EOMI|thyromegaly|cooperative|oriented|A&O|JVD/i);
      expect(exam).toMatch(/fontanelle|AFOSF/i);
      expect(exam).toMatch(/Ortolani/);
    }
  });

  it('keeps adult phrasing for adults (the floor ages are what separate them)', () => {
    const adult = sheetOf({ noteType: 'progress-note', class: 'AMB', type: 'General examination of patient' }, [vital('vital.heartRate', 'Heart rate', 70, '/min')], { age: 45, birthDate: '1979-01-01' });
    const exams = written(adult).map(({ note }) => examOf(note)).join('\n');
    expect(exams).toMatch(/PERRL|thyromegaly|A&O/);
    expect(exams).not.toMatch(/fontanelle|Ortolani/i);
  });
});

describe('a well-child plan', () => {
  it('names the vaccines given that day by their clinical names, and stays grounded', () => {
    for (const { note, text } of written(infantWell(SIX_MONTH_SHOTS))) {
      const plan = planOf(note);
      expect(plan).toMatch(/DTaP/);
      expect(plan).toMatch(/IPV/);
      expect(plan).toMatch(/hepatitis B/);
      expect(text).not.toMatch(/adolescent or pediatric/);
      expect(checkNote(note, infantWell(SIX_MONTH_SHOTS), vocabulary).map((v) => v.message)).toEqual([]);
    }
  });

  it('names no vaccine when none was given', () => {
    for (const { note } of written(infantWell([]))) expect(planOf(note)).not.toMatch(/DTaP|IPV|Vaccines today|Immunizations given/);
  });
});

describe('repeated phrases across sections', () => {
  const noteWith = (hpi: string, ros: string, exam: string): NoteOutput => ({
    title: 'Progress Note',
    sections: [
      { heading: 'HPI', text: hpi },
      { heading: 'Review of Systems', text: ros },
      { heading: 'Physical Exam', text: exam },
    ],
    mentions: [],
  });

  it('finds "Feeding well" said in the HPI and the ROS, and "alert" under General and Neuro', () => {
    expect(repeatedPhrases(noteWith('Here for a well visit. Feeding well, good wet diapers.', 'Feeding well, normal stools. No fever.', 'General: Well-appearing.'))).toEqual(['feeding well']);
    expect(repeatedPhrases(noteWith('Here for a well visit.', 'No fever.', 'General: Alert, interactive, smiling.\nNeuro: Alert, moves all extremities.'))).toEqual(['alert']);
    expect(repeatedPhrases(noteWith('Denies fever.', 'No fever or rash.', 'General: Well-appearing.'))).toEqual(['fever']);
  });

  it('passes a note that says each thing once, and leaves the cited facts (a symptom in the HPI and the ROS) alone', () => {
    expect(repeatedPhrases(noteWith('Feeding well, good wet diapers.', 'Normal stools. No fever.', 'General: Alert, smiling.\nNeuro: Normal tone.'))).toEqual([]);
    const cited = { ...noteWith('Cough for 3 days.', 'Positive for cough.', 'Lungs: Clear.'), mentions: [{ text: 'cough', factId: 'symptom.1' }, { text: 'Cough', factId: 'symptom.1' }] };
    expect(repeatedPhrases(cited)).toEqual([]);
  });

  it('finds none in the writer’s infant well visits', () => {
    for (const { note } of written(infantWell(SIX_MONTH_SHOTS))) expect(repeatedPhrases(note)).toEqual([]);
  });
});

describe('discharge instructions', () => {
  const influenza: Fact = { id: 'problem.1', kind: 'problem', label: 'Influenza', code: { system: SNOMED, code: '6142004', display: 'Influenza' }, status: 'active', date: '2024-05-10', resourceId: 'c1' };
  const oseltamivir: Fact = { id: 'medication.1', kind: 'medication', label: 'oseltamivir 75 mg capsule', status: 'active', date: '2024-05-10', relatesTo: ['problem.1'], resourceId: 'm1', code: { system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '725075', display: 'oseltamivir 75 MG Oral Capsule' } };
  const presented: Fact[] = [
    { id: 'symptom.1', kind: 'symptom', label: 'fever', value: 48, synonyms: ['high fevers'] },
    { id: 'encounter.disposition', kind: 'encounter', label: 'Home', code: { system: SNOMED, code: '306689006', display: 'Home' } },
  ];
  const stay = { noteType: 'discharge-summary', class: 'IMP', type: 'Hospital admission', reason: 'Influenza', reasonFactId: 'problem.1', endDate: '2024-05-12', lengthOfStayDays: 2, disposition: 'Home' } as const;

  it('never tells a patient to take discharge medications the stay did not prescribe', () => {
    for (const { text } of written(sheetOf(stay, [influenza, ...presented]))) expect(text).not.toMatch(/discharge medications as prescribed/i);
  });

  it('says it when the stay prescribed one', () => {
    expect(written(sheetOf(stay, [influenza, oseltamivir, ...presented])).some(({ text }) => /discharge medications as prescribed/i.test(text))).toBe(true);
  });
});

describe('a prenatal blood count', () => {
  const cbc = loadPregnancy().labs.cbc.results;

  it('reports a hematocrit that follows the hemoglobin (about 3 times it)', () => {
    const rng = new Rng(toSeed(7));
    for (let i = 0; i < 500; i++) {
      const values = drawLinkedCbc(cbc, rng, loadPregnancy().deliveryWard.hematocritSd);
      const hgb = values[cbc.findIndex((r) => r.lab === 'hemoglobin')]!;
      const hct = values[cbc.findIndex((r) => r.lab === 'hematocrit')]!;
      expect(hct / hgb).toBeGreaterThan(2.75);
      expect(hct / hgb).toBeLessThan(3.25);
    }
  });

  it('would not, drawn independently (the defect the linked draw fixes)', () => {
    const rng = new Rng(toSeed(7));
    const ratios = Array.from({ length: 500 }, () => cbc.map((r) => drawLabValue(r, rng))).map((v) => v[cbc.findIndex((r) => r.lab === 'hematocrit')]! / v[cbc.findIndex((r) => r.lab === 'hemoglobin')]!);
    expect(ratios.some((r) => r < 2.75 || r > 3.25)).toBe(true);
  });
});

describe('who gives prenatal care', () => {
  const post = (id: string, role: Post['role']): Post => ({ id, role }) as unknown as Post;
  const clinic = { staff: [post('ped', 'pediatrics'), post('fam', 'family'), post('int', 'internal')] } as unknown as Site;
  const as = (id: string) => () => ({ id }) as unknown as Practitioner;

  it('moves an internist’s or a pediatrician’s patient to the clinic’s family physician', () => {
    expect(prenatalClinicianAt(clinic, as('int'))(30).id).toBe('fam');
    expect(prenatalClinicianAt(clinic, as('ped'))(16).id).toBe('fam');
  });

  it('keeps a family physician’s patient with her own doctor', () => {
    expect(prenatalClinicianAt(clinic, as('fam'))(30).id).toBe('fam');
  });
});

describe('prenatal labs and follow-up', () => {
  const ga = (weeks: number): Fact => ({ id: 'prenatal.gestationalAge', kind: 'prenatal', label: 'Gestational age', value: weeks, unit: 'wk', date: '2024-05-10' });
  const pregnancy: Fact = { id: 'problem.1', kind: 'problem', label: 'Normal pregnancy', code: { system: SNOMED, code: '72892002', display: 'Normal pregnancy' }, status: 'active', date: '2023-12-01', resourceId: 'c1' };
  const challenge: Fact = { id: 'lab.1', kind: 'lab', label: labName({ system: LOINC, code: '1504-0', display: 'Glucose [Mass/volume] in Serum or Plasma --1 hour post 50 g glucose PO' }).label, value: 128, unit: 'mg/dL', date: '2024-05-10', code: { system: LOINC, code: '1504-0', display: 'Glucose [Mass/volume] in Serum or Plasma --1 hour post 50 g glucose PO' }, synonyms: ['glucose challenge test', 'GCT'], resourceId: 'o1' };
  const prenatal = (weeks: number, facts: Fact[] = []) => sheetOf({ noteType: 'progress-note', class: 'AMB', type: 'Prenatal visit' }, [vital('vital.bodyWeight', 'Body weight', 70, 'kg'), pregnancy, ga(weeks), ...facts]);

  it('names the glucose challenge as the test ("1-hour glucose challenge (50 g)"), whose own numbers are no value', () => {
    expect(challenge.label).toBe('1-hour glucose challenge (50 g)');
    const note = (value: number): NoteOutput => ({ title: 'Progress Note', sections: [{ heading: 'Labs', text: `1-hour glucose challenge (50 g) ${value} mg/dL.` }], mentions: [{ text: `1-hour glucose challenge (50 g) ${value} mg/dL`, factId: 'lab.1' }] });
    expect(checkNote(note(128), prenatal(26, [challenge]), vocabulary).filter((v) => v.code === 'number-mismatch')).toEqual([]);
    expect(checkNote(note(150), prenatal(26, [challenge]), vocabulary).some((v) => v.code === 'number-mismatch')).toBe(true);
  });

  it('books the next visit by the schedule: weekly at 39 weeks, every 4 weeks at 16', () => {
    for (const { note } of written(prenatal(39.1))) expect(planOf(note)).not.toMatch(/\b[24] weeks\b|2-4 weeks/);
    for (const { note } of written(prenatal(16))) expect(planOf(note)).not.toMatch(/\b1 week\b/);
  });
});

describe('prediabetes with no result in the past year', () => {
  const prediabetes: Fact = { id: 'problem.1', kind: 'problem', label: 'Prediabetes', code: { system: SNOMED, code: '714628002', display: 'Prediabetes' }, status: 'active', date: '2020-01-01', resourceId: 'c1' };
  const a1c: Fact = { id: 'lab.1', kind: 'lab', label: 'Hemoglobin A1c', value: 5.9, unit: '%', date: '2024-05-10', code: { system: LOINC, code: '4548-4', display: 'Hemoglobin A1c' }, synonyms: ['HbA1c', 'A1c'], relatesTo: ['problem.1'], resourceId: 'o1' };
  const followUp = (facts: Fact[]) => sheetOf({ noteType: 'progress-note', class: 'AMB', type: 'Follow-up encounter' }, [vital('vital.bodyWeight', 'Body weight', 80, 'kg'), prediabetes, ...facts], { age: 55, birthDate: '1969-01-01' });

  it('says what is known and that testing is due, never "monitoring" on nothing, and stays grounded', () => {
    for (const { note } of written(followUp([]))) {
      const plan = planOf(note);
      expect(plan).toMatch(/Prediabetes[^.]*(?:past year)/);
      expect(plan).not.toMatch(/Prediabetes[^.]*monitor/);
      expect(checkNote(note, followUp([]), vocabulary).map((v) => v.message)).toEqual([]);
    }
  });

  it('cites the A1c when there is one', () => {
    for (const { note } of written(followUp([a1c]))) expect(planOf(note)).toMatch(/Prediabetes[^.]*5\.9/);
  });
});
