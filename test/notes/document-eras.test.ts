import { beforeAll, describe, expect, it } from 'vitest';
import { electronicRecordYear, isElectronicEra, loadDocumentEras } from '../../src/knowledge/document-eras.js';
import { buildFactSheet } from '../../src/notes/fact-sheet.js';
import type { NoteType } from '../../src/notes/facts.js';
import { loadVocabulary, type Vocabulary } from '../../src/notes/grounding/vocabulary.js';
import { noteToText } from '../../src/notes/note-output.js';
import { frameNote, noteFrame } from '../../src/notes/phi/note-frame.js';
import { planNotes, type PlannedNote } from '../../src/notes/selection.js';
import { writeTemplateNote } from '../../src/notes/template/template-writer.js';
import type { PatientRecord } from '../../src/record/types.js';
import { createCohortContext, simulateIndex } from '../../src/timeline/cohort.js';
import { toSeed } from '../../src/core/random.js';
import type { IsoDate } from '../../src/core/time.js';

const ALL: NoteType[] = ['progress-note', 'history-and-physical', 'discharge-summary', 'ed-note', 'consult-note', 'radiology-report', 'portal-message'];
const year = (t: number): number => Number(new Date(t).toISOString().slice(0, 4));

let records: PatientRecord[] = [];
let planned: { record: PatientRecord; note: PlannedNote }[] = [];
let vocabulary: Vocabulary;

beforeAll(async () => {
  vocabulary = await loadVocabulary();
  // Older patients: their records run back through the paper era.
  const ctx = createCohortContext({ seed: toSeed(41), referenceDate: '2025-06-01' as IsoDate, age: { min: 45, max: 80 }, gender: undefined, state: undefined });
  for (let i = 0; i < 40; i++) records.push(...simulateIndex(ctx, i));
  planned = records.flatMap((record) => planNotes(record, { types: new Set(ALL), since: undefined, until: ctx.referenceTime }).map((note) => ({ record, note })));
});

describe('document eras', () => {
  it('moves organizations to an electronic record along the adoption curve (NAMCS: 42% of practices by 2008)', () => {
    const years = Array.from({ length: 4000 }, (_, i) => electronicRecordYear(`org-${i}`));
    const curve = loadDocumentEras().electronicRecord.adoption;
    expect(Math.min(...years)).toBeGreaterThanOrEqual(curve[0]!.year);
    expect(Math.max(...years)).toBeLessThanOrEqual(curve.at(-1)!.year);
    const by2008 = years.filter((y) => y <= 2008).length / years.length;
    expect(by2008).toBeGreaterThan(0.37);
    expect(by2008).toBeLessThan(0.47);
  });

  it('plans no portal message before 2008 or from a practice still on paper, and still plans modern ones', () => {
    const portal = planned.filter((p) => p.note.noteType === 'portal-message');
    expect(portal.filter((p) => year(p.note.time) < 2008 || !isElectronicEra(p.note.encounter.organizationId, p.note.time))).toEqual([]);
    expect(portal.length).toBeGreaterThan(20);
    // The records do reach back before portals: the gate is what keeps them out.
    expect(planned.filter((p) => p.note.noteType === 'progress-note' && year(p.note.time) < 2005).length).toBeGreaterThan(20);
  });

  it('signs paper-era notes by hand, without "electronically signed", a login or an NPI before 2007', () => {
    let paper = 0;
    let electronic = 0;
    for (const { record, note } of planned) {
      if (note.noteType === 'portal-message') continue;
      const encounter = note.encounter;
      const practitioner = record.providers.practitioners.find((p) => p.id === encounter.practitionerId)!;
      const sheet = buildFactSheet(record, encounter, { authorName: `${practitioner.givenNames[0]} ${practitioner.familyName}`, noteType: note.noteType, vocabulary, noteTime: note.time });
      const written = writeTemplateNote(sheet, `${record.id}|${encounter.id}|${note.noteType}`);
      const frame = noteFrame({ record, encounter, noteType: note.noteType, time: note.time, age: sheet.patient.age });
      const text = noteToText(frameNote(written, frame));
      if (isElectronicEra(encounter.organizationId, note.time)) {
        electronic++;
        expect(text).toMatch(/Electronically signed/);
      } else {
        paper++;
        expect(text).not.toMatch(/electronically/i);
        expect(text).toMatch(/Dictated/);
      }
      if (year(note.time) < 2007) expect(text).not.toMatch(/\bNPI\b/);
    }
    expect(paper).toBeGreaterThan(20);
    expect(electronic).toBeGreaterThan(20);
  });
});
