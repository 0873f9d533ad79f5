import { beforeAll, describe, expect, it } from 'vitest';
import { checkNote } from '../../../src/notes/grounding/check-note.js';
import { loadVocabulary, type Vocabulary } from '../../../src/notes/grounding/vocabulary.js';
import { noteToText, type NoteOutput } from '../../../src/notes/note-output.js';
import type { FactSheet } from '../../../src/notes/facts.js';
import {
  chestPainEd, chestPainNote, contradictingDiabetesNote, diabetesFollowUp, diabetesNote, wellChild, wellChildNote,
} from '../../support/fact-sheets.js';

let vocabulary: Vocabulary;
beforeAll(async () => {
  vocabulary = await loadVocabulary();
});

/** The note with one section's text edited. */
function edit(note: NoteOutput, heading: string, change: (text: string) => string): NoteOutput {
  return { ...note, sections: note.sections.map((s) => (s.heading === heading ? { ...s, text: change(s.text) } : s)) };
}

function codes(note: NoteOutput, sheet: FactSheet): string[] {
  return checkNote(note, sheet, vocabulary).map((v) => v.code);
}

describe('grounding checks', () => {
  it('pass the hand-made grounded notes', () => {
    expect(checkNote(diabetesNote, diabetesFollowUp, vocabulary)).toEqual([]);
    expect(checkNote(wellChildNote, wellChild, vocabulary)).toEqual([]);
    expect(checkNote(chestPainNote, chestPainEd, vocabulary)).toEqual([]);
  });

  it('read a negation inside a condition\'s own name as part of the name, not as a negative', () => {
    const concussion = { id: 'problem.9', kind: 'problem' as const, label: 'Concussion with no loss of consciousness', status: 'active' as const };
    const sheet: FactSheet = { ...diabetesFollowUp, facts: [...diabetesFollowUp.facts, concussion] };
    const note = edit(diabetesNote, 'Assessment and Plan', (t) => `${t} Concussion with no loss of consciousness, hypertension and T2DM.`);
    expect(codes(note, sheet)).toEqual([]);
    // A real negative next to it is still read: "no hypertension" contradicts the record.
    const wrong = edit(diabetesNote, 'Assessment and Plan', (t) => `${t} Concussion with no loss of consciousness, no hypertension.`);
    expect(codes(wrong, sheet)).toContain('negative-contradicts-record');
  });

  it('flag a note that contradicts the record, with spans into the note text', () => {
    const violations = checkNote(contradictingDiabetesNote, diabetesFollowUp, vocabulary);
    expect(violations.map((v) => v.code).sort()).toEqual(['number-mismatch', 'unsupported-medication']);
    const text = noteToText(contradictingDiabetesNote);
    const bp = violations.find((v) => v.code === 'number-mismatch')!;
    expect(text.slice(bp.span!.start, bp.span!.end)).toBe('162/101');
    const drug = violations.find((v) => v.code === 'unsupported-medication')!;
    expect(text.slice(drug.span!.start, drug.span!.end)).toBe('atorvastatin');
  });

  it('check mentions: exact text, known fact ids', () => {
    const note = { ...diabetesNote, mentions: [...diabetesNote.mentions, { text: 'HbA1c of 7.4', factId: 'lab.a1c' }, { text: 'T2DM', factId: 'problem.99' }] };
    expect(codes(note, diabetesFollowUp).sort()).toEqual(['mention-not-in-note', 'unknown-fact']);
  });

  it('accept numbers within rounding and unit conversions, reject others', () => {
    const ok = edit(diabetesNote, 'Objective', (t) => t.replace('temperature 36.8 C', 'temperature 98.2 F').replace('weight 82.5 kg', 'weight 182 lb').replace('BMI 30.1', 'BMI 30'));
    expect(codes({ ...ok, mentions: [] }, diabetesFollowUp)).toEqual([]);
    const off = edit(diabetesNote, 'Objective', (t) => t.replace('HR 78', 'HR 88'));
    expect(codes({ ...off, mentions: [] }, diabetesFollowUp)).toEqual(['number-mismatch']);
    const lab = edit(diabetesNote, 'Objective', (t) => t.replace('HbA1c 7.4%', 'HbA1c 8.1%'));
    expect(codes({ ...lab, mentions: [] }, diabetesFollowUp)).toEqual(['number-mismatch']);
    const target = edit(diabetesNote, 'Assessment and Plan', (t) => `${t} BP goal <130/80. Weight loss of 2 kg since last visit. Blood pressure today was 138/86.`);
    expect(codes(target, diabetesFollowUp)).toEqual([]);
    const phrased = edit(diabetesNote, 'Assessment and Plan', (t) => `${t} Hemoglobin A1c on 2024-04-28 was 7.9. Weight: 90 kg.`);
    expect(codes(phrased, diabetesFollowUp)).toEqual(['number-mismatch', 'number-mismatch']);
  });

  it('check name, age and sex', () => {
    expect(codes(edit(diabetesNote, 'Subjective', (t) => t.replace('58-year-old', '62-year-old')), diabetesFollowUp)).toEqual(['age-mismatch']);
    expect(codes(edit(diabetesNote, 'Subjective', (t) => t.replace('58-year-old female', '58-year-old male')), diabetesFollowUp)).toEqual(['sex-mismatch']);
    expect(codes(edit(diabetesNote, 'Subjective', (t) => t.replace('Ms. Lopez', 'Ms. Garcia')), diabetesFollowUp)).toEqual(['name-mismatch']);
    expect(codes(edit(diabetesNote, 'Subjective', (t) => t.replace('Ms. Lopez', 'Mr. Lopez')), diabetesFollowUp)).toEqual(['sex-mismatch']);
    expect(codes(edit(diabetesNote, 'Subjective', (t) => t.replace('Ms. Lopez', 'Maria Garcia')), diabetesFollowUp)).toEqual(['name-mismatch']);
    // One violation per pronoun of the other sex, each with its span.
    const he = codes(edit(diabetesNote, 'Subjective', (t) => t.replaceAll('She', 'He')), diabetesFollowUp);
    expect(he.length).toBeGreaterThan(0);
    expect(new Set(he)).toEqual(new Set(['sex-mismatch']));
  });

  it('allow pertinent negatives only where the record agrees', () => {
    // Denying something the record has.
    expect(codes(edit(diabetesNote, 'Subjective', (t) => `${t} Not on lisinopril.`), diabetesFollowUp)).toContain('negative-contradicts-record');
    expect(codes(edit(chestPainNote, 'HPI', (t) => `${t} Denies chest pain.`), chestPainEd)).toEqual(['negative-contradicts-record']);
    expect(codes(edit(diabetesNote, 'Subjective', (t) => t.replace('Allergic to penicillin.', 'NKDA.')), diabetesFollowUp)).toEqual(
      expect.arrayContaining(['negative-contradicts-record']),
    );
    // A negative the sheet does not list.
    expect(codes(edit(diabetesNote, 'Subjective', (t) => `${t} Denies fever.`), diabetesFollowUp)).toEqual(['unsupported-negative']);
    expect(codes(edit(chestPainNote, 'HPI', (t) => `${t} No history of asthma.`), chestPainEd)).toEqual(['unsupported-negative']);
    // NKDA without the sheet saying so.
    expect(codes(edit(chestPainNote, 'Medications', (t) => t.replace('No known drug allergies.', 'NKDA.')), { ...chestPainEd, negatives: ['denies shortness of breath'] })).toEqual(['unsupported-negative']);
    // Negations of things that are not record facts pass.
    expect(codes(edit(diabetesNote, 'Objective', (t) => `${t} No acute distress. No changes to metformin.`), diabetesFollowUp)).toEqual([]);
  });

  it('reject drugs and conditions the record lacks, by name or synonym, and accept synonyms of record facts', () => {
    expect(codes(edit(wellChildNote, 'Plan', (t) => `${t} Albuterol as needed for asthma.`), wellChild).sort()).toEqual(['unsupported-condition', 'unsupported-medication']);
    expect(codes(edit(chestPainNote, 'HPI', (t) => `${t} Rule out MI.`), chestPainEd)).toEqual([]); // family history of MI is on the sheet
    expect(codes(edit(diabetesNote, 'Assessment and Plan', (t) => `${t} Rule out CHF.`), diabetesFollowUp)).toEqual(['unsupported-condition']);
    expect(codes(edit(diabetesNote, 'Assessment and Plan', (t) => `${t} Consider Lipitor.`), diabetesFollowUp)).toEqual(['unsupported-medication']);
    expect(codes(edit(diabetesNote, 'Assessment and Plan', (t) => `${t} Diabetes and HTN stable. Continue Glucophage.`), diabetesFollowUp)).toEqual([]);
    expect(codes(edit(diabetesNote, 'Assessment and Plan', (t) => `${t} Type 1 diabetes.`), diabetesFollowUp)).toEqual(['unsupported-condition']);
  });

  it('pass a note in the loose style models write, when it states only what the record has', () => {
    const note: NoteOutput = {
      title: 'ED Provider Note',
      sections: [
        { heading: 'Chief Complaint', text: 'Chest pain.' },
        { heading: 'HPI', text: 'Robert Hayes is a 67-year-old male with a history of coronary artery disease who presents to the ED with chest pain that began this morning. He denies shortness of breath. He takes atorvastatin 40 mg and aspirin 81 mg daily. No known drug allergies. Family history is notable for myocardial infarction.' },
        { heading: 'Exam', text: 'Triage vitals: BP 152/94 mmHg, HR 96 bpm, SpO2 97% on room air. Alert, in no acute distress.' },
        { heading: 'Results', text: 'Troponin I 0.01 ng/mL.' },
        { heading: 'MDM', text: '67 yo M with CAD and chest pain. Initial troponin 0.01 ng/mL. Will obtain serial troponins. No new medications. Continue aspirin.' },
        { heading: 'Disposition', text: 'Observation for chest pain evaluation, Dr. Lena Ortiz.' },
      ],
      mentions: [
        { text: 'coronary artery disease', factId: 'problem.1' },
        { text: 'BP 152/94 mmHg', factId: 'vital.bp' },
        { text: 'Troponin I 0.01 ng/mL', factId: 'lab.trop' },
      ],
    };
    expect(checkNote(note, chestPainEd, vocabulary)).toEqual([]);
    // A planned study is a claim too: the record has no ECG.
    expect(codes(edit(note, 'MDM', (t) => t.replace('serial troponins', 'serial troponins and an ECG')), chestPainEd)).toEqual(['unsupported-procedure']);
  });
});
