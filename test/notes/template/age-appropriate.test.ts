import { beforeAll, describe, expect, it } from 'vitest';
import { buildFactSheet } from '../../../src/notes/fact-sheet.js';
import type { FactSheet } from '../../../src/notes/facts.js';
import { checkNote } from '../../../src/notes/grounding/check-note.js';
import { loadVocabulary, type Vocabulary } from '../../../src/notes/grounding/vocabulary.js';
import { noteToText } from '../../../src/notes/note-output.js';
import { RETURN_PRECAUTION } from '../../../src/notes/template/assessment.js';
import { writeTemplateNote } from '../../../src/notes/template/template-writer.js';
import type { PatientRecord } from '../../../src/record/types.js';
import { createCohortContext, simulateIndex } from '../../../src/timeline/cohort.js';
import { toSeed } from '../../../src/core/random.js';
import type { IsoDate } from '../../../src/core/time.js';
import { acuteModules } from '../../../src/knowledge/acute.js';

interface Written {
  readonly sheet: FactSheet;
  readonly text: string;
  readonly ageYears: number;
  readonly violations: number;
}

let written: Written[] = [];

/** Progress notes of every acute visit of young children (ages 1-5 at the reference date) and of adults. */
beforeAll(async () => {
  const vocabulary: Vocabulary = await loadVocabulary();
  const acute = new Set(acuteModules().map((m) => m.code.code));
  const records: PatientRecord[] = [];
  for (const [k, age] of [{ min: 1, max: 5 }, { min: 20, max: 60 }].entries()) {
    const ctx = createCohortContext({ seed: toSeed(31 + k), referenceDate: '2025-06-01' as IsoDate, age, gender: undefined, state: undefined });
    for (let i = 0; i < 70; i++) records.push(...simulateIndex(ctx, i));
  }
  written = records.flatMap((record) =>
    record.encounters
      .filter((e) => e.class === 'AMB' && e.reason !== undefined && acute.has(e.reason.code))
      .map((encounter) => {
        const practitioner = record.providers.practitioners.find((p) => p.id === encounter.practitionerId)!;
        const sheet = buildFactSheet(record, encounter, { authorName: `${practitioner.givenNames[0]} ${practitioner.familyName}`, noteType: 'progress-note', vocabulary });
        const note = writeTemplateNote(sheet, `${record.id}|${encounter.id}`);
        return {
          sheet,
          text: noteToText(note),
          ageYears: (encounter.start - record.demographics.birthTime) / (365.25 * 86_400_000),
          violations: checkNote(note, sheet, vocabulary).length,
        };
      }),
  );
});

const young = (): Written[] => written.filter((w) => w.ageYears < 5);

describe('template notes fit the patient’s age', () => {
  it('writes enough sick visits of both ages to judge, all grounded', () => {
    expect(young().length).toBeGreaterThan(60);
    expect(written.filter((w) => w.ageYears >= 18).length).toBeGreaterThan(30);
    expect(written.filter((w) => w.violations > 0).map((w) => w.text.slice(0, 200))).toEqual([]);
  });

  it('names daycare for small children, school for school-age and work for adults, never "school or work"', () => {
    const bad = written.filter((w) => /school or work/i.test(w.text) || (w.ageYears >= 5 && /daycare/i.test(w.text)) || (w.ageYears < 18 && /\bat work\b/i.test(w.text)));
    expect(bad.map((w) => `${w.ageYears.toFixed(1)}: ${w.text.slice(0, 120)}`)).toEqual([]);
  });

  it('charts no psychiatric exam as "Unremarkable" and no orientation in a preschooler', () => {
    const bad = young().filter((w) => /\bPsych(?:iatric)?: (?:Unremarkable|Normal|No abnormality noted)\b/i.test(w.text) || /oriented|A&O|gait steady|\bNormal\.|Unremarkable\./.test(w.text));
    expect(bad.map((w) => w.text.slice(w.text.search(/exam/i), w.text.search(/exam/i) + 400))).toEqual([]);
  });

  it('gives young children suspensions by weight in the note, never tablets or capsules', () => {
    const rx = young().filter((w) => /oral suspension/.test(w.text));
    expect(rx.length).toBeGreaterThan(10);
    expect(rx.every((w) => /oral suspension \d+(?:\.\d+)? mL \(\d+ mg, \d+ mg\/kg\)/.test(w.text))).toBe(true);
    expect(young().filter((w) => /\b(?:tablet|capsule)s?\b/.test(w.text)).map((w) => w.text.match(/[^\n.]*(?:tablet|capsule)[^\n.]*/)?.[0])).toEqual([]);
  });

  it('closes each note with one set of return precautions, not two', () => {
    const doubled = written.filter((w) => {
      const plan = w.text.slice(w.text.search(/\n(?:A\/P|ASSESSMENT|Assessment|Plan|PLAN|A:|P:)/));
      return plan.split(/(?<=\.)\s+|\n/).filter((sentence) => RETURN_PRECAUTION.test(sentence)).length > 1;
    });
    expect(doubled.map((w) => w.text.slice(-500))).toEqual([]);
  });
});

describe('hospital notes of admitted children', () => {
  interface StayNote {
    readonly sheet: FactSheet;
    readonly text: string;
    readonly violations: number;
  }
  const stays: StayNote[] = [];
  beforeAll(async () => {
    const vocabulary: Vocabulary = await loadVocabulary();
    const ctx = createCohortContext({ seed: toSeed(21), referenceDate: '2025-06-01' as IsoDate, age: { min: 0, max: 17 }, gender: undefined, state: undefined });
    for (let i = 0; i < 250; i++) {
      for (const record of simulateIndex(ctx, i)) {
        for (const encounter of record.encounters.filter((e) => e.class === 'IMP' && e.start - record.demographics.birthTime < 18 * 365.25 * 86_400_000)) {
          const practitioner = record.providers.practitioners.find((p) => p.id === encounter.practitionerId)!;
          for (const noteType of ['history-and-physical', 'discharge-summary'] as const) {
            const sheet = buildFactSheet(record, encounter, { authorName: `${practitioner.givenNames[0]} ${practitioner.familyName}`, noteType, vocabulary });
            const note = writeTemplateNote(sheet, `${record.id}|${encounter.id}|${noteType}`);
            stays.push({ sheet, text: noteToText(note), violations: checkNote(note, sheet, vocabulary).length });
          }
        }
      }
    }
  });

  it('names the ward orders in the H&P plan, discusses the plan with the parents, and gives no code status or outpatient recheck', () => {
    const withOrders = stays.filter((s) => s.sheet.facts.some((f) => f.inpatient === true));
    expect(withOrders.length).toBeGreaterThan(4);
    for (const s of withOrders.filter((x) => x.sheet.encounter.noteType === 'history-and-physical')) {
      for (const f of s.sheet.facts.filter((x) => x.inpatient === true)) expect(s.text).toContain(f.label);
    }
    for (const s of stays) {
      expect(s.text).not.toMatch(/code status/i);
      expect(s.text).not.toMatch(/plan (?:reviewed|discussed) with the patient\./);
      if (s.sheet.encounter.noteType === 'history-and-physical') expect(s.text).not.toMatch(/\brecheck in\b/i);
    }
    expect(stays.filter((s) => s.violations > 0).map((s) => s.text.slice(0, 200))).toEqual([]);
  });
});
