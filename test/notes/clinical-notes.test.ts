import { beforeAll, describe, expect, it } from 'vitest';
import { loadHospitalCare } from '../../src/knowledge/hospital-care.js';
import { presentationsByCode } from '../../src/knowledge/presentations.js';
import { MetaFactory } from '../../src/fhir/meta.js';
import { conditionModules } from '../../src/knowledge/conditions.js';
import { drugName } from '../../src/notes/drug-names.js';
import { buildFactSheet } from '../../src/notes/fact-sheet.js';
import { renderFactSheet } from '../../src/notes/fact-sheet-text.js';
import type { FactSheet, NoteType } from '../../src/notes/facts.js';
import { NOTE_TYPES } from '../../src/notes/facts.js';
import { checkNote } from '../../src/notes/grounding/check-note.js';
import { buildVocabulary, loadVocabulary, withKnowledgeTerms, type Vocabulary } from '../../src/notes/grounding/vocabulary.js';
import { labelFromLoinc } from '../../src/notes/lab-names.js';
import { noteToText, type NoteOutput } from '../../src/notes/note-output.js';
import { loadPromptSet } from '../../src/notes/prompt-set.js';
import { planNotes } from '../../src/notes/selection.js';
import { notesForRecord } from '../../src/notes/stage.js';
import { createTemplateNoteWriter } from '../../src/notes/template/template-note-writer.js';
import { writeTemplateNote } from '../../src/notes/template/template-writer.js';
import { dateToInstant, type IsoDate } from '../../src/core/time.js';
import type { PatientRecord } from '../../src/record/types.js';
import { createCohortContext, simulateIndex } from '../../src/timeline/cohort.js';
import { toSeed } from '../../src/core/random.js';
import { withClinicalItems } from '../support/clinical-items.js';

interface Written {
  record: PatientRecord;
  sheet: FactSheet;
  note: NoteOutput;
  id: string;
}

const REFERENCE = '2025-06-01' as IsoDate;
let vocabulary: Vocabulary;
const records: PatientRecord[] = [];
const written: Written[] = [];

function authorOf(record: PatientRecord, practitionerId: string): string {
  const p = record.providers.practitioners.find((x) => x.id === practitionerId);
  return p === undefined ? 'the clinician' : `${p.givenNames[0]} ${p.familyName}`;
}

beforeAll(async () => {
  vocabulary = await loadVocabulary();
  const ctx = createCohortContext({ seed: toSeed(7), referenceDate: REFERENCE, age: undefined, gender: undefined, state: undefined });
  for (let i = 0; i < 80; i++) records.push(...simulateIndex(ctx, i).map(withClinicalItems));
  const types = new Set<NoteType>(NOTE_TYPES);
  for (const record of records) {
    const until = record.death?.time ?? dateToInstant(REFERENCE);
    // The last few years of each record: where the new items are.
    for (const plan of planNotes(record, { types, since: until - 3 * 365 * 86_400_000, until })) {
      const sheet = buildFactSheet(record, plan.encounter, { authorName: authorOf(record, plan.encounter.practitionerId), noteType: plan.noteType, vocabulary });
      const id = `${record.id}|${plan.encounter.id}|${plan.noteType}`;
      written.push({ record, sheet, note: writeTemplateNote(sheet, id), id });
    }
  }
});

describe('fact sheet with the clinical record', () => {
  it('holds active problems, the encounter diagnosis, current drugs and recent labs, in plain clinical words', () => {
    const sheets = written.map((w) => w.sheet);
    const facts = sheets.flatMap((s) => s.facts);
    for (const kind of ['problem', 'medication', 'lab', 'procedure'] as const) expect(facts.some((f) => f.kind === kind)).toBe(true);
    for (const f of facts) expect(f.label).not.toMatch(/\((?:disorder|finding|procedure|substance)\)$/);
    const metformin = facts.find((f) => f.kind === 'medication' && f.code?.code === '860975')!;
    expect(metformin.label).toBe('metformin 500 mg ER tablet');
    expect(metformin.synonyms).toContain('metformin');
    expect(metformin.synonyms).toContain('for Diabetes mellitus type 2');
    const a1c = facts.find((f) => f.kind === 'lab' && f.code?.code === '4548-4')!;
    expect(a1c.synonyms).toEqual(expect.arrayContaining(['A1c', 'HbA1c']));
    expect(a1c.range).toEqual({ low: 4, high: 5.6 });
    const stays = sheets.filter((s) => s.encounter.class === 'IMP');
    expect(stays.length).toBeGreaterThan(0);
    for (const s of stays) {
      const reason = s.facts.find((f) => f.id === s.encounter.reasonFactId)!;
      expect(reason.kind).toBe('problem');
      expect(reason.status).toBe('active');
      // Childbirth and appendectomy stays can be a day or two; exacerbations run longer.
      expect(s.encounter.lengthOfStayDays).toBeGreaterThanOrEqual(1);
      expect(s.encounter.disposition).toMatch(/Home|Skilled nursing facility|Expired/);
      // An illness visit does not deny symptoms wholesale: only its presentation's pertinent negatives.
      const pertinent = new Set((presentationsByCode().get(s.facts.find((f) => f.id === s.encounter.reasonFactId)?.code?.code ?? '')?.negatives ?? []).map((n) => `denies ${n}`).concat('denies fever'));
      expect(s.negatives.filter((n) => n.startsWith('denies ') && n !== 'denies tobacco use' && !pertinent.has(n))).toEqual([]);
    }
  });

  it('states each problem and drug as of the encounter date: nothing from the future, ended ones as history', () => {
    for (const { record, sheet } of written.slice(0, 400)) {
      const encounter = record.encounters.find((e) => e.id === sheet.encounter.id)!;
      for (const f of sheet.facts) {
        if (f.kind === 'problem' || f.kind === 'medication' || f.kind === 'lab') expect(f.date! <= sheet.encounter.endDate!).toBe(true);
        if (f.kind === 'lab') expect(Date.parse(sheet.encounter.date) - Date.parse(f.date!)).toBeLessThanOrEqual(366 * 86_400_000);
      }
      for (const c of record.conditions) {
        if (c.abatement === undefined || c.abatement > encounter.start || c.category !== 'problem-list-item' || c.recorded > encounter.end) continue;
        const fact = sheet.facts.find((f) => f.kind === 'problem' && f.code?.code === c.code.code)!;
        expect(fact.status).not.toBe('active');
      }
      // Ward orders are no current medication ("no current medications" speaks of home drugs); each is one of this stay's.
      const meds = sheet.facts.filter((f) => f.kind === 'medication' && f.inpatient !== true);
      for (const w of sheet.facts.filter((f) => f.inpatient === true)) {
        expect(record.medications.find((m) => m.id === w.resourceId)).toMatchObject({ encounterId: encounter.id, inpatient: expect.anything() });
      }
      expect(new Set(meds.map((m) => m.code!.code)).size).toBe(meds.length);
      if (meds.some((m) => m.status === 'active')) expect(sheet.negatives).not.toContain('no current medications');
    }
  });

  it('renders problems, medications and labs with their ids, ranges and links for the prompt', () => {
    const sheet = written.find((w) => w.sheet.facts.some((f) => f.kind === 'lab' && f.relatesTo !== undefined))!.sheet;
    const text = renderFactSheet(sheet);
    expect(text).toMatch(/\[lab\.\d+\] [^\n]*ref [\d.]+-[\d.]+/);
    expect(text).toMatch(/for \[problem\.\d+\]/);
    expect(text).toContain('[problem.1]');
  });

  it('puts the problem list, drugs and labs in the LLM prompt and tells the model how to use them', async () => {
    const w = written.find((x) => x.sheet.encounter.noteType === 'discharge-summary' && x.sheet.facts.some((f) => f.kind === 'medication'))!;
    const { messages } = await (await loadPromptSet()).render(w.sheet, '');
    expect(messages[0]!.content).toMatch(/PROBLEMS marked active/);
    const user = messages[1]!.content;
    expect(user).toContain('length of stay');
    expect(user).toMatch(/Discharged \d{4}-\d{2}-\d{2}; length of stay \d+ days?/);
    expect(user).toContain(`Disposition: ${w.sheet.encounter.disposition}`);
    expect(user).toMatch(/\[problem\.1\] /);
    expect(user).toMatch(/\[medication\.1\] /);
  });
});

describe('template notes over a cohort with the new clinical items', () => {
  it('writes every note type the record calls for, and every one passes grounding (0 rejected)', () => {
    const types = new Set(written.map((w) => w.sheet.encounter.noteType));
    for (const t of ['progress-note', 'ed-note', 'history-and-physical', 'discharge-summary', 'radiology-report', 'portal-message'] as const) expect(types.has(t)).toBe(true);
    const failures: string[] = [];
    for (const w of written) {
      const violations = checkNote(w.note, w.sheet, vocabulary);
      if (violations.length > 0) failures.push(`${w.id}: ${violations.map((v) => v.message).join('; ')}`);
    }
    expect(written.length).toBeGreaterThan(500);
    expect(failures.slice(0, 5)).toEqual([]);
    // An exam abbreviation keeps its case mid-sentence ("On exam, TMs clear", never "tMs").
    expect(written.map((w) => noteToText(w.note)).filter((t) => /\b(?:tMs|hEENT|pERRL|eOMI|rRR)\b/.test(t)).length).toBe(0);
    expect(written.some((w) => /\bTMs\b/.test(noteToText(w.note)))).toBe(true);
  });

  it('plans each active problem in a progress note with its drugs and latest lab', () => {
    const w = written.find(
      (x) => x.sheet.encounter.noteType === 'progress-note' && x.sheet.facts.some((f) => f.kind === 'lab' && f.code?.code === '4548-4' && f.relatesTo !== undefined),
    )!;
    const cited = new Set(w.note.mentions.map((m) => m.factId));
    const a1c = w.sheet.facts.find((f) => f.code?.code === '4548-4')!;
    expect(cited.has(a1c.id)).toBe(true);
    for (const p of w.sheet.facts.filter((f) => f.kind === 'problem' && f.status === 'active').slice(0, 6)) expect(cited.has(p.id)).toBe(true);
    for (const m of w.sheet.facts.filter((f) => f.kind === 'medication' && f.status === 'active')) expect(cited.has(m.id)).toBe(true);
    expect(noteToText(w.note)).toMatch(/(?:A1c|HbA1c|Hemoglobin A1c) \d/);
  });

  it('states the reason, the procedures, the length of stay and the disposition in acute-care notes', () => {
    const summaries = written.filter((w) => w.sheet.encounter.noteType === 'discharge-summary');
    expect(summaries.length).toBeGreaterThan(3);
    for (const w of summaries) {
      const text = noteToText(w.note);
      const reason = w.sheet.facts.find((f) => f.id === w.sheet.encounter.reasonFactId)!;
      expect(text).toContain(reason.label);
      expect(text).toMatch(new RegExp(`(?:Length of stay|LOS): ${w.sheet.encounter.lengthOfStayDays} day`));
      expect(text).toContain(w.sheet.encounter.disposition!);
      for (const p of w.sheet.facts.filter((f) => f.kind === 'procedure' && f.date === w.sheet.encounter.date)) expect(text).toContain(p.label);
      // A stay that ended in death plans no follow-up and lists no discharge medications.
      if (w.sheet.encounter.disposition === 'Expired') {
        expect(text).toMatch(/expired/i);
        expect(text).not.toMatch(/follow[- ]up|Discharge Medications/i);
      }
    }
    expect(summaries.some((w) => w.sheet.encounter.disposition === 'Expired')).toBe(true);
    // A stay for a chronic problem names the exacerbation (the encounter reason) and the known problem.
    const flares = summaries.filter((w) => /^Acute exacerbation of/.test(w.sheet.encounter.reason ?? ''));
    expect(flares.length).toBeGreaterThan(0);
    for (const w of flares) expect(noteToText(w.note)).toContain(w.sheet.encounter.reason!);
    for (const w of written.filter((x) => x.sheet.encounter.noteType === 'ed-note' || x.sheet.encounter.noteType === 'history-and-physical')) {
      const reason = w.sheet.facts.find((f) => f.id === w.sheet.encounter.reasonFactId);
      if (reason !== undefined) expect(noteToText(w.note)).toContain(reason.label);
    }
    const radiology = written.filter((w) => w.sheet.encounter.noteType === 'radiology-report');
    expect(radiology.length).toBeGreaterThan(3);
    for (const w of radiology) expect(noteToText(w.note)).toMatch(/X-ray|Computed tomography|CT|mammograph/i);
  });

  it('writes a planned cancer operation as an elective admission (the operation as the reason, no worsening, surgical follow-up) and the oncology consult as a new diagnosis', () => {
    const ctx = createCohortContext({ seed: toSeed(19), referenceDate: REFERENCE, age: { min: 55, max: 85 }, gender: undefined, state: undefined });
    const planned: Written[] = [];
    for (let i = 0; i < 400 && planned.length < 24; i++) {
      for (const record of simulateIndex(ctx, i)) {
        for (const e of record.encounters.filter((x) => x.planned === true || x.referrerId !== undefined)) {
          for (const plan of planNotes(record, { types: new Set<NoteType>(['history-and-physical', 'discharge-summary', 'consult-note']), since: e.start, until: e.end + 86_400_000 })) {
            if (plan.encounter.id !== e.id) continue;
            const sheet = buildFactSheet(record, e, { authorName: authorOf(record, e.practitionerId), noteType: plan.noteType, vocabulary });
            const id = `${record.id}|${e.id}|${plan.noteType}`;
            planned.push({ record, sheet, note: writeTemplateNote(sheet, id), id });
          }
        }
      }
    }
    expect(planned.some((w) => w.sheet.encounter.noteType === 'history-and-physical')).toBe(true);
    expect(planned.some((w) => w.sheet.encounter.noteType === 'discharge-summary')).toBe(true);
    // A specialist's first consult for a diagnosis made weeks ago: the new diagnosis, with its biopsy when there was one.
    const recent = (w: Written): boolean => {
      const reason = w.sheet.facts.find((f) => f.id === w.sheet.encounter.reasonFactId);
      return reason?.date !== undefined && Date.parse(w.sheet.encounter.date) - Date.parse(reason.date) <= 92 * 86_400_000;
    };
    const consults = planned.filter((w) => w.sheet.encounter.noteType === 'consult-note' && recent(w));
    expect(consults.length).toBeGreaterThan(0);
    for (const w of consults) {
      const text = noteToText(w.note);
      expect(text, w.id).toMatch(/newly diagnosed|recently diagnosed|new diagnosis/);
      expect(text, w.id).not.toMatch(/worsening|improving|symptoms related to known|complications of|treated as above/i);
      expect(checkNote(w.note, w.sheet, vocabulary).map((v) => v.message), w.id).toEqual([]);
    }
    for (const w of planned.filter((x) => x.sheet.encounter.noteType !== 'consult-note')) {
      const text = noteToText(w.note);
      // The operation, not the preoperative type and screen drawn the same morning.
      const typeAndScreen = loadHospitalCare().operationWard.typeAndScreen.code;
      const operation = w.sheet.facts.find((f) => f.kind === 'procedure' && f.relatesTo?.includes(w.sheet.encounter.reasonFactId ?? '') === true && f.date !== undefined && f.date >= w.sheet.encounter.date && f.date <= (w.sheet.encounter.endDate ?? w.sheet.encounter.date) && f.code?.code !== typeAndScreen)!;
      expect(w.sheet.encounter.planned).toBe(true);
      expect(text.toLowerCase(), w.id).toContain(operation.label.toLowerCase());
      expect(text, w.id).not.toMatch(/worsening|improving|symptoms related to known|complications of|follow up with primary care/i);
      if (w.sheet.encounter.noteType === 'history-and-physical') expect(text, w.id).toMatch(/(?:chief complaint|cc):\s*(?:scheduled|planned|elective) /i);
      expect(checkNote(w.note, w.sheet, vocabulary).map((v) => v.message), w.id).toEqual([]);
    }
  });

  it('answers portal questions about a result from the visit with its exact value', () => {
    const about = written.filter((w) => w.sheet.encounter.noteType === 'portal-message' && w.note.mentions.some((m) => m.factId.startsWith('lab.')));
    expect(about.length).toBeGreaterThan(0);
  });

  it('keeps diversity well above Synthea: distinct 4-grams over the first 20,000 words', () => {
    const words: string[] = [];
    for (const w of written) {
      if (words.length >= 20_000) break;
      words.push(...noteToText(w.note).toLowerCase().split(/\s+/).filter(Boolean));
    }
    const w = words.slice(0, 20_000);
    const grams = new Set<string>();
    for (let i = 0; i + 3 < w.length; i++) grams.add(`${w[i]} ${w[i + 1]} ${w[i + 2]} ${w[i + 3]}`);
    expect(grams.size / (w.length - 3)).toBeGreaterThan(0.35);
  });

  it('writes a radiology report also as a US Core note DiagnosticReport with the same text', async () => {
    const record = records.find((r) => r.procedures.some((p) => /X-ray|tomography/.test(p.code.display)))!;
    const out = await notesForRecord(record, {
      types: new Set<NoteType>(['radiology-report']),
      since: undefined,
      writer: createTemplateNoteWriter(),
      vocabulary,
      maxRetries: 0,
      meta: new MetaFactory('test'),
      referenceTime: dateToInstant(REFERENCE),
    });
    expect(out.rejected).toEqual([]);
    const reports = out.resources.filter((r) => r.resourceType === 'DiagnosticReport') as unknown as {
      meta: { profile: string[] };
      category: { coding: { code: string }[] }[];
      presentedForm: { data: string }[];
      encounter: { reference: string };
      id: string;
    }[];
    expect(reports.length).toBe(out.notes.length);
    expect(reports.length).toBeGreaterThan(0);
    for (const [k, r] of reports.entries()) {
      expect(r.meta.profile).toEqual(['http://hl7.org/fhir/us/core/StructureDefinition/us-core-diagnosticreport-note']);
      expect(r.category[0]!.coding[0]!.code).toBe('LP29684-5');
      expect(Buffer.from(r.presentedForm[0]!.data, 'base64').toString('utf8')).toBe(out.notes[k]!.text);
      expect(r.id).not.toBe(out.notes[k]!.noteId);
    }
  });
});

describe('grounding knows the clinical vocabulary', () => {
  it('covers every condition and drug the knowledge files can produce', () => {
    for (const m of conditionModules()) {
      const label = m.code.display.replace(/\s*\(disorder\)$/, '');
      expect(vocabulary.find(label).length, label).toBeGreaterThan(0);
      for (const step of m.medications) {
        for (const ingredient of drugName(step.medication.display).ingredients) {
          expect(vocabulary.find(ingredient).some((h) => h.concept.kind === 'drug'), ingredient).toBe(true);
        }
      }
    }
  });

  it('adds the knowledge files\' new disorders and drug ingredients as concepts, leaving names the file has to it', () => {
    const file = { drugs: [{ name: 'metformin', synonyms: ['Glucophage'] }], conditions: [{ name: 'asthma', synonyms: [] }], symptoms: [], labs: [] };
    const merged = withKnowledgeTerms(file, {
      conditions: ['Asthma', 'Acute pyelonephritis'],
      drugs: [{ name: 'metformin', synonyms: [] }, { name: 'nirmatrelvir', synonyms: ['Paxlovid', 'Glucophage'] }],
    });
    expect(merged.conditions.map((c) => c.name)).toEqual(['asthma', 'Acute pyelonephritis']);
    expect(merged.drugs).toEqual([{ name: 'metformin', synonyms: ['Glucophage'] }, { name: 'nirmatrelvir', synonyms: ['Paxlovid'] }]);
    const v = buildVocabulary(merged);
    expect(v.find('started Paxlovid for acute pyelonephritis').map((h) => h.concept.name)).toEqual(['nirmatrelvir', 'Acute pyelonephritis']);
  });

  it('rejects a note naming a condition, drug or lab the sheet lacks, and passes one naming what it has', () => {
    const w = written.find((x) => x.sheet.encounter.noteType === 'progress-note' && x.sheet.facts.some((f) => f.code?.code === '4548-4') && x.sheet.facts.some((f) => f.code?.code === '860975'))!;
    const sheet = w.sheet;
    const note = (text: string): NoteOutput => ({ title: 'Note', sections: [{ heading: 'Plan', text }], mentions: [] });
    expect(checkNote(note('Continue metformin. A1c reviewed.'), sheet, vocabulary)).toEqual([]);
    const hasCopd = sheet.facts.some((f) => /obstructive/i.test(f.label));
    if (!hasCopd) expect(checkNote(note('COPD stable.'), sheet, vocabulary).map((v) => v.code)).toEqual(['unsupported-condition']);
    if (!sheet.facts.some((f) => /tiotropium/.test(f.label))) expect(checkNote(note('Start tiotropium.'), sheet, vocabulary).map((v) => v.code)).toEqual(['unsupported-medication']);
    if (!sheet.facts.some((f) => f.label === 'TSH')) expect(checkNote(note('TSH reviewed.'), sheet, vocabulary).map((v) => v.code)).toEqual(['unsupported-lab']);
    const a1c = sheet.facts.find((f) => f.code?.code === '4548-4')!;
    expect(checkNote(note(`A1c ${a1c.value! + 1.5}%.`), sheet, vocabulary).map((v) => v.code)).toEqual(['number-mismatch']);
  });
});

describe('drug and lab names', () => {
  it('reads clinician names off RxNorm displays', () => {
    expect(drugName('24 HR metformin hydrochloride 500 MG Extended Release Oral Tablet').label).toBe('metformin 500 mg ER tablet');
    expect(drugName('levothyroxine sodium 0.075 MG Oral Tablet').label).toBe('levothyroxine 75 mcg tablet');
    expect(drugName('200 ACTUAT albuterol 0.09 MG/ACTUAT Metered Dose Inhaler').label).toBe('albuterol 90 mcg/actuation inhaler');
    const combo = drugName('amoxicillin 875 MG / clavulanate potassium 125 MG Oral Tablet');
    expect(combo.label).toBe('amoxicillin-clavulanate 875 mg/125 mg tablet');
    expect(combo.ingredients).toEqual(['amoxicillin', 'clavulanate']);
    expect(drugName('atorvastatin calcium 20 MG Oral Tablet [Lipitor]').synonyms).toContain('Lipitor');
    expect(drugName('Penicillin V Potassium 500 MG Oral Tablet').ingredients).toEqual(['penicillin V']);
    expect(drugName('Something odd').label).toBe('Something odd');
  });

  it('names labs from LOINC displays when the table lacks them', () => {
    expect(labelFromLoinc('Creatinine [Mass/volume] in Serum or Plasma')).toBe('Creatinine');
    expect(labelFromLoinc('Hemoglobin A1c/Hemoglobin.total in Blood')).toBe('Hemoglobin A1c');
    expect(labelFromLoinc('Made-up analyte [Mass/volume] in Urine')).toBe('Urine made-up analyte');
  });
});
