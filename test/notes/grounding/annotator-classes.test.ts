/**
 * One note that must pass and one that must fail for each class of statement the annotator reads,
 * on a sheet that has a procedure, a dated problem, a drug with its strength, an allergy with its
 * reaction, a vaccine, a smoking status and a family history.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { annotateNote } from '../../../src/notes/annotate/annotate-note.js';
import type { FactSheet } from '../../../src/notes/facts.js';
import { checkNote } from '../../../src/notes/grounding/check-note.js';
import { loadVocabulary, type Vocabulary } from '../../../src/notes/grounding/vocabulary.js';
import type { NoteOutput } from '../../../src/notes/note-output.js';
import { diabetesFollowUp } from '../../support/fact-sheets.js';

const sheet: FactSheet = {
  ...diabetesFollowUp,
  facts: [
    ...diabetesFollowUp.facts.filter((f) => f.id !== 'allergy.1' && f.id !== 'social.smoking'),
    { id: 'allergy.1', kind: 'allergy', label: 'Penicillin', status: 'active', synonyms: ['Penicillin (urticaria)'], resourceId: 'al-1' },
    { id: 'procedure.1', kind: 'procedure', label: 'Plain X-ray of chest', status: 'completed', date: '2024-05-02', resourceId: 'pr-1',
      code: { system: 'http://snomed.info/sct', code: '399208008', display: 'Plain X-ray of chest (procedure)' } },
    { id: 'immunization.1', kind: 'immunization', label: 'Influenza, split virus, quadrivalent, PF', status: 'completed', date: '2024-05-02', resourceId: 'im-1' },
    { id: 'history.1', kind: 'history', label: 'Family history of colon cancer' },
    { id: 'finding.1', kind: 'finding', label: 'Right TM erythematous and bulging' },
    { id: 'procedure.2', kind: 'procedure', label: 'Knee arthroscopy', status: 'completed', date: '2019-03-02' },
    { id: 'social.smoking', kind: 'social', label: 'Never smoked tobacco', synonyms: ['never smoker', 'nonsmoker'] },
  ],
  negatives: [...diabetesFollowUp.negatives, 'never smoker'],
};

let vocabulary: Vocabulary;
beforeAll(async () => {
  vocabulary = await loadVocabulary();
});

function note(text: string): NoteOutput {
  return { title: 'Progress Note', sections: [{ heading: 'Assessment and Plan', text: `Ms. Lopez is a 58-year-old woman seen for diabetes follow-up. ${text}` }], mentions: [] };
}
const codes = (text: string) => checkNote(note(text), sheet, vocabulary).map((v) => v.code);

const CASES: readonly { readonly name: string; readonly pass: string; readonly fail: string; readonly code: string }[] = [
  { name: 'medication', pass: 'Continue Glucophage.', fail: 'Continue Eliquis.', code: 'unsupported-medication' },
  { name: 'dose', pass: 'Continue metformin 500 mg twice daily.', fail: 'Continue metformin 1000 mg twice daily.', code: 'dose-mismatch' },
  { name: 'condition', pass: 'HTN and T2DM are stable.', fail: 'AFib is rate controlled.', code: 'unsupported-condition' },
  { name: 'procedure', pass: 'CXR today was reviewed.', fail: 'She is s/p lap chole.', code: 'unsupported-procedure' },
  { name: 'imaging', pass: 'Chest radiograph reviewed.', fail: 'MRI of the knee was ordered.', code: 'unsupported-procedure' },
  { name: 'immunization', pass: 'Flu shot given today.', fail: 'Shingrix given today.', code: 'unsupported-immunization' },
  { name: 'allergy', pass: 'Allergic to penicillin.', fail: 'Allergies: latex.', code: 'unsupported-allergy' },
  { name: 'allergic reaction', pass: 'Penicillin (urticaria).', fail: 'Penicillin (anaphylaxis).', code: 'reaction-mismatch' },
  { name: 'family history', pass: 'Family history of colon cancer.', fail: 'Mother with breast cancer.', code: 'unsupported-family-history' },
  { name: 'diagnosis year', pass: 'She was diagnosed with type 2 diabetes mellitus in 2015.', fail: 'She was diagnosed with type 2 diabetes mellitus in 2019.', code: 'date-mismatch' },
  { name: 'relative time', pass: 'Type 2 diabetes mellitus was diagnosed 9 years ago.', fail: 'Type 2 diabetes mellitus was diagnosed 2 years ago.', code: 'date-mismatch' },
  { name: 'lab date', pass: 'HbA1c 7.4% on 2024-04-28.', fail: 'HbA1c 7.4% on 2023-01-10.', code: 'date-mismatch' },
  { name: 'pronoun', pass: 'She will follow up.', fail: 'He will follow up.', code: 'sex-mismatch' },
  { name: 'smoking', pass: 'Lifelong nonsmoker.', fail: 'Current smoker, 1 ppd.', code: 'smoking-mismatch' },
  { name: 'negative', pass: 'Denies chest pain.', fail: 'Denies seizures.', code: 'unsupported-negative' },
  { name: 'negative of a record fact', pass: 'Not on insulin.', fail: 'No history of hypertension.', code: 'negative-contradicts-record' },
  { name: 'hypothetical plan', pass: 'Consider increasing metformin.', fail: 'Consider starting metoprolol.', code: 'unsupported-medication' },
  { name: 'unknown clinical word', pass: 'Doing well.', fail: 'Chronic costochondritis noted.', code: 'unknown-clinical-term' },
  { name: 'unknown drug before a dose', pass: 'Metformin 500 mg daily.', fail: 'Zorvanex 10 mg daily.', code: 'unknown-clinical-term' },
  { name: 'temperature in °F', pass: 'Temp 98.2 F.', fail: 'Temp 101.3 F.', code: 'number-mismatch' },
  { name: 'age written fused', pass: 'Pt is 58yo.', fail: 'Pt is 61yo.', code: 'age-mismatch' },
  { name: 'age as y/o', pass: 'A 58 y/o F.', fail: 'A 57 y/o F.', code: 'age-mismatch' },
  { name: 'age field', pass: 'Age: 58.', fail: 'Aged 85.', code: 'age-mismatch' },
  { name: 'sex letter after the age', pass: '58 yo F with DM.', fail: '58 yo, M with DM.', code: 'sex-mismatch' },
  { name: 'sex field', pass: 'Sex: F.', fail: 'Sex: M.', code: 'sex-mismatch' },
  { name: 'honorific', pass: 'Mrs. Lopez agrees.', fail: 'Mr. Lopez agrees.', code: 'sex-mismatch' },
  { name: 'surname after the honorific', pass: "Ms. Lopez's sugars improved.", fail: "Ms. O'Brien-Lopez agrees.", code: 'name-mismatch' },
  { name: 'full name', pass: 'Maria Lopez agrees.', fail: 'Maria Núñez agrees.', code: 'name-mismatch' },
  { name: 'value after a vital name', pass: 'BP today was 138/86.', fail: 'BP today was 150/95.', code: 'number-mismatch' },
  { name: 'side of a recorded finding', pass: 'Right ear pain, otalgia on the right.', fail: 'Left ear pain.', code: 'laterality-mismatch' },
  { name: 'side after the site', pass: 'Erythema of the TM on the right.', fail: 'Erythema of the ear on the left.', code: 'laterality-mismatch' },
  { name: 'side the record does not give', pass: 'Knee arthroscopy in 2019.', fail: 'Left knee arthroscopy in 2019.', code: 'laterality-mismatch' },
  { name: 'count of prior stays', pass: 'Seen in clinic today.', fail: 'She has had three prior admissions.', code: 'unsupported-count' },
  { name: 'ordinal course', pass: 'Continue current care.', fail: 'Now on her second course of chemotherapy.', code: 'unsupported-count' },
  { name: 'count of current drugs', pass: 'Takes 2 medications daily.', fail: 'Takes 4 medications daily.', code: 'unsupported-count' },
  { name: 'pack-years', pass: 'Never smoker, 0 pack-years.', fail: 'Never smoker, 40 pack-years.', code: 'unsupported-amount' },
  { name: 'alcohol amount', pass: 'Social history reviewed.', fail: 'Drinks 6 beers a week.', code: 'unsupported-amount' },
  { name: 'value a few words after its name', pass: 'Weight at the visit was 82.5 kg.', fail: 'Weight at the visit was 91 kg.', code: 'number-mismatch' },
  { name: 'lab value without its lab', pass: 'HbA1c 7.4%.', fail: 'Lipase 40 U/L.', code: 'unknown-clinical-term' },
];

describe('grounding by statement class', () => {
  for (const c of CASES) {
    it(`${c.name}: passes "${c.pass}", rejects "${c.fail}" as ${c.code}`, () => {
      expect(codes(c.pass)).toEqual([]);
      expect(codes(c.fail)).toContain(c.code);
    });
  }
});

describe('annotateNote', () => {
  it('links mentions to facts and resource ids, with assertion, dosage parts and concepts', () => {
    const text = 'Ms. Lopez takes Glucophage 500 mg PO twice daily for T2DM. No history of CHF. Mother with colon cancer. CXR reviewed. Possible pneumonia.';
    const annotation = annotateNote(text, sheet, vocabulary);
    const by = (t: string) => annotation.mentions.find((m) => m.text === t)!;
    expect(by('Glucophage')).toMatchObject({ label: 'MEDICATION', factId: 'med.1', assertion: 'present', concept: 'metformin' });
    expect(by('Glucophage').parts!.map((p) => [p.kind, p.text])).toEqual([['strength', '500 mg'], ['route', 'PO'], ['frequency', 'twice daily']]);
    expect(by('T2DM')).toMatchObject({ label: 'PROBLEM', factId: 'problem.1', assertion: 'present' });
    expect(by('CHF')).toMatchObject({ label: 'PROBLEM', assertion: 'negated' });
    expect(by('CHF').factId).toBeUndefined();
    expect(by('colon cancer')).toMatchObject({ assertion: 'family', factId: 'history.1' });
    expect(by('CXR')).toMatchObject({ label: 'PROCEDURE', factId: 'procedure.1', resourceId: 'pr-1' });
    expect(by('pneumonia')).toMatchObject({ assertion: 'possible' });
    expect(annotation.relations).toEqual([]);
    for (const m of annotation.mentions) expect(text.slice(m.start, m.end)).toBe(m.text);
  });
});

describe('the patient\'s own name', () => {
  it('is not a family-history cue (a woman whose given name is Sister)', () => {
    const named: FactSheet = { ...sheet, patient: { ...sheet.patient, givenName: 'Sister', name: `Sister ${sheet.patient.familyName}` } };
    const text = `Sister ${sheet.patient.familyName} is a 58-year-old woman with type 2 diabetes mellitus. Continue metformin.`;
    const doc: NoteOutput = { title: 'Progress Note', sections: [{ heading: 'Assessment and Plan', text }], mentions: [] };
    expect(checkNote(doc, named, vocabulary).map((v) => v.code)).not.toContain('unsupported-family-history');
    // The same words about the patient's sister are family history.
    const sister: NoteOutput = { ...doc, sections: [{ heading: 'Assessment and Plan', text: 'Her sister has type 2 diabetes mellitus. Continue metformin.' }] };
    expect(checkNote(sister, sheet, vocabulary).map((v) => v.code)).toContain('unsupported-family-history');
  });

  it('is no condition (a woman named Tia), while the abbreviation TIA still needs the record', () => {
    const named: FactSheet = { ...sheet, patient: { ...sheet.patient, givenName: 'Tia', name: `Tia ${sheet.patient.familyName}` } };
    const doc = (text: string): NoteOutput => ({ title: 'Progress Note', sections: [{ heading: 'Assessment and Plan', text }], mentions: [] });
    const codes = (text: string) => checkNote(doc(text), named, vocabulary).map((v) => v.code);
    expect(codes(`Tia is a 58-year-old woman with type 2 diabetes mellitus. Continue metformin.`)).not.toContain('unsupported-condition');
    expect(codes(`Tia is a 58-year-old woman with type 2 diabetes mellitus and a TIA last year. Continue metformin.`)).toContain('unsupported-condition');
    // The header's capitals: "FAMILY, TIA" is her name; a lone "TIA" in the body is the abbreviation.
    const family = sheet.patient.familyName.toUpperCase();
    expect(codes(`Patient: ${family}, TIA  |  58 yo F\nType 2 diabetes mellitus. Continue metformin.`)).not.toContain('unsupported-condition');
    expect(codes(`Patient: ${family}, TIA  |  58 yo F\nType 2 diabetes mellitus; TIA last year. Continue metformin.`)).toContain('unsupported-condition');
  });
});

describe('the names and places the frame writes', () => {
  it('are PHI, not clinical words (a town called Kenvir), while the same word elsewhere is unknown', () => {
    const doc = (text: string): NoteOutput => ({ title: 'Admission H&P', sections: [{ heading: 'Header', text }], mentions: [] });
    const text = 'Address: 121 E Jackson Street, Kenvir, KY 40847\nType 2 diabetes mellitus. Continue metformin.';
    expect(checkNote(doc(text), sheet, vocabulary).map((v) => v.code)).toContain('unknown-clinical-term');
    expect(checkNote(doc(text), sheet, vocabulary, ['121 E Jackson Street', 'Kenvir']).map((v) => v.code)).not.toContain('unknown-clinical-term');
    expect(checkNote(doc(`${text} Started Kenvir 20 mg daily.`.replace('Kenvir, KY', 'Hazard, KY')), sheet, vocabulary, ['Hazard']).map((v) => v.code)).toContain('unknown-clinical-term');
  });
});

describe('what the template writer states that the annotator once missed', () => {
  const stay: FactSheet = {
    ...sheet,
    facts: [
      ...sheet.facts,
      { id: 'lab.hgb', kind: 'lab', label: 'Hgb', value: 10.6, unit: 'g/dL', date: '2024-05-04', resourceId: 'ob-last', firstOfStay: { value: 12.4, date: '2024-05-01', resourceId: 'ob-first' },
        code: { system: 'http://loinc.org', code: '718-7', display: 'Hemoglobin [Mass/volume] in Blood' } },
      // The sheet lists immunizations before problems, as buildFactSheet does.
      { id: 'immunization.2', kind: 'immunization', label: 'Influenza, seasonal, injectable', status: 'completed', date: '2024-05-02', resourceId: 'im-2', synonyms: ['influenza'] },
      { id: 'problem.flu', kind: 'problem', label: 'Influenza', status: 'resolved', date: '2022-01-11', resourceId: 'co-flu' },
      { id: 'history.procedure.course1', kind: 'history', label: 'In-center hemodialysis', date: '2018-03-06', resourceId: 'pr-hd' },
    ],
  };
  const annotate = (text: string) => annotateNote(text, stay, vocabulary).mentions;
  const check = (text: string) => checkNote(note(text), stay, vocabulary).map((v) => v.code);

  it('reads the value a stay lab moved from as a mention of the lab, checked against its first result', () => {
    const text = 'Lab trend: Hgb 10.6 g/dL, down from 12.4 g/dL on admission.';
    const from = annotate(text).find((m) => m.text === '12.4 g/dL');
    expect(from).toMatchObject({ label: 'LAB', factId: 'lab.hgb', resourceId: 'ob-first' });
    expect(from!.conflict).toBeUndefined();
    expect(annotate('Hgb 10.6 g/dL (decreased from 12.4 g/dL at admission).').some((m) => m.text === '12.4 g/dL' && m.factId === 'lab.hgb')).toBe(true);
    expect(check(text)).toEqual([]);
    expect(check('Lab trend: Hgb 10.6 g/dL, down from 14.9 g/dL on admission.')).toContain('number-mismatch');
  });

  it('labels a name shared by a problem and a vaccine by how it is listed', () => {
    const text = 'PAST MEDICAL HISTORY:\n- Influenza (resolved)\n\nPLAN:\nVaccinated today with influenza.';
    const [problem, vaccine] = annotate(text).filter((m) => /influenza/i.test(m.text));
    expect(problem).toMatchObject({ label: 'PROBLEM', factId: 'problem.flu', assertion: 'historical' });
    expect(vaccine).toMatchObject({ label: 'IMMUNIZATION', factId: 'immunization.2' });
  });

  it('labels a past course of treatment a procedure', () => {
    expect(annotate('History of treatment: in-center hemodialysis (2018-03-06).').find((m) => m.factId === 'history.procedure.course1')).toMatchObject({ label: 'PROCEDURE', resourceId: 'pr-hd' });
  });
});
