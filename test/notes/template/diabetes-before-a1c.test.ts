import { beforeAll, describe, expect, it } from 'vitest';
import { buildFactSheet } from '../../../src/notes/fact-sheet.js';
import { checkNote } from '../../../src/notes/grounding/check-note.js';
import { loadVocabulary } from '../../../src/notes/grounding/vocabulary.js';
import { noteToText } from '../../../src/notes/note-output.js';
import { writeTemplateNote } from '../../../src/notes/template/template-writer.js';
import type { LabResult, PatientRecord } from '../../../src/record/types.js';
import { createCohortContext, simulateIndex } from '../../../src/timeline/cohort.js';
import { toSeed } from '../../../src/core/random.js';
import type { IsoDate } from '../../../src/core/time.js';

interface Visit {
  readonly date: string;
  readonly glucose: LabResult;
  readonly text: string;
  readonly violations: string[];
}

const A1C_ERA = Date.parse('1980-01-01T00:00:00Z');
let visits: Visit[] = [];

/** Progress notes of diabetics' follow-up visits before HbA1c (1980), from an old cohort's whole lives. */
beforeAll(async () => {
  const vocabulary = await loadVocabulary();
  const ctx = createCohortContext({ seed: toSeed(41), referenceDate: '2025-06-01' as IsoDate, age: { min: 80, max: 100 }, gender: undefined, state: undefined });
  const records: PatientRecord[] = [];
  for (let i = 0; i < 40; i++) records.push(...simulateIndex(ctx, i));
  visits = records.flatMap((record) =>
    record.encounters
      // Follow-ups of a patient already diagnosed with diabetes (a fasting glucose also screens others before 2010).
      .filter((e) => e.start < A1C_ERA && e.type.code === '390906007' && record.conditions.some((c) => /diabetes/i.test(c.key) && c.recorded < e.start))
      .flatMap((encounter) => {
        const glucose = record.labReports.find((r) => r.encounterId === encounter.id && r.code.code === '1558-6')?.results[0];
        if (glucose === undefined) return [];
        const practitioner = record.providers.practitioners.find((p) => p.id === encounter.practitionerId)!;
        const sheet = buildFactSheet(record, encounter, { authorName: `${practitioner.givenNames[0]} ${practitioner.familyName}`, noteType: 'progress-note', vocabulary });
        const note = writeTemplateNote(sheet, `${record.id}|${encounter.id}`);
        return [{ date: sheet.encounter.date, glucose, text: noteToText(note), violations: checkNote(note, sheet, vocabulary).map((v) => v.message) }];
      }),
  );
});

describe('diabetes follow-up before HbA1c', () => {
  it('cites the fasting glucose in the assessment, judged against the ADA fasting goal (80-130 mg/dL), and grounding accepts it', () => {
    expect(visits.length).toBeGreaterThan(20);
    for (const v of visits) {
      expect(v.violations, v.text).toEqual([]);
      expect(v.text).not.toMatch(/A1c/i);
      const cited = new RegExp(`(?:Fasting glucose|FBS) ${v.glucose.value} mg/dL[^.]*?(at goal|well controlled|controlled|above goal|not at goal|not controlled|above target|below goal range|below target)`);
      const m = cited.exec(v.text);
      expect(m, v.text).not.toBeNull();
      const inRange = v.glucose.value >= 80 && v.glucose.value <= 130;
      expect(/^(at goal|well controlled|controlled)$/.test(m![1]!), `${v.glucose.value} mg/dL: ${m![1]}`).toBe(inRange);
    }
  });
});
