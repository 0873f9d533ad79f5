// The prologue the note benches share (notes, grounding, note-realism, dedup): the dist modules
// they call, a seeded cohort at the reference date 2025-06-01, and one job per template note its
// records call for (every note type), in patient order. Building nothing but the jobs keeps each
// suite's own timing (of sheets, writing, checks) where it was.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * @param {string} root the checkout (its dist/ is loaded)
 * @param {{ seed: number, patients: number }} cohort
 * @returns the modules' functions, the grounding vocabulary, and `jobs`: `{ patient, record, plan, author }`
 *   with `author` the encounter practitioner's name (or "the clinician").
 */
export async function noteCohort(root, { seed, patients }) {
  const load = (p) => import(pathToFileURL(join(root, 'dist', p)).href);
  const { createCohortContext, simulateIndex } = await load('timeline/cohort.js');
  const { toSeed } = await load('core/random.js');
  const { dateToInstant } = await load('core/time.js');
  const { buildFactSheet } = await load('notes/fact-sheet.js');
  const { NOTE_TYPES } = await load('notes/facts.js');
  const { noteToText } = await load('notes/note-output.js');
  const { loadVocabulary } = await load('notes/grounding/vocabulary.js');
  const { checkNote } = await load('notes/grounding/check-note.js');
  const { annotateNote } = await load('notes/annotate/annotate-note.js');
  const { planNotes } = await load('notes/selection.js');
  const { writeTemplateNote } = await load('notes/template/template-writer.js');

  const vocabulary = await loadVocabulary();
  const cohort = createCohortContext({ seed: toSeed(seed), referenceDate: '2025-06-01', age: undefined, gender: undefined, state: undefined });
  const until = dateToInstant('2025-06-01');
  const jobs = [];
  for (let i = 0; i < patients; i++) {
    for (const record of simulateIndex(cohort, i)) {
      const names = new Map(record.providers.practitioners.map((p) => [p.id, `${p.givenNames[0]} ${p.familyName}`]));
      for (const plan of planNotes(record, { types: new Set(NOTE_TYPES), since: undefined, until: record.death?.time ?? until })) {
        jobs.push({ patient: i, record, plan, author: names.get(plan.encounter.practitionerId) ?? 'the clinician' });
      }
    }
  }
  return { vocabulary, jobs, buildFactSheet, writeTemplateNote, checkNote, annotateNote, noteToText };
}
