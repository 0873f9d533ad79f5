import { beforeAll, describe, expect, it } from 'vitest';
import { buildFactSheet } from '../../../src/notes/fact-sheet.js';
import type { NoteType } from '../../../src/notes/facts.js';
import { checkNote } from '../../../src/notes/grounding/check-note.js';
import { loadVocabulary } from '../../../src/notes/grounding/vocabulary.js';
import { noteToText } from '../../../src/notes/note-output.js';
import { writeTemplateNote } from '../../../src/notes/template/template-writer.js';
import { gestationalAgeText } from '../../../src/record/gestational-age.js';
import type { DeliveryEntry, PatientRecord } from '../../../src/record/types.js';
import { createCohortContext, simulateIndex } from '../../../src/timeline/cohort.js';
import { toSeed } from '../../../src/core/random.js';
import type { IsoDate } from '../../../src/core/time.js';

interface Written {
  readonly delivery: DeliveryEntry;
  readonly noteType: NoteType;
  readonly text: string;
  readonly violations: string[];
}

let notes: Written[] = [];

beforeAll(async () => {
  const vocabulary = await loadVocabulary();
  const ctx = createCohortContext({ seed: toSeed(13), referenceDate: '2025-06-01' as IsoDate, age: { min: 24, max: 42 }, gender: 'female', state: undefined });
  const records: PatientRecord[] = [];
  for (let i = 0; i < 60; i++) records.push(...simulateIndex(ctx, i));
  notes = records.flatMap((record) =>
    record.deliveries.flatMap((delivery) => {
      const encounter = record.encounters.find((e) => e.id === delivery.encounterId)!;
      const practitioner = record.providers.practitioners.find((p) => p.id === encounter.practitionerId)!;
      return (['history-and-physical', 'discharge-summary'] as const).map((noteType) => {
        const sheet = buildFactSheet(record, encounter, { authorName: `${practitioner.givenNames[0]} ${practitioner.familyName}`, noteType, vocabulary, ...(noteType === 'discharge-summary' ? { noteTime: encounter.end } : {}) });
        const note = writeTemplateNote(sheet, `${record.id}|${encounter.id}|${noteType}`);
        return { delivery, noteType, text: noteToText(note), violations: checkNote(note, sheet, vocabulary).map((v) => v.message) };
      });
    }),
  );
});

describe('delivery admission notes', () => {
  it('are grounded: 0 rejections', () => {
    expect(notes.length).toBeGreaterThan(20);
    expect(notes.filter((n) => n.violations.length > 0).map((n) => `${n.violations.join('; ')}\n${n.text.slice(0, 600)}`)).toEqual([]);
  });

  it('state the gestational age; the discharge summary also the delivery, the newborn sex, weight and Apgar scores, the H&P none of the outcome', () => {
    for (const n of notes) {
      const d = n.delivery;
      expect(n.text).toContain(gestationalAgeText(d.gestationalAgeDays));
      const outcome = [`${d.infantSex} infant`, `${d.birthWeightGrams} g`, `${d.apgar1}`];
      if (n.noteType === 'discharge-summary') {
        for (const s of outcome) expect(n.text).toContain(s);
        expect(n.text).toMatch(d.method === 'cesarean' ? /cesarean delivery/i : /vaginal delivery/i);
        expect(n.text).toMatch(new RegExp(`Apgar(?:s| scores) ${d.apgar1}(?: and |/)${d.apgar5}`));
        expect(n.text).not.toMatch(/Livebirth|improving/);
      } else {
        expect(n.text).not.toContain(`${d.birthWeightGrams} g`);
        expect(n.text).not.toMatch(/Apgar|Livebirth/);
      }
    }
  });
});
