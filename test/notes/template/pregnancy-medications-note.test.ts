import { beforeAll, describe, expect, it } from 'vitest';
import { toSeed } from '../../../src/core/random.js';
import type { IsoDate } from '../../../src/core/time.js';
import { buildFactSheet } from '../../../src/notes/fact-sheet.js';
import { checkNote } from '../../../src/notes/grounding/check-note.js';
import { loadVocabulary, type Vocabulary } from '../../../src/notes/grounding/vocabulary.js';
import { noteToText } from '../../../src/notes/note-output.js';
import { writeTemplateNote } from '../../../src/notes/template/template-writer.js';
import type { ConditionEntry, ConditionId, Encounter, MedicationOrder, PatientRecord } from '../../../src/record/types.js';
import { createCohortContext, simulateIndex } from '../../../src/timeline/cohort.js';

const RX = 'http://www.nlm.nih.gov/research/umls/rxnorm';
const MS_PER_YEAR = 365.2425 * 86_400_000;

let vocabulary: Vocabulary;
/** Simulated women at their first prenatal visit, given hypertension on lisinopril stopped there for labetalol. */
const cases: { record: PatientRecord; visit: Encounter }[] = [];

beforeAll(async () => {
  vocabulary = await loadVocabulary();
  const ctx = createCohortContext({ seed: toSeed(11), referenceDate: '2025-06-01' as IsoDate, age: { min: 18, max: 45 }, gender: 'female', state: undefined });
  for (let i = 0; cases.length < 12 && i < 80; i++) {
    for (const record of simulateIndex(ctx, i)) {
      const visit = record.encounters.find((e) => e.type.code === '424441002');
      if (visit === undefined) continue;
      const htn: ConditionEntry = {
        id: 'htn-test' as ConditionId,
        key: 'hypertension',
        code: { system: 'http://snomed.info/sct', code: '59621000', display: 'Essential hypertension (disorder)' },
        category: 'problem-list-item',
        onset: visit.start - 2 * MS_PER_YEAR,
        recorded: visit.start - 2 * MS_PER_YEAR,
        encounterId: visit.id,
        practitionerId: visit.practitionerId,
        clinicalStatus: 'active',
        abatement: undefined,
      };
      const order = (id: string, code: string, display: string, authored: number, end?: number): MedicationOrder => ({
        id,
        medication: { system: RX, code, display },
        conditionId: htn.id,
        encounterId: visit.id,
        practitionerId: visit.practitionerId,
        authored,
        status: end === undefined ? 'active' : 'stopped',
        end,
      });
      const medications = [
        ...record.medications,
        order('lis-test', '314077', 'lisinopril 20 MG Oral Tablet', visit.start - 2 * MS_PER_YEAR, visit.start),
        order('lab-test', '896758', 'labetalol hydrochloride 100 MG Oral Tablet', visit.start + 10 * 60_000),
      ];
      cases.push({ record: { ...record, conditions: [...record.conditions, htn], medications }, visit });
    }
  }
});

describe('the prenatal note and the drugs stopped for pregnancy', () => {
  it('states the stop and the replacement with its timing, and passes grounding', () => {
    expect(cases.length).toBeGreaterThan(5);
    for (const [i, { record, visit }] of cases.entries()) {
      const practitioner = record.providers.practitioners.find((p) => p.id === visit.practitionerId)!;
      const sheet = buildFactSheet(record, visit, { authorName: `${practitioner.givenNames[0]} ${practitioner.familyName}`, noteType: 'progress-note', vocabulary });
      const note = writeTemplateNote(sheet, `pregnancy-medications-${i}`);
      const text = noteToText(note);
      expect(text).toMatch(/(?:Stopped|Discontinued) lisinopril 20 mg tablet (?:for pregnancy|\(not safe in pregnancy\)); (?:started|changed to) labetalol 100 mg tablet twice daily/);
      expect(checkNote(note, sheet, vocabulary).map((v) => v.message)).toEqual([]);
    }
  });
});
