/**
 * Annotator recall on the template writer's own mentions (it cites every fact it writes): every
 * label's recall is 100% on notes of every type, and precision against the same gold (a lower bound, since the
 * writer does not cite every clinical word) stays where it was measured.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { dateToInstant } from '../../src/core/time.js';
import { toSeed } from '../../src/core/random.js';
import { scoreNote, type Miss, type RecallTable } from '../../src/notes/annotation-recall.js';
import { buildFactSheet } from '../../src/notes/fact-sheet.js';
import { NOTE_TYPES } from '../../src/notes/facts.js';
import { loadVocabulary } from '../../src/notes/grounding/vocabulary.js';
import { planNotes } from '../../src/notes/selection.js';
import { writeTemplateNote } from '../../src/notes/template/template-writer.js';
import { createCohortContext, simulateIndex } from '../../src/timeline/cohort.js';

const table: RecallTable = {};
const misses: Miss[] = [];
const types = new Set<string>();

beforeAll(async () => {
  const vocabulary = await loadVocabulary();
  const cohort = createCohortContext({ seed: toSeed(11), referenceDate: '2025-06-01', age: undefined, gender: undefined, state: undefined });
  const until = dateToInstant('2025-06-01');
  for (let i = 0; i < 8; i++) {
    for (const record of simulateIndex(cohort, i)) {
      for (const plan of planNotes(record, { types: new Set(NOTE_TYPES), since: undefined, until: record.death?.time ?? until })) {
        types.add(plan.noteType);
        const sheet = buildFactSheet(record, plan.encounter, { authorName: 'Dr. Test', noteType: plan.noteType, vocabulary });
        misses.push(...scoreNote(writeTemplateNote(sheet, `recall-${misses.length}`), sheet, vocabulary, table));
      }
    }
  }
}, 120_000);

describe('annotator recall on template notes', () => {
  it('finds every fact the writer states, for every label it cites', () => {
    const labels = Object.keys(table);
    expect(labels).toEqual(expect.arrayContaining(['PROBLEM', 'MEDICATION', 'VITAL', 'LAB']));
    expect(types.size, [...types].join(', ')).toBeGreaterThanOrEqual(4);
    for (const [label, r] of Object.entries(table)) {
      expect(r.gold, label).toBeGreaterThan(0);
      expect(r.found, `${label}: ${misses.filter((m) => m.label === label).slice(0, 5).map((m) => m.text).join(' | ')}`).toBe(r.gold);
    }
  });

  it('keeps precision on drugs, allergies, vaccines, vitals and labs (mentions the writer cites)', () => {
    for (const label of ['MEDICATION', 'ALLERGY', 'IMMUNIZATION', 'VITAL', 'LAB'] as const) {
      const r = table[label];
      if (r === undefined) continue;
      expect(r.correct / r.predicted, label).toBeGreaterThanOrEqual(0.95);
    }
  });
});
