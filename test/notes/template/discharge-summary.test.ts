import { beforeAll, describe, expect, it } from 'vitest';
import { buildFactSheet } from '../../../src/notes/fact-sheet.js';
import type { FactSheet } from '../../../src/notes/facts.js';
import { checkNote } from '../../../src/notes/grounding/check-note.js';
import { loadVocabulary } from '../../../src/notes/grounding/vocabulary.js';
import { noteToText, type NoteOutput } from '../../../src/notes/note-output.js';
import { writeTemplateNote } from '../../../src/notes/template/template-writer.js';
import type { PatientRecord } from '../../../src/record/types.js';
import { createCohortContext, simulateIndex } from '../../../src/timeline/cohort.js';
import { toSeed } from '../../../src/core/random.js';
import type { IsoDate } from '../../../src/core/time.js';

interface Summary {
  readonly sheet: FactSheet;
  readonly note: NoteOutput;
  readonly text: string;
  readonly violations: string[];
}

let summaries: Summary[] = [];

beforeAll(async () => {
  const vocabulary = await loadVocabulary();
  const ctx = createCohortContext({ seed: toSeed(51), referenceDate: '2025-06-01' as IsoDate, age: { min: 55, max: 90 }, gender: undefined, state: undefined });
  const records: PatientRecord[] = [];
  for (let i = 0; i < 80; i++) records.push(...simulateIndex(ctx, i));
  summaries = records.flatMap((record) =>
    record.encounters
      .filter((e) => e.class === 'IMP' && e.end <= (record.death?.time ?? ctx.referenceTime))
      .map((encounter) => {
        const practitioner = record.providers.practitioners.find((p) => p.id === encounter.practitionerId)!;
        const sheet = buildFactSheet(record, encounter, { authorName: `${practitioner.givenNames[0]} ${practitioner.familyName}`, noteType: 'discharge-summary', vocabulary, noteTime: encounter.end });
        const note = writeTemplateNote(sheet, `${record.id}|${encounter.id}|ds`);
        return { sheet, note, text: noteToText(note), violations: checkNote(note, sheet, vocabulary).map((v) => v.message) };
      }),
  );
});

const section = (s: Summary, heading: RegExp): string => s.note.sections.filter((x) => heading.test(x.heading)).map((x) => x.text).join('\n');
const during = (s: Summary, date: string | undefined): boolean => date !== undefined && date >= s.sheet.encounter.date && date <= (s.sheet.encounter.endDate ?? s.sheet.encounter.date);
/** The stay and the emergency visit of the day before that led to it. */
const withStay = (s: Summary, date: string | undefined): boolean =>
  date !== undefined && date >= new Date(Date.parse(s.sheet.encounter.date) - 86_400_000).toISOString().slice(0, 10) && date <= (s.sheet.encounter.endDate ?? s.sheet.encounter.date);

describe('discharge summaries', () => {
  it('are grounded: 0 rejections', () => {
    expect(summaries.length).toBeGreaterThan(30);
    expect(summaries.filter((s) => s.violations.length > 0).map((s) => `${s.violations.join('; ')}\n${s.text.slice(0, 400)}`)).toEqual([]);
  });

  it('tell the hospital course from the record: each procedure of the stay on its hospital day, abnormal results, the day of discharge', () => {
    let withProcedure = 0;
    for (const s of summaries) {
      const course = section(s, /course/i);
      for (const p of s.sheet.facts.filter((f) => f.kind === 'procedure' && during(s, f.date))) {
        withProcedure++;
        const day = Math.round((Date.parse(p.date!) - Date.parse(s.sheet.encounter.date)) / 86_400_000) + 1;
        expect(course).toContain(`day ${day}`);
        // A delivery is told as obstetricians write it (ACOG: "cesarean delivery"), with its newborn.
        const label = p.label.toLowerCase();
        const told = label.startsWith('cesarean section') ? 'cesarean delivery' : label.startsWith('delivery procedure') ? 'vaginal delivery' : label.slice(0, 12);
        expect(course.toLowerCase()).toContain(told);
      }
      if (!/expired/i.test(s.sheet.encounter.disposition ?? '')) expect(course, course).toMatch(/discharged[^.]* on hospital day \d+\./i);
      expect(course).not.toMatch(/\.[A-Z]/);
      // An office-visit line has no place in a discharge summary.
      expect(s.text).not.toMatch(/No prescription needed today/);
      expect(course).not.toMatch(/is an? [\w-]+ (?:man|woman|boy|girl|infant|child) was/);
    }
    expect(withProcedure).toBeGreaterThan(10);
  });

  it('reconcile medications: drugs started in the stay as new, running home drugs as continued', () => {
    let reconciled = 0;
    for (const s of summaries.filter((x) => !/expired/i.test(x.sheet.encounter.disposition ?? ''))) {
      const recon = section(s, /medication|^meds$/i);
      // Ward orders were given in the stay and end at discharge: no line of the reconciliation.
      const meds = s.sheet.facts.filter((f) => f.kind === 'medication' && f.inpatient !== true);
      for (const w of s.sheet.facts.filter((f) => f.inpatient === true)) expect(recon).not.toContain(w.label);
      const started = meds.filter((m) => m.status === 'active' && withStay(s, m.date));
      const home = meds.filter((m) => m.status === 'active' && !withStay(s, m.date));
      const newLine = recon.split('\n').find((l) => /^(?:New|Started this admission|NEW):/.test(l)) ?? '';
      const continuedLine = recon.split('\n').find((l) => /^(?:Continued|Continue home medications|CONTINUE):/.test(l)) ?? '';
      for (const m of started) expect(newLine).toContain(m.label);
      for (const m of home) expect(continuedLine).toContain(m.label);
      if (started.length > 0 && home.length > 0) reconciled++;
    }
    expect(reconciled).toBeGreaterThan(3);
  });
});
