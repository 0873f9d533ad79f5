/** Hand-made fact sheets and notes grounded in them, for the note pipeline's tests and checks. */
import type { FactSheet } from '../../src/notes/facts.js';
import type { NoteOutput } from '../../src/notes/note-output.js';

/** A 58-year-old woman with type 2 diabetes and hypertension at a follow-up visit. */
export const diabetesFollowUp: FactSheet = {
  patient: { name: 'Maria Lopez', givenName: 'Maria', familyName: 'Lopez', age: 58, sex: 'female', birthDate: '1966-02-14' },
  encounter: {
    id: 'enc-1',
    date: '2024-05-02',
    class: 'AMB',
    type: 'Follow-up encounter',
    reason: 'Diabetes follow-up',
    author: 'Dr. Alan Reyes',
    noteType: 'progress-note',
  },
  facts: [
    { id: 'problem.1', kind: 'problem', label: 'Type 2 diabetes mellitus', status: 'active', date: '2015-03-01', synonyms: ['T2DM'],
      code: { system: 'http://snomed.info/sct', code: '44054006', display: 'Diabetes mellitus type 2' } },
    { id: 'problem.2', kind: 'problem', label: 'Essential hypertension', status: 'active', date: '2012-07-10', synonyms: ['HTN', 'hypertension'] },
    { id: 'med.1', kind: 'medication', label: 'Metformin 500 mg oral tablet', status: 'active', synonyms: ['metformin'] },
    { id: 'med.2', kind: 'medication', label: 'Lisinopril 10 mg oral tablet', status: 'active', synonyms: ['lisinopril'] },
    { id: 'allergy.1', kind: 'allergy', label: 'Penicillin', status: 'active', synonyms: ['penicillin allergy'] },
    { id: 'vital.bp', kind: 'vital', label: 'Blood pressure', synonyms: ['BP'],
      components: [{ label: 'Systolic', value: 138, unit: 'mm[Hg]' }, { label: 'Diastolic', value: 86, unit: 'mm[Hg]' }] },
    { id: 'vital.hr', kind: 'vital', label: 'Heart rate', value: 78, unit: '/min', synonyms: ['HR', 'pulse'] },
    { id: 'vital.temp', kind: 'vital', label: 'Body temperature', value: 36.8, unit: 'Cel', synonyms: ['temperature', 'temp'] },
    { id: 'vital.weight', kind: 'vital', label: 'Body weight', value: 82.5, unit: 'kg', synonyms: ['weight'] },
    { id: 'vital.bmi', kind: 'vital', label: 'Body mass index', value: 30.1, unit: 'kg/m2', synonyms: ['BMI'] },
    { id: 'lab.a1c', kind: 'lab', label: 'Hemoglobin A1c', value: 7.4, unit: '%', date: '2024-04-28', synonyms: ['HbA1c', 'A1c'] },
    { id: 'social.smoking', kind: 'social', label: 'Never smoker' },
  ],
  negatives: ['not on insulin', 'denies chest pain', 'denies shortness of breath'],
};

/** A healthy 4-year-old boy at a well-child visit. */
export const wellChild: FactSheet = {
  patient: { name: 'Noah Kim', givenName: 'Noah', familyName: 'Kim', age: 4, sex: 'male', birthDate: '2020-01-09' },
  encounter: {
    id: 'enc-2', date: '2024-01-15', class: 'AMB', type: 'Well child visit', author: 'Dr. Priya Shah', noteType: 'progress-note',
  },
  facts: [
    { id: 'vital.weight', kind: 'vital', label: 'Body weight', value: 16.2, unit: 'kg', synonyms: ['weight'] },
    { id: 'vital.height', kind: 'vital', label: 'Body height', value: 102, unit: 'cm', synonyms: ['height'] },
    { id: 'imm.1', kind: 'immunization', label: 'DTaP vaccine', date: '2024-01-15', synonyms: ['DTaP'] },
    { id: 'imm.2', kind: 'immunization', label: 'MMR vaccine', date: '2024-01-15', synonyms: ['MMR'] },
  ],
  negatives: ['no known drug allergies', 'no fever'],
};

/** A 67-year-old man in the emergency department with chest pain and known coronary disease. */
export const chestPainEd: FactSheet = {
  patient: { name: 'Robert Hayes', givenName: 'Robert', familyName: 'Hayes', age: 67, sex: 'male', birthDate: '1957-06-30' },
  encounter: {
    id: 'enc-3', date: '2024-03-09', class: 'EMER', type: 'Emergency department visit', reason: 'Chest pain',
    author: 'Dr. Lena Ortiz', noteType: 'ed-note',
  },
  facts: [
    { id: 'problem.1', kind: 'problem', label: 'Coronary artery disease', status: 'active', synonyms: ['CAD'] },
    { id: 'med.1', kind: 'medication', label: 'Atorvastatin 40 mg oral tablet', status: 'active', synonyms: ['atorvastatin'] },
    { id: 'med.2', kind: 'medication', label: 'Aspirin 81 mg oral tablet', status: 'active', synonyms: ['aspirin'] },
    { id: 'vital.bp', kind: 'vital', label: 'Blood pressure', synonyms: ['BP'],
      components: [{ label: 'Systolic', value: 152, unit: 'mm[Hg]' }, { label: 'Diastolic', value: 94, unit: 'mm[Hg]' }] },
    { id: 'vital.hr', kind: 'vital', label: 'Heart rate', value: 96, unit: '/min', synonyms: ['HR'] },
    { id: 'vital.spo2', kind: 'vital', label: 'Oxygen saturation', value: 97, unit: '%', synonyms: ['SpO2'] },
    { id: 'lab.trop', kind: 'lab', label: 'Troponin I', value: 0.01, unit: 'ng/mL', synonyms: ['troponin'] },
    { id: 'history.1', kind: 'history', label: 'Family history of myocardial infarction' },
  ],
  negatives: ['no known drug allergies', 'denies shortness of breath'],
};

export const FACT_SHEETS = [diabetesFollowUp, wellChild, chestPainEd] as const;

/** A note that states only what {@link diabetesFollowUp} supports, with its mentions. */
export const diabetesNote: NoteOutput = {
  title: 'Progress Note',
  sections: [
    {
      heading: 'Subjective',
      text: 'Ms. Lopez is a 58-year-old female here for diabetes follow-up. She has T2DM and hypertension. She takes metformin and lisinopril and is not on insulin. She denies chest pain and shortness of breath. Allergic to penicillin.',
    },
    { heading: 'Objective', text: 'BP 138/86, HR 78, temperature 36.8 C, weight 82.5 kg, BMI 30.1. HbA1c 7.4%.' },
    { heading: 'Assessment and Plan', text: 'Type 2 diabetes mellitus, A1c near goal; continue metformin. Essential hypertension, continue lisinopril.' },
  ],
  mentions: [
    { text: 'T2DM', factId: 'problem.1' },
    { text: 'hypertension', factId: 'problem.2' },
    { text: 'metformin', factId: 'med.1' },
    { text: 'lisinopril', factId: 'med.2' },
    { text: 'penicillin', factId: 'allergy.1' },
    { text: 'BP 138/86', factId: 'vital.bp' },
    { text: 'HR 78', factId: 'vital.hr' },
    { text: 'temperature 36.8 C', factId: 'vital.temp' },
    { text: 'weight 82.5 kg', factId: 'vital.weight' },
    { text: 'BMI 30.1', factId: 'vital.bmi' },
    { text: 'HbA1c 7.4%', factId: 'lab.a1c' },
  ],
};

/** A note grounded in {@link wellChild}. */
export const wellChildNote: NoteOutput = {
  title: 'Well Child Visit',
  sections: [
    { heading: 'History', text: 'Noah is a 4-year-old boy seen for his well child visit. No fever. NKDA.' },
    { heading: 'Exam', text: 'Weight 16.2 kg, height 102 cm. Growing well.' },
    { heading: 'Plan', text: 'DTaP and MMR given today. Return in one year.' },
  ],
  mentions: [
    { text: 'Weight 16.2 kg', factId: 'vital.weight' },
    { text: 'height 102 cm', factId: 'vital.height' },
    { text: 'DTaP', factId: 'imm.1' },
    { text: 'MMR', factId: 'imm.2' },
  ],
};

/** A note grounded in {@link chestPainEd}. */
export const chestPainNote: NoteOutput = {
  title: 'Emergency Department Note',
  sections: [
    { heading: 'HPI', text: 'Mr. Hayes is a 67 yo man with CAD presenting with chest pain. He denies shortness of breath. Family history of myocardial infarction.' },
    { heading: 'Medications', text: 'Atorvastatin 40 mg daily, aspirin 81 mg daily. No known drug allergies.' },
    { heading: 'Exam', text: 'BP 152/94, HR 96, SpO2 97% on room air.' },
    { heading: 'Results', text: 'Troponin 0.01 ng/mL.' },
  ],
  mentions: [
    { text: 'CAD', factId: 'problem.1' },
    { text: 'Atorvastatin 40 mg', factId: 'med.1' },
    { text: 'aspirin 81 mg', factId: 'med.2' },
    { text: 'BP 152/94', factId: 'vital.bp' },
    { text: 'HR 96', factId: 'vital.hr' },
    { text: 'SpO2 97%', factId: 'vital.spo2' },
    { text: 'Troponin 0.01 ng/mL', factId: 'lab.trop' },
  ],
};

/** {@link diabetesNote} with a blood pressure and a drug the record does not have. */
export const contradictingDiabetesNote: NoteOutput = {
  ...diabetesNote,
  sections: diabetesNote.sections.map((s) =>
    s.heading === 'Objective' ? { ...s, text: s.text.replace('BP 138/86', 'BP 162/101') } : s.heading === 'Assessment and Plan' ? { ...s, text: `${s.text} Start atorvastatin.` } : s,
  ),
  mentions: diabetesNote.mentions.map((m) => (m.factId === 'vital.bp' ? { ...m, text: 'BP 162/101' } : m)),
};
